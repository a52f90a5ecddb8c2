import { defineTable } from "convex/server";
import { v } from "convex/values";

/** What a call session sends: its microphone and camera state (shown to peers). */
export const rtcMediaState = v.object({ audio: v.boolean(), video: v.boolean() });

/** Kinds of signal: a session description (offer or answer) or one ICE candidate. */
export const rtcSignalKind = v.union(
  v.literal("offer"),
  v.literal("answer"),
  v.literal("candidate"),
);

/** What the client's connection reports say happened (observability). */
export const rtcReportKind = v.union(
  v.literal("connected"),
  v.literal("failed"),
  v.literal("firstMedia"),
  v.literal("iceRestart"),
);

/**
 * The free tier's call (issue 14): WebRTC signaling through Convex, and the
 * call's consent and observability rows. None of this is the event log:
 * sessions and signals are ephemeral (deleted once ended or consumed, swept
 * after a TTL); metrics are counters for operators.
 */
export const rtcTables = {
  /**
   * One row per participant connection to a meeting's call (at most one live
   * per person and meeting: joining again replaces the older one). Deleted
   * when the person leaves the call, leaves or is removed from the meeting,
   * the meeting ends, or no heartbeat came for the TTL.
   */
  rtcSessions: defineTable({
    meetingId: v.id("meetings"),
    userId: v.id("users"),
    /** The browser tab's own id (random per page load), to tell its rejoin from another tab. */
    deviceId: v.string(),
    /** Observers receive only: their SDP may not send media. */
    receiveOnly: v.boolean(),
    media: rtcMediaState,
    joinedAt: v.number(),
    lastSeen: v.number(),
  })
    .index("by_meeting", ["meetingId", "joinedAt"])
    .index("by_meeting_user", ["meetingId", "userId"])
    .index("by_lastSeen", ["lastSeen"]),
  /**
   * One signal from one session to another of the same meeting. Read only by
   * the addressee (`rtcSignals.inbox`), deleted when it acknowledges it, when
   * either session ends, or by the sweep after `expiresAt`.
   */
  rtcSignals: defineTable({
    meetingId: v.id("meetings"),
    fromSession: v.id("rtcSessions"),
    toSession: v.id("rtcSessions"),
    kind: rtcSignalKind,
    /** The SDP, or the candidate as JSON (`RTCIceCandidateInit`). */
    payload: v.string(),
    expiresAt: v.number(),
  })
    .index("by_to", ["toSession"])
    .index("by_from", ["fromSession"])
    .index("by_expires", ["expiresAt"]),
  /** Whether the host turned transcription from the call's audio on (one row per meeting). */
  rtcTranscription: defineTable({
    meetingId: v.id("meetings"),
    enabled: v.boolean(),
    changedBy: v.id("users"),
    changedAt: v.number(),
  }).index("by_meeting", ["meetingId"]),
  /** A participant's opt-out of transcription in one meeting (row present = opted out). */
  rtcTranscriptionOptOuts: defineTable({
    meetingId: v.id("meetings"),
    userId: v.id("users"),
    at: v.number(),
  }).index("by_meeting_user", ["meetingId", "userId"]),
  /**
   * Call observability, queryable per meeting. Signal throughput is one row per
   * (sending session, minute), written only by that session's own sends (no
   * row shared between writers); TURN mints and connection reports are one row
   * each (rare: a few per person and call).
   */
  rtcMetrics: defineTable({
    meetingId: v.id("meetings"),
    userId: v.id("users"),
    kind: v.union(v.literal("signals"), v.literal("turnMint"), rtcReportKind),
    /** The session that reported or sent (absent for TURN mints before a session). */
    sessionId: v.optional(v.string()),
    /** `signals`: the minute (ms since epoch, floored). Other kinds: when. */
    at: v.number(),
    /** `signals`: signals sent that minute. */
    count: v.optional(v.number()),
    /** `signals`: payload bytes sent that minute. */
    bytes: v.optional(v.number()),
    /** `connected` / `firstMedia`: milliseconds since the peer connection was created. */
    ms: v.optional(v.number()),
    /** `connected`: the selected candidate pair's local candidate type (host, srflx, relay, prflx). */
    candidateType: v.optional(v.string()),
    /** `turnMint`: "turn" when TURN credentials were minted, "none" without configuration. */
    detail: v.optional(v.string()),
  })
    .index("by_meeting_kind", ["meetingId", "kind", "at"])
    .index("by_session_kind", ["sessionId", "kind", "at"])
    .index("by_kind_at", ["kind", "at"]),
};
