/**
 * The importer's internal mutations (issue 19): `npm run migrate` reads the
 * legacy database in keyset pages, cleans each row with the pure mappers in
 * `migration/`, and sends bounded batches here with admin authentication.
 *
 * Every batch is one transaction: the rows, their `legacyIdMap` entries,
 * their issues and the checkpoint move together (see `lib/legacyImport.ts`),
 * so a crash anywhere resumes after the last committed batch, and a row
 * already mapped is never written again (a second run changes nothing).
 * References (user of an interest, people of a meeting) resolve through the
 * mapping; a row whose reference does not resolve is rejected with the reason.
 */
import { v } from "convex/values";
import { canonicalKey, PROFILE_LIMITS } from "../projections/matching/catalogue";
import { internalMutation } from "./_generated/server";
import { writeAudit } from "./lib/audit";
import { appError } from "./lib/errors";
import { LEGACY_ISSUER, legacyTokenIdentifier } from "./lib/legacyAccounts";
import {
  batchArgs,
  ensureCheckpoint,
  mappingOf,
  recordIssue,
  recordMapping,
  resolveUser,
  runBatch,
} from "./lib/legacyImport";
import {
  batchResult,
  type LegacyInterestRow,
  type LegacyMeetingRow,
  type LegacyUserRow,
  legacyInterestRow,
  legacyMeetingRow,
  legacyUserRow,
} from "./lib/legacyRows";
import { importLegacyMeeting } from "./meetings/legacy";
import { importedTable } from "./tables/migration";

/**
 * The largest batch accepted per table. Why: each batch is one transaction.
 * Users and interests cost a few reads and writes a row. A meeting costs ~25
 * writes (row, participants, lifecycle events, mapping, projector flags) and
 * ~35 index ranges (its mapping, both people, each event's key, one projector
 * kick reading every meeting projector's control and flags), and Convex caps
 * a transaction at 4,096 index ranges and 16,000 writes: 100 meetings stay
 * under both with room (the importer sends 60).
 */
export const MAX_BATCH_ROWS = {
  users: 500,
  organizations: 500,
  interests: 500,
  profiles: 500,
  meetings: 100,
  connections: 500,
  messages: 1_000,
} as const;

/** Why: the app's own cap on a person's interests (`PROFILE_LIMITS.interests`, matching). */
const MAX_INTERESTS = PROFILE_LIMITS.interests;

/** Why: users with the same email are few (merged duplicates, one native account). */
const SAME_EMAIL_SCAN = 10;

/** Start a run, or resume the one still running from the same source. */
export const begin = internalMutation({
  args: { source: v.string(), tables: v.array(importedTable) },
  returns: v.object({
    runId: v.string(),
    resumed: v.boolean(),
    checkpoints: v.array(
      v.object({
        table: v.string(),
        cursor: v.union(v.string(), v.null()),
        done: v.boolean(),
        rows: v.number(),
      }),
    ),
  }),
  handler: async (ctx, { source, tables }) => {
    const now = Date.now();
    const running = await ctx.db
      .query("migrationRuns")
      .withIndex("by_status", (q) => q.eq("status", "running"))
      .first();
    if (running && running.source !== source) {
      throw appError(
        "CONFLICT",
        `run ${running.runId} from ${running.source} is not finished: finish it (rerun with that --from) before importing from ${source}`,
      );
    }
    const runId = running?.runId ?? `run-${now}-${crypto.randomUUID().slice(0, 8)}`;
    if (!running) {
      await ctx.db.insert("migrationRuns", { runId, source, status: "running", startedAt: now });
      await writeAudit(
        ctx,
        { action: "migration.begin", outcome: "admin", detail: `${runId} from ${source}` },
        now,
      );
    }
    const checkpoints = [];
    for (const table of tables) {
      const cp = await ensureCheckpoint(ctx, runId, table, now);
      checkpoints.push({ table, cursor: cp.cursor, done: cp.done, rows: cp.rows });
    }
    return { runId, resumed: running !== null, checkpoints };
  },
});

