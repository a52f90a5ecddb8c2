/**
 * Provisioning a paid meeting's GetStream call, exactly once.
 *
 * 1. `meetings.start` calls {@link requestPaidCall} in its transaction. For a
 *    meeting whose org is entitled to GetStream (and a deployment with
 *    GetStream configured) it inserts the meeting's `videoCalls` row, once:
 *    concurrent starts serialize on that index range under OCC, and the
 *    lifecycle decider refuses a second start anyway. Only that insert starts
 *    the provisioning job, under `@convex-dev/action-retrier`.
 * 2. {@link attempt} (one try per retrier run): {@link prepare} checks the row
 *    is still pending and asks the circuit breaker; then the client upserts the
 *    participants as GetStream users and gets-or-creates the call (a repeat
 *    after a lost answer creates nothing new); {@link settle} records the
 *    outcome in the row and the circuit. A retryable failure throws, so the
 *    retrier backs off and tries again.
 * 3. The runbook's fallback: when the circuit is open (at start or between
 *    tries), a failure is not worth retrying (GetStream refused our key), or
 *    the retrier gives up ({@link onComplete}), the row becomes `fallback` and
 *    the meeting uses the free WebRTC call for the rest of its life (people
 *    already in it are never moved mid-call).
 */
import { ActionRetrier, onCompleteValidator } from "@convex-dev/action-retrier";
import { type Infer, v } from "convex/values";
import { components, internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { env, internalAction, internalMutation, type MutationCtx } from "../_generated/server";
import { entitlementsOfMeeting } from "../billing/subscriptions";
import {
  admit,
  afterFailure,
  afterSuccess,
  type CircuitState,
  CLOSED,
  DEFAULT_CIRCUIT_POLICY,
} from "../lib/circuitBreaker";
import { flagOn } from "../lib/flags";
import { getStreamClient, readGetStreamConfig } from "../lib/getstream";
import { ProviderError } from "../lib/providerRetry";

/** The circuit's key in `providerCircuits`. */
export const GETSTREAM = "getstream";
/**
 * Why: GetStream takes up to 100 members at call creation; everyone else of a
 * meeting joins with a user token all the same (members only pre-fill the list).
 */
const MAX_MEMBERS = 100;

/**
 * Why 4 tries at 1 s, 2 s, 4 s: a rate limit or a blip clears in seconds, and
 * the room waits for the call meanwhile; past ~10 s the free call is better.
 * `GETSTREAM_RETRY_BACKOFF_MS` shortens the first wait (tests).
 */
const retrier = new ActionRetrier(components.actionRetrier, {
  initialBackoffMs: 1_000,
  base: 2,
  maxFailures: 3,
  logLevel: "WARN",
});

function backoffMs(): number {
  const n = Number(env.GETSTREAM_RETRY_BACKOFF_MS);
  return Number.isFinite(n) && n >= 1 ? n : 1_000;
}

function circuitPolicy() {
  const n = Number(env.GETSTREAM_CIRCUIT_COOLDOWN_MS);
  return Number.isFinite(n) && n >= 0
    ? { ...DEFAULT_CIRCUIT_POLICY, coolDownMs: n }
    : DEFAULT_CIRCUIT_POLICY;
}

async function circuitRow(ctx: MutationCtx) {
  return await ctx.db
    .query("providerCircuits")
    .withIndex("by_provider", (q) => q.eq("provider", GETSTREAM))
    .unique();
}

function stateOf(row: Doc<"providerCircuits"> | null): CircuitState {
  if (!row) return CLOSED;
  return row.openUntil === undefined
    ? { status: row.status, failures: row.failures }
    : { status: row.status, failures: row.failures, openUntil: row.openUntil };
}

async function saveCircuit(
  ctx: MutationCtx,
  row: Doc<"providerCircuits"> | null,
  next: CircuitState,
  lastError: string | undefined,
) {
  const fields = {
    provider: GETSTREAM,
    status: next.status,
    failures: next.failures,
    openUntil: next.openUntil,
    lastError,
    updatedAt: Date.now(),
  };
  if (row) await ctx.db.replace("providerCircuits", row._id, fields);
  else await ctx.db.insert("providerCircuits", fields);
}

async function callRow(ctx: MutationCtx, meetingId: Id<"meetings">) {
  return await ctx.db
    .query("videoCalls")
    .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
    .unique();
}

/**
 * From `meetings.start`, in its transaction: create the meeting's paid call
 * row and start provisioning, once. Nothing for meetings not entitled to
 * GetStream or without GetStream configured (the local default: the free
 * call). With the circuit open the row is written as `fallback` at once and
 * no job starts.
 */
export async function requestPaidCall(ctx: MutationCtx, meeting: Doc<"meetings">): Promise<void> {
  const config = readGetStreamConfig(env);
  if (!config) return;
  const { entitlements } = await entitlementsOfMeeting(ctx, meeting);
  if (entitlements.callProvider !== "getstream") return;
  if (await callRow(ctx, meeting._id)) return;
  const now = Date.now();
  const circuit = stateOf(await circuitRow(ctx));
  const open = circuit.status !== "closed" && now < (circuit.openUntil ?? 0);
  const rowId = await ctx.db.insert("videoCalls", {
    meetingId: meeting._id,
    provider: GETSTREAM,
    callType: config.callType,
    callId: meeting._id,
    status: open ? "fallback" : "pending",
    runs: 0,
    attempts: 0,
    recording: false,
    ended: false,
    requestedAt: now,
    ...(open ? { lastError: "GetStream's circuit is open: the free call is used" } : {}),
  });
  if (open) return;
  const runId = await retrier.run(
    ctx,
    internal.video.provision.attempt,
    { meetingId: meeting._id },
    { initialBackoffMs: backoffMs(), onComplete: internal.video.provision.onComplete },
  );
  await ctx.db.patch("videoCalls", rowId, { retrierRunId: runId });
}

const prepareResult = v.union(
  v.object({ go: v.literal(false) }),
  v.object({
    go: v.literal(true),
    callType: v.string(),
    callId: v.string(),
    createdBy: v.string(),
    recording: v.boolean(),
    members: v.array(
      v.object({
        userId: v.string(),
        name: v.string(),
        role: v.union(v.literal("admin"), v.literal("user")),
      }),
    ),
  }),
);

/** Before a try: the row must still be pending, and the circuit must let a request out. */
export const prepare = internalMutation({
  args: { meetingId: v.id("meetings") },
  returns: prepareResult,
  handler: async (ctx, { meetingId }): Promise<Infer<typeof prepareResult>> => {
    const row = await callRow(ctx, meetingId);
    const meeting = await ctx.db.get("meetings", meetingId);
    if (row?.status !== "pending" || !meeting) return { go: false };
    const circuitDoc = await circuitRow(ctx);
    const gate = admit(stateOf(circuitDoc), Date.now(), circuitPolicy());
    if (!gate.allowed) {
      await ctx.db.patch("videoCalls", row._id, {
        status: "fallback",
        lastError: "GetStream's circuit is open: the free call is used",
      });
      return { go: false };
    }
    if (gate.next.status !== stateOf(circuitDoc).status)
      await saveCircuit(ctx, circuitDoc, gate.next, circuitDoc?.lastError);
    await ctx.db.patch("videoCalls", row._id, { runs: row.runs + 1 });
    const people = await ctx.db
      .query("participants")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId))
      .take(MAX_MEMBERS * 2);
    const members: { userId: string; name: string; role: "admin" | "user" }[] = [];
    for (const p of people) {
      if (p.status === "removed" || members.length >= MAX_MEMBERS) continue;
      const user = await ctx.db.get("users", p.userId);
      const admin = p.role === "host" || p.role === "cohost";
      members.push({ userId: p.userId, name: user?.name ?? "", role: admin ? "admin" : "user" });
    }
    const { entitlements } = await entitlementsOfMeeting(ctx, meeting);
    // Recording needs the plan's entitlement and the `recording` flag (for the host).
    const recording = entitlements.recording && (await flagOn(ctx, "recording", meeting.hostId));
    return {
      go: true,
      callType: row.callType,
      callId: row.callId,
      createdBy: meeting.hostId,
      recording,
      members,
    };
  },
});

