/**
 * Shared validators and helpers of the meeting command/query modules
 * (`meetings.ts`, `participants.ts`): argument shapes, result shapes, and the
 * common prologue of every lifecycle command (rate limit, idempotency key).
 */
import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { CLIENT_KEY_MAX } from "../lib/events";
import { spend } from "../lib/rateLimits";
import { type Refused, refused, resultValidator } from "../lib/results";

/** What a lifecycle command answers. */
export const commandResult = resultValidator({
  meetingId: v.id("meetings"),
  /** Kinds of the events appended (empty for a no-op or a duplicate). */
  events: v.array(v.string()),
  /** True when the idempotency key was seen before: nothing changed. */
  duplicate: v.boolean(),
});

/** Optional client idempotency key of a command (a UUID per user action). */
export const idempotencyKeyArg = v.optional(v.string());

/** A meeting as its participants see it, with the caller's own role and status. */
export const meetingView = v.object({
  _id: v.id("meetings"),
  title: v.string(),
  description: v.optional(v.string()),
  scheduledAt: v.number(),
  durationMinutes: v.number(),
  hostId: v.id("users"),
  status: v.union(
    v.literal("scheduled"),
    v.literal("active"),
    v.literal("ended"),
    v.literal("cancelled"),
  ),
  startedAt: v.optional(v.number()),
  endedAt: v.optional(v.number()),
  cancelledAt: v.optional(v.number()),
  myRole: v.union(
    v.literal("host"),
    v.literal("cohost"),
    v.literal("participant"),
    v.literal("observer"),
  ),
  myStatus: v.union(
    v.literal("invited"),
    v.literal("joined"),
    v.literal("left"),
    v.literal("removed"),
  ),
});

/** Shape a meeting row for its participant. */
export function toMeetingView(m: Doc<"meetings">, p: Doc<"participants">) {
  return {
    _id: m._id,
    title: m.title,
    description: m.description,
    scheduledAt: m.scheduledAt,
    durationMinutes: m.durationMinutes,
    hostId: m.hostId,
    status: m.status,
    startedAt: m.startedAt,
    endedAt: m.endedAt,
    cancelledAt: m.cancelledAt,
    myRole: p.role,
    myStatus: p.status,
  };
}

/**
 * The prologue of every lifecycle command: spend a `meetingCommands` token
 * (keyed on the identity) and settle the idempotency key (the client's, or a
 * fresh one so an unkeyed command is never mistaken for a retry).
 */
export async function commandPrologue(
  ctx: MutationCtx,
  user: Doc<"users">,
  idempotencyKey: string | undefined,
): Promise<{ ok: true; key: string } | Refused> {
  const limited = await spend(ctx, "meetingCommands", user);
  if (!limited.ok) return limited;
  if (idempotencyKey !== undefined) {
    if (idempotencyKey.length === 0 || idempotencyKey.length > CLIENT_KEY_MAX) {
      return refused("VALIDATION_ERROR", `idempotencyKey must be 1–${CLIENT_KEY_MAX} characters`);
    }
    // Scoped to the caller: another participant reusing the same key cannot
    // turn this command into a "duplicate" of theirs.
    return { ok: true, key: `${user._id}:${idempotencyKey}` };
  }
  return { ok: true, key: `srv:${crypto.randomUUID()}` };
}