/** Import legacy users: new rows with a placeholder identity, or merged/linked by email. */
export const users = internalMutation({
  args: { ...batchArgs, rows: v.array(legacyUserRow) },
  returns: batchResult,
  handler: async (ctx, args) =>
    await runBatch(ctx, "users", MAX_BATCH_ROWS.users, args, async (row: LegacyUserRow, counts) => {
      if (await mappingOf(ctx, "users", row.legacyId)) {
        counts.unchanged++;
        return;
      }
      const clash = await ctx.db
        .query("legacyAccounts")
        .withIndex("by_clerk", (q) => q.eq("clerkId", row.clerkId))
        .first();
      if (clash) {
        await recordIssue(
          ctx,
          args.runId,
          "users",
          {
            legacyId: row.legacyId,
            kind: "reject",
            reason: "DUPLICATE_CLERK_ID",
            detail: `Clerk id ${row.clerkId} already imported for legacy user ${clash.legacyUserId}`,
          },
          counts,
        );
        return;
      }
      const account = {
        clerkId: row.clerkId,
        legacyUserId: row.legacyId,
        workosUserId: row.workosUserId,
      };
      const sameEmail = row.email
        ? await ctx.db
            .query("users")
            .withIndex("by_email", (q) => q.eq("email", row.email))
            .take(SAME_EMAIL_SCAN)
        : [];
      if (sameEmail.length > 0) {
        // Prefer a person imported before (a duplicate account) over one who started on Convex.
        let target = sameEmail[0]!;
        let imported = null;
        for (const u of sameEmail) {
          imported = await ctx.db
            .query("legacyAccounts")
            .withIndex("by_user", (q) => q.eq("userId", u._id))
            .first();
          if (imported) {
            target = u;
            break;
          }
        }
        await ctx.db.insert("legacyAccounts", { ...account, userId: target._id });
        const outcome = imported ? "merged" : "linked";
        await recordMapping(ctx, {
          table: "users",
          legacyId: row.legacyId,
          convexId: target._id,
          outcome,
          runId: args.runId,
        });
        await recordIssue(
          ctx,
          args.runId,
          "users",
          {
            legacyId: row.legacyId,
            kind: "merge",
            reason: imported ? "DUPLICATE_EMAIL" : "EXISTING_CONVEX_USER",
            detail: imported
              ? `same email as legacy user ${imported.legacyUserId}: merged into one person`
              : `linked to the Convex user ${target._id} who signed up with this email`,
          },
          counts,
        );
        counts[outcome]++;
        return;
      }
      const userId = await ctx.db.insert("users", {
        tokenIdentifier: legacyTokenIdentifier(row.clerkId),
        subject: row.clerkId,
        issuer: LEGACY_ISSUER,
        email: row.email,
        name: row.name,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      });
      await ctx.db.insert("legacyAccounts", { ...account, userId });
      await recordMapping(ctx, {
        table: "users",
        legacyId: row.legacyId,
        convexId: userId,
        outcome: "created",
        runId: args.runId,
      });
      counts.created++;
    }),
});