/** After a try: the row and the circuit learn the outcome. Answers whether to try again. */
export const settle = internalMutation({
  args: {
    meetingId: v.id("meetings"),
    ok: v.boolean(),
    error: v.optional(v.string()),
    retryable: v.boolean(),
  },
  returns: v.object({ retry: v.boolean() }),
  handler: async (ctx, { meetingId, ok, error, retryable }) => {
    const row = await callRow(ctx, meetingId);
    const circuitDoc = await circuitRow(ctx);
    const now = Date.now();
    if (ok) {
      await saveCircuit(ctx, circuitDoc, afterSuccess(), undefined);
      if (row?.status === "pending")
        await ctx.db.patch("videoCalls", row._id, {
          status: "ready",
          attempts: row.attempts + 1,
          readyAt: now,
          lastError: undefined,
        });
      return { retry: false };
    }
    const next = afterFailure(stateOf(circuitDoc), now, circuitPolicy());
    await saveCircuit(ctx, circuitDoc, next, error);
    if (row?.status !== "pending") return { retry: false };
    const giveUp = !retryable || next.status === "open";
    await ctx.db.patch("videoCalls", row._id, {
      attempts: row.attempts + 1,
      lastError: error,
      ...(giveUp ? { status: "fallback" as const } : {}),
    });
    return { retry: !giveUp };
  },
});

