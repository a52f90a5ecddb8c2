/**
 * Applying a verified GetStream webhook event (internal; the HTTP action in
 * `webhook.ts` verified it): each webhook id once (a replay answers
 * `duplicate` and changes nothing); the call is found by its cid (our
 * `videoCalls` row, so another app's calls are ignored); joins, leaves, the
 * call's end and its recordings become `meetingEvents` through the one append
 * path (actor `system:getstream`, key `getstream:<webhook id>`), and the
 * call row keeps the recording flag the consent notice reads.
 */
import { v } from "convex/values";
import type { MeetingEvent } from "../../projections/events/meeting";
import { toStoredMeetingEvent } from "../../projections/events/meeting";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { env, internalMutation, type MutationCtx } from "../_generated/server";
import { appendEvent } from "../lib/events";
import { kickProjectors } from "../projectors/kick";
import { type StreamEvent, streamEventValidator } from "./streamEvents";

/** The actor of events GetStream reported. */
const ACTOR = "system:getstream";

async function logEvent(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  webhookId: string,
  event: MeetingEvent,
): Promise<void> {
  const stored = toStoredMeetingEvent(event);
  await appendEvent(
    ctx,
    "meetingEvents",
    {
      meetingId,
      actor: ACTOR,
      idempotencyKey: `getstream:${webhookId}`,
      schemaVersion: stored.schemaVersion,
      at: stored.at,
      kind: stored.kind,
      data: stored.data as Doc<"meetingEvents">["data"],
    },
    kickProjectors,
  );
}

async function callOf(ctx: MutationCtx, callCid: string) {
  const colon = callCid.indexOf(":");
  if (colon <= 0) return null;
  const callType = callCid.slice(0, colon);
  const callId = callCid.slice(colon + 1);
  return await ctx.db
    .query("videoCalls")
    .withIndex("by_call", (q) => q.eq("callType", callType).eq("callId", callId))
    .unique();
}

/** A meeting participant (not removed) by GetStream user id (= our user id), or null. */
async function participantOf(ctx: MutationCtx, meetingId: Id<"meetings">, userId: string) {
  const id = ctx.db.normalizeId("users", userId);
  if (!id) return null;
  const p = await ctx.db
    .query("participants")
    .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", id))
    .unique();
  return p && p.status !== "removed" ? p : null;
}

async function applyToCall(
  ctx: MutationCtx,
  call: Doc<"videoCalls">,
  webhookId: string,
  event: Exclude<StreamEvent, { kind: "other" }>,
): Promise<string> {
  const meetingId = call.meetingId;
  const at = Math.min(event.at, Date.now());
  switch (event.kind) {
    case "participantJoined":
    case "participantLeft": {
      const p = await participantOf(ctx, meetingId, event.userId);
      if (!p) return "ignored: not a participant of the meeting";
      const type =
        event.kind === "participantJoined" ? "CallParticipantJoined" : "CallParticipantLeft";
      await logEvent(ctx, meetingId, webhookId, { type, at, userId: p.userId });
      return `applied: ${type}`;
    }
    case "callEnded":
      await ctx.db.patch("videoCalls", call._id, { ended: true, recording: false });
      await logEvent(ctx, meetingId, webhookId, { type: "CallEnded", at });
      return "applied: CallEnded";
    case "recordingStarted":
    case "recordingStopped": {
      const recording = event.kind === "recordingStarted";
      await ctx.db.patch("videoCalls", call._id, { recording });
      const type = recording ? "RecordingStarted" : "RecordingStopped";
      await logEvent(ctx, meetingId, webhookId, { type, at });
      return `applied: ${type}`;
    }
    case "recordingReady": {
      const r = event.recording;
      const existing = await ctx.db
        .query("recordings")
        .withIndex("by_meeting_filename", (q) =>
          q.eq("meetingId", meetingId).eq("filename", r.filename),
        )
        .unique();
      if (existing) return "ignored: recording already known";
      const store = env.GETSTREAM_STORE_RECORDINGS === "1";
      const recordingId = await ctx.db.insert("recordings", {
        meetingId,
        provider: "getstream",
        filename: r.filename,
        url: r.url,
        sessionId: r.sessionId,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        status: store ? "fetching" : "ready",
        createdAt: Date.now(),
      });
      await logEvent(ctx, meetingId, webhookId, { type: "RecordingReady", at, recordingId });
      if (store)
        await ctx.scheduler.runAfter(0, internal.video.recordingFiles.fetchIntoStorage, {
          recordingId,
        });
      return "applied: RecordingReady";
    }
  }
}

/** Apply one verified event; answers what happened (also stored with the webhook id). */
export const apply = internalMutation({
  args: { webhookId: v.string(), event: streamEventValidator },
  returns: v.object({ outcome: v.string() }),
  handler: async (ctx, { webhookId, event }) => {
    const seen = await ctx.db
      .query("videoWebhookEvents")
      .withIndex("by_provider_webhook", (q) =>
        q.eq("provider", "getstream").eq("webhookId", webhookId),
      )
      .unique();
    if (seen) return { outcome: "duplicate" };
    let outcome: string;
    let meetingId: Id<"meetings"> | undefined;
    if (event.kind === "other") outcome = `ignored: ${event.type.slice(0, 100)}`;
    else {
      const call = await callOf(ctx, event.callCid);
      meetingId = call?.meetingId;
      outcome = call ? await applyToCall(ctx, call, webhookId, event) : "ignored: unknown call";
    }
    await ctx.db.insert("videoWebhookEvents", {
      provider: "getstream",
      webhookId,
      type: event.kind === "other" ? event.type.slice(0, 100) : event.kind,
      meetingId,
      outcome,
      receivedAt: Date.now(),
    });
    return { outcome };
  },
});
