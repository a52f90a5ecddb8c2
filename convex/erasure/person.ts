/**
 * Erasure of a person's own rows (after every meeting of theirs is done), as
 * stages of bounded steps, each idempotent:
 *
 *     profile   profile (and avatar file), interests, embeddings, matching
 *               queue, blocks, tag affinities
 *     social    connections (their notes), their direct messages' text →
 *               placeholder, thread previews of their last message
 *     mail      invitations to their email, mail outbox rows to or from them
 *     search    their own search rows
 *     exports   their "download my data" files still in storage
 *     identity  the user row keeps its id (others' rows point at it) but loses
 *               name and email; their data keys are shredded
 */
import type { Doc, Id, TableNames } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { discardExport } from "../lib/exportFiles";
import { ERASED_NAME, ERASED_TEXT, shredKeys } from "../lib/personalData";
import { ROWS_PER_STEP, type StageResult } from "./meeting";

/** The stages of the person phase, in order. */
export const PERSON_STAGES = [
  "profile",
  "messages",
  "threadsLo",
  "threadsHi",
  "connections",
  "mail",
  "search",
  "exports",
  "identity",
] as const;
export type PersonStage = (typeof PERSON_STAGES)[number];

type Ctx = MutationCtx;
type User = Id<"users">;

/** Delete up to `ROWS_PER_STEP` rows a reader found; `done` when it found fewer. */
async function deleteFound(
  ctx: Ctx,
  table: TableNames,
  rows: Array<{ _id: string }>,
): Promise<number> {
  for (const r of rows) await ctx.db.delete(table, r._id as Id<typeof table>);
  return rows.length;
}

async function profile(ctx: Ctx, userId: User): Promise<StageResult> {
  const db = ctx.db;
  const n = ROWS_PER_STEP;
  const profiles = await db
    .query("profiles")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .take(n);
  for (const p of profiles)
    if (p.avatarStorageId && (await db.system.get("_storage", p.avatarStorageId)))
      await ctx.storage.delete(p.avatarStorageId);
  let changed = await deleteFound(ctx, "profiles", profiles);
  const batches = [
    [
      "userInterests",
      await db
        .query("userInterests")
        .withIndex("by_user", (q) => q.eq("userId", userId))
        .take(n),
    ],
    [
      "embeddings",
      await db
        .query("embeddings")
        .withIndex("by_user_model", (q) => q.eq("userId", userId))
        .take(n),
    ],
    [
      "embeddingJobs",
      await db
        .query("embeddingJobs")
        .withIndex("by_user", (q) => q.eq("userId", userId))
        .take(n),
    ],
    [
      "matchQueue",
      await db
        .query("matchQueue")
        .withIndex("by_user", (q) => q.eq("userId", userId))
        .take(n),
    ],
    [
      "matchBlocks",
      await db
        .query("matchBlocks")
        .withIndex("by_user_other", (q) => q.eq("userId", userId))
        .take(n),
    ],
    [
      "promptTagAffinity",
      await db
        .query("promptTagAffinity")
        .withIndex("by_user_tag", (q) => q.eq("userId", userId))
        .take(n),
    ],
  ] as const;
  let full = false;
  for (const [table, rows] of batches) {
    changed += await deleteFound(ctx, table, rows as Array<{ _id: string }>);
    full ||= rows.length === n;
  }
  return { done: !full, changed };
}

async function messages(ctx: Ctx, userId: User, cursor: string | null): Promise<StageResult> {
  const page = await ctx.db
    .query("directMessages")
    .withIndex("by_from_key", (q) => q.eq("from", userId))
    .paginate({ cursor, numItems: ROWS_PER_STEP });
  let changed = 0;
  for (const m of page.page) {
    if (m.piiSeal === undefined && m.text === ERASED_TEXT) continue;
    await ctx.db.patch("directMessages", m._id, { text: ERASED_TEXT, piiSeal: undefined });
    changed++;
  }
  return { done: page.isDone, changed, cursor: page.continueCursor };
}

async function threads(
  ctx: Ctx,
  userId: User,
  side: "lo" | "hi",
  cursor: string | null,
): Promise<StageResult> {
  const q = ctx.db.query("dmThreads");
  const page = await (side === "lo"
    ? q.withIndex("by_lo_last", (r) => r.eq("lo", userId))
    : q.withIndex("by_hi_last", (r) => r.eq("hi", userId))
  ).paginate({ cursor, numItems: ROWS_PER_STEP });
  let changed = 0;
  for (const t of page.page as Doc<"dmThreads">[]) {
    if (t.lastFrom !== userId || t.lastPreview === ERASED_TEXT) continue;
    await ctx.db.patch("dmThreads", t._id, { lastPreview: ERASED_TEXT });
    changed++;
  }
  return { done: page.isDone, changed, cursor: page.continueCursor };
}

