/**
 * Fan-out of search sources to per-reader rows (`tables/search.ts`): one
 * bounded run per call, rescheduling itself while work remains. Idempotent
 * (every write is an upsert or a delete of what should not be there), so
 * spare or concurrent runs converge to `searchRows` = sources × readers.
 *
 * A run does, within {@link WRITE_BUDGET} writes:
 * 1. delete the rows of one reader no longer in `readers` (removed people);
 * 2. backfill one new reader from the meeting's sources, by key;
 * 3. fan out pending sources to every current reader (removed sources: their
 *    rows go, then the source).
 * Reads are re-checked against membership at query time too, so a removed
 * person sees nothing even before step 1 has run.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import { internalMutation, type MutationCtx } from "./_generated/server";
import { searchMeetingOf } from "./projectors/searchFeed";

/** Why: ~500 small writes stay far below Convex's 16,000 writes and 16 MiB per transaction, and keep a run short. */
export const WRITE_BUDGET = 500;

async function rowOf(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  key: string,
  userId: Id<"users">,
) {
  return await ctx.db
    .query("searchRows")
    .withIndex("by_meeting_key_user", (q) =>
      q.eq("meetingId", meetingId).eq("key", key).eq("userId", userId),
    )
    .unique();
}

async function putRow(ctx: MutationCtx, source: Doc<"searchSources">, userId: Id<"users">) {
  const { meetingId, key, kind, text, at, authorId, label } = source;
  const fields = { userId, meetingId, key, kind, text, at, authorId, label };
  const row = await rowOf(ctx, meetingId, key, userId);
  if (!row) await ctx.db.insert("searchRows", fields);
  else if (row.text !== text || row.at !== at || row.label !== label)
    await ctx.db.replace("searchRows", row._id, fields);
}

/** Step 1: delete a removed reader's rows. Returns writes spent. */
async function dropReader(ctx: MutationCtx, meeting: Doc<"searchMeetings">, budget: number) {
  const gone = meeting.indexed.find((u) => !meeting.readers.includes(u));
  if (gone === undefined) return 0;
  const rows = await ctx.db
    .query("searchRows")
    .withIndex("by_meeting_user", (q) =>
      q.eq("meetingId", meeting.meetingId).eq("userId", gone as Id<"users">),
    )
    .take(budget);
  for (const r of rows) await ctx.db.delete("searchRows", r._id);
  if (rows.length < budget) {
    await ctx.db.patch("searchMeetings", meeting._id, {
      indexed: meeting.indexed.filter((u) => u !== gone),
    });
  }
  return rows.length + 1;
}

/** Step 2: backfill one new reader from the sources after `backfillAfter`. */
async function addReader(ctx: MutationCtx, meeting: Doc<"searchMeetings">, budget: number) {
  const next = meeting.readers.find((u) => !meeting.indexed.includes(u));
  if (next === undefined) return 0;
  const after = meeting.backfillUser === next ? (meeting.backfillAfter ?? "") : "";
  const sources = await ctx.db
    .query("searchSources")
    .withIndex("by_meeting_key", (q) => q.eq("meetingId", meeting.meetingId).gt("key", after))
    .take(budget);
  for (const s of sources) if (!s.removed) await putRow(ctx, s, next as Id<"users">);
  if (sources.length < budget) {
    await ctx.db.patch("searchMeetings", meeting._id, {
      indexed: [...meeting.indexed, next],
      backfillUser: undefined,
      backfillAfter: undefined,
    });
  } else {
    await ctx.db.patch("searchMeetings", meeting._id, {
      backfillUser: next,
      backfillAfter: sources.at(-1)?.key ?? after,
    });
  }
  return sources.length + 1;
}

/** Step 3: fan out pending sources to the current readers. */
async function fanOutPending(ctx: MutationCtx, meeting: Doc<"searchMeetings">, budget: number) {
  const perSource = Math.max(1, meeting.readers.length);
  const count = Math.max(1, Math.floor(budget / perSource));
  const pending = await ctx.db
    .query("searchSources")
    .withIndex("by_meeting_pending", (q) =>
      q.eq("meetingId", meeting.meetingId).eq("pending", true),
    )
    .take(count);
  let spent = 0;
  for (const s of pending) {
    if (s.removed) {
      const rows = await ctx.db
        .query("searchRows")
        .withIndex("by_meeting_key_user", (q) => q.eq("meetingId", s.meetingId).eq("key", s.key))
        .take(budget);
      for (const r of rows) await ctx.db.delete("searchRows", r._id);
      spent += rows.length;
      // The source goes once its last row has (else the next run goes on).
      if (rows.length < budget) {
        await ctx.db.delete("searchSources", s._id);
        spent += 1;
      }
    } else {
      for (const u of meeting.readers) await putRow(ctx, s, u as Id<"users">);
      await ctx.db.patch("searchSources", s._id, { pending: false });
      spent += perSource + 1;
    }
  }
  return { spent, more: pending.length === count };
}

/** One bounded fan-out run for a meeting; reschedules itself while work remains. */
export const run = internalMutation({
  args: { meetingId: v.id("meetings") },
  returns: v.object({ done: v.boolean() }),
  handler: async (ctx, { meetingId }) => {
    const meeting = await searchMeetingOf(ctx, meetingId);
    // No readers known yet: the search feed projector queues a run once it has them.
    if (!meeting) return { done: true };
    let budget = WRITE_BUDGET;
    budget -= await dropReader(ctx, meeting, budget);
    const afterDrop = (await searchMeetingOf(ctx, meetingId)) ?? meeting;
    budget -= await addReader(ctx, afterDrop, Math.max(1, budget));
    const current = (await searchMeetingOf(ctx, meetingId)) ?? meeting;
    const pending = await fanOutPending(ctx, current, Math.max(1, budget));
    const latest = (await searchMeetingOf(ctx, meetingId)) ?? current;
    const done =
      !pending.more &&
      latest.indexed.every((u) => latest.readers.includes(u)) &&
      latest.readers.every((u) => latest.indexed.includes(u));
    if (!done) await ctx.scheduler.runAfter(0, internal.searchFanout.run, { meetingId });
    return { done };
  },
});
