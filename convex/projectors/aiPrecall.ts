/**
 * The `aiPrecall` projector: folds the meeting stream into its status and
 * people (`projections/prompts/precallTrigger.ts`); the batch that sees the
 * meeting scheduled, or its people change while it is scheduled or live,
 * asks for pre-call ideas (a retried action, `ai/precall.generate`) in the
 * same transaction, so each change asks exactly once.
 */
import {
  type PrecallTrigger,
  peopleKey,
  precallTriggerFold,
  wantsIdeas,
} from "../../projections/prompts/precallTrigger";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { schedulePrecall } from "../ai/precallJobs";
import type { ProjectorImpl } from "./types";

async function rowOf(ctx: QueryCtx, meetingId: Id<"meetings">, version: number) {
  return await ctx.db
    .query("precallTriggers")
    .withIndex("by_meeting_version", (q) => q.eq("meetingId", meetingId).eq("version", version))
    .unique();
}

/** The aiPrecall projector. */
export const aiPrecallProjector: ProjectorImpl<PrecallTrigger> = {
  name: "aiPrecall",
  latest: 1,
  folds: { 1: precallTriggerFold },
  // Why: meeting events are few and the state is a short list of people.
  batchSize: 256,
  // Why: invitations come in bursts (a host adds five people): one request for the burst;
  // and ideas for a call are not urgent, so this work stays out of the way of live meetings.
  kickDelayMs: 5_000,
  // Why: as long as the kick delay: a busy stream is folded as often as a fresh kick would be.
  lingerMs: 5_000,
  async load(ctx, meetingId, version) {
    const row = await rowOf(ctx, meetingId, version);
    return row ? { status: row.status, people: row.people } : precallTriggerFold.init();
  },
  async save(ctx, meetingId, version, s) {
    const row = await rowOf(ctx, meetingId, version);
    const key = peopleKey(s);
    const ask = wantsIdeas(s) && key !== (row?.requestedKey ?? "");
    const requestedKey = ask ? key : (row?.requestedKey ?? "");
    const fields = { status: s.status, people: s.people, requestedKey };
    if (row) await ctx.db.patch("precallTriggers", row._id, fields);
    else await ctx.db.insert("precallTriggers", { meetingId, version, ...fields });
    if (ask)
      await schedulePrecall(ctx, meetingId, row?.requestedKey ? "participants" : "scheduled");
  },
  async deleteVersion(ctx, version, limit) {
    const rows = await ctx.db
      .query("precallTriggers")
      .withIndex("by_version", (q) => q.eq("version", version))
      .take(limit);
    for (const r of rows) await ctx.db.delete("precallTriggers", r._id);
    return rows.length;
  },
};