/** Import legacy interests into the catalogue (`interests`) and the join table (`userInterests`). */
export const interests = internalMutation({
  args: { ...batchArgs, rows: v.array(legacyInterestRow) },
  returns: batchResult,
  handler: async (ctx, args) =>
    await runBatch(
      ctx,
      "interests",
      MAX_BATCH_ROWS.interests,
      args,
      async (row: LegacyInterestRow, counts) => {
        if (await mappingOf(ctx, "interests", row.legacyId)) {
          counts.unchanged++;
          return;
        }
        const reject = async (reason: string, detail: string) =>
          await recordIssue(
            ctx,
            args.runId,
            "interests",
            { legacyId: row.legacyId, kind: "reject", reason, detail },
            counts,
          );
        const userId = await resolveUser(
          ctx,
          args.runId,
          "interests",
          row.legacyId,
          "user",
          row.legacyUserId,
          counts,
        );
        if (!userId) return;
        const key = canonicalKey(row.label);
        if (key.length === 0) {
          await reject(
            "INTEREST_KEY_EMPTY",
            `"${row.label}" has no letters or digits the interest catalogue keys on (a-z, 0-9)`,
          );
          return;
        }
        const mine = await ctx.db
          .query("userInterests")
          .withIndex("by_user", (q) => q.eq("userId", userId))
          .take(MAX_INTERESTS + 1);
        const same = mine.find((i) => i.interestKey === key);
        if (same) {
          await recordMapping(ctx, {
            table: "interests",
            legacyId: row.legacyId,
            convexId: same._id,
            outcome: "merged",
            runId: args.runId,
          });
          await recordIssue(
            ctx,
            args.runId,
            "interests",
            {
              legacyId: row.legacyId,
              kind: "merge",
              reason: "DUPLICATE_INTEREST",
              detail: `"${row.label}" is "${key}", which this person already has`,
            },
            counts,
          );
          counts.merged++;
          return;
        }
        if (mine.length >= MAX_INTERESTS) {
          await reject(
            "TOO_MANY_INTERESTS",
            `the person already has ${MAX_INTERESTS} interests (the app's limit); "${row.label}" left out`,
          );
          return;
        }
        const known = await ctx.db
          .query("interests")
          .withIndex("by_key", (q) => q.eq("key", key))
          .unique();
        if (!known) {
          await ctx.db.insert("interests", {
            key,
            label: row.label,
            category: row.category,
            createdAt: row.createdAt,
          });
        }
        const id = await ctx.db.insert("userInterests", {
          userId,
          interestKey: key,
          createdAt: row.createdAt,
        });
        await recordMapping(ctx, {
          table: "interests",
          legacyId: row.legacyId,
          convexId: id,
          outcome: "created",
          runId: args.runId,
        });
        counts.created++;
      },
    ),
});

/** Import legacy meetings as meetings + participants + lifecycle events (`meetings/legacy.ts`). */
export const meetings = internalMutation({
  args: { ...batchArgs, rows: v.array(legacyMeetingRow) },
  returns: batchResult,
  handler: async (ctx, args) =>
    await runBatch(
      ctx,
      "meetings",
      MAX_BATCH_ROWS.meetings,
      args,
      (row: LegacyMeetingRow, counts) => importLegacyMeeting(ctx, args.runId, row, counts),
    ),
});

/** Mark a table done in a run (the importer read its last page). */
export const finishTable = internalMutation({
  args: { runId: v.string(), table: importedTable },
  returns: v.null(),
  handler: async (ctx, { runId, table }) => {
    const opened = await ctx.db
      .query("migrationCheckpoints")
      .withIndex("by_run_table", (q) => q.eq("runId", runId).eq("table", table))
      .unique();
    if (!opened) throw appError("NOT_FOUND", `run ${runId} has no checkpoint for ${table}`);
    if (!opened.done)
      await ctx.db.patch("migrationCheckpoints", opened._id, { done: true, updatedAt: Date.now() });
    return null;
  },
});

/** Finish a run: the next `migrate` starts a new one (which skips every mapped row). */
export const finish = internalMutation({
  args: { runId: v.string() },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const run = await ctx.db
      .query("migrationRuns")
      .withIndex("by_run", (q) => q.eq("runId", runId))
      .unique();
    if (!run) throw appError("NOT_FOUND", `no migration run ${runId}`);
    if (run.status === "done") return null;
    const now = Date.now();
    await ctx.db.patch("migrationRuns", run._id, { status: "done", finishedAt: now });
    await writeAudit(ctx, { action: "migration.finish", outcome: "admin", detail: runId }, now);
    return null;
  },
});