async function connections(ctx: Ctx, userId: User): Promise<StageResult> {
  const n = ROWS_PER_STEP;
  const lo = await ctx.db
    .query("connections")
    .withIndex("by_lo_status", (q) => q.eq("lo", userId))
    .take(n);
  const hi = await ctx.db
    .query("connections")
    .withIndex("by_hi_status", (q) => q.eq("hi", userId))
    .take(n);
  const changed =
    (await deleteFound(ctx, "connections", lo)) + (await deleteFound(ctx, "connections", hi));
  return { done: lo.length < n && hi.length < n, changed };
}

async function mail(ctx: Ctx, userId: User, address: string | undefined): Promise<StageResult> {
  // Invitations keep addresses lower-cased (the outbox as sent; the app sends to those).
  const email = address?.toLowerCase();
  const n = ROWS_PER_STEP;
  const db = ctx.db;
  const found: Array<[TableNames, Array<{ _id: string }>]> = [
    [
      "mailOutbox",
      await db
        .query("mailOutbox")
        .withIndex("by_sender", (q) => q.eq("sentBy", userId))
        .take(n),
    ],
  ];
  if (email) {
    found.push(
      [
        "mailOutbox",
        await db
          .query("mailOutbox")
          .withIndex("by_to", (q) => q.eq("to", email))
          .take(n),
      ],
      [
        "emailInvitations",
        await db
          .query("emailInvitations")
          .withIndex("by_email_status", (q) => q.eq("email", email))
          .take(n),
      ],
      [
        "reminderPlans",
        await db
          .query("reminderPlans")
          .withIndex("by_email", (q) => q.eq("email", email))
          .take(n),
      ],
      [
        "orgInvitations",
        await db
          .query("orgInvitations")
          .withIndex("by_email_status", (q) => q.eq("email", email))
          .take(n),
      ],
    );
  }
  let changed = 0;
  for (const [table, rows] of found) changed += await deleteFound(ctx, table, rows);
  return { done: found.every(([, rows]) => rows.length < n), changed };
}

async function search(ctx: Ctx, userId: User): Promise<StageResult> {
  const rows = await ctx.db
    .query("searchRows")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .take(ROWS_PER_STEP);
  const changed = await deleteFound(ctx, "searchRows", rows);
  return { done: rows.length < ROWS_PER_STEP, changed };
}

async function exportFiles(ctx: Ctx, userId: User): Promise<StageResult> {
  const rows = await ctx.db
    .query("dataExports")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .take(ROWS_PER_STEP);
  let changed = 0;
  for (const r of rows) changed += await discardExport(ctx, r.storageId);
  return { done: rows.length < ROWS_PER_STEP, changed };
}

async function identity(ctx: Ctx, userId: User, now: number): Promise<StageResult> {
  const user = await ctx.db.get("users", userId);
  let changed = 0;
  if (user && (user.name !== ERASED_NAME || user.email !== undefined || !user.erasedAt)) {
    await ctx.db.patch("users", userId, {
      name: ERASED_NAME,
      email: undefined,
      emailVerified: undefined,
      erasedAt: now,
      updatedAt: now,
    });
    changed++;
  }
  changed += await shredKeys(ctx, userId);
  return { done: true, changed };
}

/** Run one bounded step of `stage` for the person. */
export async function personStep(
  ctx: Ctx,
  stage: PersonStage,
  user: { _id: User; email?: string },
  cursor: string | null,
  now: number,
): Promise<StageResult> {
  switch (stage) {
    case "profile":
      return await profile(ctx, user._id);
    case "messages":
      return await messages(ctx, user._id, cursor);
    case "threadsLo":
      return await threads(ctx, user._id, "lo", cursor);
    case "threadsHi":
      return await threads(ctx, user._id, "hi", cursor);
    case "connections":
      return await connections(ctx, user._id);
    case "mail":
      return await mail(ctx, user._id, user.email);
    case "search":
      return await search(ctx, user._id);
    case "exports":
      return await exportFiles(ctx, user._id);
    case "identity":
      return await identity(ctx, user._id, now);
  }
}
