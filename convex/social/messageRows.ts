/**
 * Writing a direct message into its pair's thread: the one write path of
 * `directMessages.send` and the legacy import (which appends history, so
 * messages may arrive older than the thread's last one).
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { PII_SEAL_VERSION, sealText } from "../lib/personalData";
import { ordered } from "../matching/state";

/** Why 120: the thread list shows the start of the last message. */
export const PREVIEW = 120;

/** The pair's thread row, or null before their first message. */
export async function threadBetween(ctx: QueryCtx, a: Id<"users">, b: Id<"users">) {
  const [lo, hi] = ordered(a, b);
  return await ctx.db
    .query("dmThreads")
    .withIndex("by_pair", (q) => q.eq("lo", lo).eq("hi", hi))
    .unique();
}

/**
 * Append `text` from `from` to `to` at `at`: the thread is made on the first
 * message; its last message moves only forward in time; the sender has read
 * the thread up to their own message. Pass `thread` when the caller already
 * holds the pair's current row (an import batch keeps it between messages).
 */
export async function appendDirectMessage(
  ctx: MutationCtx,
  m: { from: Id<"users">; to: Id<"users">; text: string; at: number; clientKey?: string },
  thread?: Doc<"dmThreads"> | null,
): Promise<{ messageId: Id<"directMessages">; thread: Doc<"dmThreads"> }> {
  const [lo, hi] = ordered(m.from, m.to);
  const preview = m.text.slice(0, PREVIEW);
  let current = thread === undefined ? await threadBetween(ctx, m.from, m.to) : thread;
  if (!current) {
    const id = await ctx.db.insert("dmThreads", {
      lo,
      hi,
      lastAt: m.at,
      lastFrom: m.from,
      lastPreview: preview,
      messages: 0,
      loReadAt: 0,
      hiReadAt: 0,
    });
    current = (await ctx.db.get("dmThreads", id))!;
  }
  const latest = m.at >= current.lastAt;
  const next: Doc<"dmThreads"> = {
    ...current,
    ...(latest ? { lastAt: m.at, lastFrom: m.from, lastPreview: preview } : {}),
    messages: current.messages + 1,
    ...(lo === m.from
      ? { loReadAt: Math.max(current.loReadAt, m.at) }
      : { hiReadAt: Math.max(current.hiReadAt, m.at) }),
  };
  const { _id, _creationTime, ...fields } = next;
  await ctx.db.patch("dmThreads", _id, fields);
  const messageId = await ctx.db.insert("directMessages", {
    threadId: _id,
    from: m.from,
    text: await sealText(ctx, m.from, m.text),
    piiSeal: PII_SEAL_VERSION,
    at: m.at,
    clientKey: m.clientKey,
  });
  return { messageId, thread: next };
}
