/**
 * The erasure driver: one `erasures` row per person, advanced by `step`, an
 * internal mutation that does one bounded stage step and schedules the next
 * (Convex's limits hold at any data size; a crash resumes where the row says).
 *
 *     meetings: for each meeting they take part in (participants `by_user`,
 *               one page of one at a time) → the stages of `meeting.ts`
 *     person:   the stages of `person.ts`
 *     done
 *
 * Starting an erasure that is done runs it again from the start: every stage
 * is idempotent, and a re-run catches anything written since.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { internalMutation, type MutationCtx } from "../_generated/server";
import { writeAudit } from "../lib/audit";
import { ERASED_NAME } from "../lib/personalData";
import { rotatePersonsRoomKeys } from "../lib/roomKey";
import { MEETING_STAGES, type MeetingStage, meetingStep, type StageResult } from "./meeting";
import { PERSON_STAGES, type PersonStage, personStep } from "./person";

/** Why 1 min: a failing step (a bug, a refused edit) is retried without spinning the scheduler. */
export const ERASURE_RETRY_MS = 60_000;

/** Start (or restart) the erasure of `userId`; returns its row id. */
export async function startErasure(
  ctx: MutationCtx,
  userId: Id<"users">,
  requestedBy: string,
  now: number,
): Promise<Id<"erasures">> {
  const existing = await ctx.db
    .query("erasures")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .first();
  if (existing && existing.phase !== "done") return existing._id;
  const fresh = {
    userId,
    requestedBy,
    phase: "meetings" as const,
    meetingId: undefined,
    stage: undefined,
    cursor: undefined,
    meetingsCursor: undefined,
    meetingsDone: 0,
    rowsChanged: 0,
    steps: 0,
    startedAt: now,
    finishedAt: undefined,
    lastError: undefined,
  };
  // Marked at once: from now on nothing new is generated for them (insights skip erased people)
  // and the access matrix refuses them; their meetings' room keys rotate in this transaction
  // (the first batch; the rest in scheduled batches), so their live room views stop too.
  await ctx.db.patch("users", userId, { erasedAt: now });
  const rotated = await rotatePersonsRoomKeys(ctx, userId, null, now);
  if (!rotated.done) {
    await ctx.scheduler.runAfter(0, internal.rooms.rotateForPerson, {
      userId,
      cursor: rotated.cursor,
    });
  }
  const id = existing?._id ?? (await ctx.db.insert("erasures", fresh));
  if (existing) await ctx.db.patch("erasures", id, fresh);
  await ctx.scheduler.runAfter(0, internal.erasure.run.step, { erasureId: id });
  return id;
}

/** The person's names that other people's copies may quote (while the user row still has them). */
function namesOf(user: Doc<"users">): string[] {
  if (user.name === ERASED_NAME) return [];
  return [user.name, ...(user.email ? [user.email] : [])];
}

type Patch = Partial<Omit<Doc<"erasures">, "_id" | "_creationTime">>;

async function meetingsPhase(
  ctx: MutationCtx,
  e: Doc<"erasures">,
  user: Doc<"users">,
): Promise<{ patch: Patch; result?: StageResult }> {
  if (!e.meetingId) {
    const page = await ctx.db
      .query("participants")
      .withIndex("by_user", (q) => q.eq("userId", e.userId))
      .paginate({ cursor: e.meetingsCursor ?? null, numItems: 1 });
    const next = page.page[0];
    if (!next) return { patch: { phase: "person", stage: PERSON_STAGES[0], cursor: undefined } };
    return {
      patch: {
        meetingId: next.meetingId,
        stage: MEETING_STAGES[0],
        cursor: undefined,
        meetingsCursor: page.continueCursor,
      },
    };
  }
  const stage = e.stage as MeetingStage;
  const who = { userId: e.userId, names: namesOf(user) };
  const result = await meetingStep(ctx, stage, e.meetingId, who, e.cursor ?? null);
  if (!result.done) return { patch: { cursor: result.cursor }, result };
  const i = MEETING_STAGES.indexOf(stage);
  if (i + 1 < MEETING_STAGES.length)
    return { patch: { stage: MEETING_STAGES[i + 1], cursor: undefined }, result };
  return {
    patch: {
      meetingId: undefined,
      stage: undefined,
      cursor: undefined,
      meetingsDone: e.meetingsDone + 1,
    },
    result,
  };
}

async function personPhase(
  ctx: MutationCtx,
  e: Doc<"erasures">,
  user: Doc<"users">,
  now: number,
): Promise<{ patch: Patch; result: StageResult }> {
  const stage = e.stage as PersonStage;
  const result = await personStep(ctx, stage, user, e.cursor ?? null, now);
  if (!result.done) return { patch: { cursor: result.cursor }, result };
  const i = PERSON_STAGES.indexOf(stage);
  if (i + 1 < PERSON_STAGES.length)
    return { patch: { stage: PERSON_STAGES[i + 1], cursor: undefined }, result };
  return {
    patch: { phase: "done", stage: undefined, cursor: undefined, finishedAt: now },
    result,
  };
}

/** One bounded step of an erasure; schedules the next until done. */
export const step = internalMutation({
  args: { erasureId: v.id("erasures") },
  returns: v.null(),
  handler: async (ctx, { erasureId }) => {
    const e = await ctx.db.get("erasures", erasureId);
    if (!e || e.phase === "done") return null;
    const user = await ctx.db.get("users", e.userId);
    const now = Date.now();
    if (!user) {
      await ctx.db.patch("erasures", e._id, { phase: "done", finishedAt: now });
      return null;
    }
    let outcome: Awaited<ReturnType<typeof meetingsPhase>>;
    try {
      outcome =
        e.phase === "meetings"
          ? await meetingsPhase(ctx, e, user)
          : await personPhase(ctx, e, user, now);
    } catch (err) {
      // Stages are idempotent, so what the failed step wrote is safe to keep; the step runs again.
      const message = err instanceof Error ? err.message : String(err);
      await ctx.db.patch("erasures", e._id, { lastError: message.slice(0, 500) });
      await ctx.scheduler.runAfter(ERASURE_RETRY_MS, internal.erasure.run.step, { erasureId });
      return null;
    }
    const { patch, result } = outcome;
    await ctx.db.patch("erasures", e._id, {
      ...patch,
      steps: e.steps + 1,
      rowsChanged: e.rowsChanged + (result?.changed ?? 0),
      lastError: undefined,
    });
    if (patch.phase === "done") {
      await writeAudit(ctx, {
        action: "user.erase",
        outcome: "transition",
        actorId: e.userId,
        detail: `erasure finished: ${e.meetingsDone} meetings, ${e.rowsChanged + result!.changed} rows changed`,
      });
      return null;
    }
    await ctx.scheduler.runAfter(result?.retryMs ?? 0, internal.erasure.run.step, { erasureId });
    return null;
  },
});