/** One provisioning try (run by the retrier: a throw means "try again later"). */
export const attempt = internalAction({
  args: { meetingId: v.id("meetings") },
  returns: v.null(),
  handler: async (ctx, { meetingId }) => {
    const config = readGetStreamConfig(env);
    if (!config) {
      await ctx.runMutation(internal.video.provision.settle, {
        meetingId,
        ok: false,
        error: "GetStream is no longer configured",
        retryable: false,
      });
      return null;
    }
    const plan = await ctx.runMutation(internal.video.provision.prepare, { meetingId });
    if (!plan.go) return null;
    const client = getStreamClient(config);
    try {
      await client.upsertUsers(plan.members.map((m) => ({ id: m.userId, name: m.name })));
      await client.getOrCreateCall({
        callType: plan.callType,
        callId: plan.callId,
        createdBy: plan.createdBy,
        members: plan.members,
        recording: plan.recording,
      });
    } catch (e) {
      const retryable = e instanceof ProviderError ? e.retryable : false;
      const error = (e as Error).message.slice(0, 500);
      const { retry } = await ctx.runMutation(internal.video.provision.settle, {
        meetingId,
        ok: false,
        error,
        retryable,
      });
      if (retry) throw new Error(`GetStream provisioning will be retried: ${error}`);
      return null;
    }
    await ctx.runMutation(internal.video.provision.settle, {
      meetingId,
      ok: true,
      retryable: false,
    });
    return null;
  },
});

/** The retrier's callback: when it gave up, the meeting falls back to the free call. */
export const onComplete = internalMutation({
  args: onCompleteValidator,
  returns: v.null(),
  handler: async (ctx, { runId, result }) => {
    if (result.type === "success") return null;
    const row = await ctx.db
      .query("videoCalls")
      .withIndex("by_retrier_run", (q) => q.eq("retrierRunId", runId))
      .unique();
    if (row?.status === "pending")
      await ctx.db.patch("videoCalls", row._id, {
        status: "fallback",
        lastError: `GetStream provisioning gave up after retries: ${row.lastError ?? result.type}`,
      });
    return null;
  },
});
