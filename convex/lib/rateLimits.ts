/**
 * Rate limits on the hot paths (`@convex-dev/rate-limiter`), keyed on the
 * caller's identity (`tokenIdentifier`), never on a client-supplied id.
 * Helpers answer `{ ok: true }` or a RATE_LIMITED refusal; callers return the
 * refusal as a value so the spent tokens are committed.
 */
import { HOUR, MINUTE, RateLimiter, SECOND } from "@convex-dev/rate-limiter";
import { NOTE_PUSH_LIMIT } from "../../crdt/editBuffer";
import { components } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { type Refused, refused } from "./results";

/** The named limits (units: chunks, messages, pushes, commands). */
export const LIMITS = {
  // Why: a recognizer sends ~10 chunks/s per speaker (interims + finals); 2x headroom,
  // and a 5 s burst for a client flushing a backlog after a network blip.
  transcriptChunks: { kind: "token bucket", rate: 20, period: SECOND, capacity: 100 },
  // Why: people type a few messages a minute; 30/min with a burst of 10 stops floods only.
  chatMessages: { kind: "token bucket", rate: 30, period: MINUTE, capacity: 10 },
  // Why: see NOTE_PUSH_LIMIT (crdt/editBuffer.ts), which the provider paces its pushes by.
  notePushes: {
    kind: "token bucket",
    rate: NOTE_PUSH_LIMIT.ratePerSec,
    period: SECOND,
    capacity: NOTE_PUSH_LIMIT.capacity,
  },
  // Why: lifecycle commands are human clicks; 60/min blocks scripted abuse only.
  meetingCommands: { kind: "token bucket", rate: 60, period: MINUTE, capacity: 30 },
  // Why: a person edits their profile in a few saves; 30/min stops scripted churn (each edit re-embeds).
  profileEdits: { kind: "token bucket", rate: 30, period: MINUTE, capacity: 10 },
  // Why: an avatar is changed rarely; 10/hour bounds storage spent by one person.
  avatarUploads: { kind: "token bucket", rate: 10, period: HOUR, capacity: 5 },
  // Why: queue, answers, ratings and blocks are clicks; 30/min blocks scripted abuse only.
  matchingCommands: { kind: "token bucket", rate: 30, period: MINUTE, capacity: 10 },
  // Why: connection requests reach other people; 30/hour stops spam, a burst of 10 allows a session.
  connectionRequests: { kind: "token bucket", rate: 30, period: HOUR, capacity: 10 },
  // Why: as chat: a few messages a minute, a burst of 10.
  directMessages: { kind: "token bucket", rate: 30, period: MINUTE, capacity: 10 },

  // Why: joining a 6-person mesh sends ~5 descriptions + ~50 candidates in a few seconds, an ICE
  // restart as many again; 20/s with a burst of 120 covers both and stops a flood in seconds.
  rtcSignals: { kind: "token bucket", rate: 20, period: SECOND, capacity: 120 },
  // Why: call joins, leaves, heartbeats (4/min), mute toggles and connection reports are a few
  // a minute per person; 120/min with a burst of 60 lets a 6-mesh report every peer at once.
  rtcCommands: { kind: "token bucket", rate: 120, period: MINUTE, capacity: 60 },
  // Why: one mint per call join or ICE restart; 20/min stops a script minting credentials in bulk.
  turnMints: { kind: "token bucket", rate: 20, period: MINUTE, capacity: 10 },
  // Why: a speaker's pauses cut a segment every few seconds at most; 30/min with a burst of 15
  // leaves room for a backlog after a network blip and bounds provider spend per person.
  sttSegments: { kind: "token bucket", rate: 30, period: MINUTE, capacity: 15 },
  // Why: a page reports its call timings once a minute; 6/min with a burst of 6 covers a few
  // tabs of one person and a flush on page hide, and bounds what one person adds to the console.
  clientMetrics: { kind: "token bucket", rate: 6, period: MINUTE, capacity: 6 },
} as const;

/** The app's rate limiter (component `rateLimiter`). */
export const rateLimiter = new RateLimiter(components.rateLimiter, LIMITS);

/** A limit name. */
export type LimitName = keyof typeof LIMITS;

/** Spend `count` tokens of `name` for `user`, or a RATE_LIMITED refusal. */
export async function spend(
  ctx: MutationCtx,
  name: LimitName,
  user: Pick<Doc<"users">, "tokenIdentifier">,
  count = 1,
): Promise<{ ok: true } | Refused> {
  // The component throws (rolling everything back) on a count above the bucket's
  // capacity; an oversized request spends the whole bucket instead.
  const status = await rateLimiter.limit(ctx, name, {
    key: user.tokenIdentifier,
    count: Math.max(1, Math.min(count, LIMITS[name].capacity)),
  });
  if (status.ok) return { ok: true };
  const retryAfterMs = Math.ceil(status.retryAfter);
  return refused(
    "RATE_LIMITED",
    `too many requests (${name}); retry in ${retryAfterMs} ms`,
    retryAfterMs,
  );
}

/**
 * The note-push limit, for `convex/notes.ts` (issue 4): one token per pushed
 * update. Return the refusal as a value so the token stays spent.
 */
export async function limitNotePush(
  ctx: MutationCtx,
  user: Pick<Doc<"users">, "tokenIdentifier">,
  count = 1,
): Promise<{ ok: true } | Refused> {
  return await spend(ctx, "notePushes", user, count);
}
