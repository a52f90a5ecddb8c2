import { defineTable } from "convex/server";
import { v } from "convex/values";

/** Where a meeting's paid call stands (see `video/provision.ts`). */
export const videoCallStatus = v.union(
  /** Provisioning is scheduled or running (the room waits). */
  v.literal("pending"),
  /** The GetStream call exists; participants fetch user tokens. */
  v.literal("ready"),
  /** GetStream could not be used (circuit open, retries spent): the free call. */
  v.literal("fallback"),
);

/** Circuit breaker states (`lib/circuitBreaker.ts`). */
export const circuitStatus = v.union(
  v.literal("closed"),
  v.literal("open"),
  v.literal("half_open"),
);

/**
 * The paid tier's call (issue 15, parts 3 and 4): one GetStream call per
 * meeting, the circuit breaker in front of GetStream, the provider's webhook
 * deliveries seen (replays refused), and recordings.
 */
export const videoTables = {
  /**
   * One row per meeting whose org is entitled to GetStream, written once when
   * the meeting starts (the insert is the "exactly once": concurrent starts
   * serialize on this index range under OCC), and only that insert starts the
   * provisioning job; GetStream's get-or-create makes a repeated try harmless.
   */
  videoCalls: defineTable({
    meetingId: v.id("meetings"),
    provider: v.literal("getstream"),
    callType: v.string(),
    callId: v.string(),
    status: videoCallStatus,
    /** Provisioning runs made (each with its own retries). */
    runs: v.number(),
    /** HTTP attempts made across runs. */
    attempts: v.number(),
    /** The action retrier's run that provisions it (its `onComplete` finds the row by it). */
    retrierRunId: v.optional(v.string()),
    /** Why the call fell back, or the last provider error. */
    lastError: v.optional(v.string()),
    /** True between the provider's recording started and stopped (consent notice). */
    recording: v.boolean(),
    /** True once the provider said the call ended. */
    ended: v.boolean(),
    requestedAt: v.number(),
    readyAt: v.optional(v.number()),
  })
    .index("by_meeting", ["meetingId"])
    .index("by_call", ["callType", "callId"])
    .index("by_retrier_run", ["retrierRunId"]),
  /** One circuit per outside provider (`getstream`), read before every provisioning. */
  providerCircuits: defineTable({
    provider: v.string(),
    status: circuitStatus,
    /** Consecutive failed requests. */
    failures: v.number(),
    /** While open: until when (ms); then one trial request is let through. */
    openUntil: v.optional(v.number()),
    lastError: v.optional(v.string()),
    updatedAt: v.number(),
  }).index("by_provider", ["provider"]),
  /** Webhook deliveries applied, by the provider's webhook id: a replay is refused. */
  videoWebhookEvents: defineTable({
    provider: v.literal("getstream"),
    webhookId: v.string(),
    type: v.string(),
    meetingId: v.optional(v.id("meetings")),
    outcome: v.string(),
    receivedAt: v.number(),
  }).index("by_provider_webhook", ["provider", "webhookId"]),
  /**
   * A recording of a meeting's paid call, from GetStream's `call.recording_ready`
   * (one row per file; the provider's filename is the key). `storageId` once the
   * file was fetched into Convex storage (`GETSTREAM_STORE_RECORDINGS=1`).
   */
  recordings: defineTable({
    meetingId: v.id("meetings"),
    provider: v.literal("getstream"),
    filename: v.string(),
    /** The provider's download URL (signed; it expires at the provider). */
    url: v.string(),
    sessionId: v.optional(v.string()),
    startedAt: v.optional(v.number()),
    endedAt: v.optional(v.number()),
    status: v.union(
      v.literal("ready"),
      v.literal("fetching"),
      v.literal("stored"),
      v.literal("failed"),
    ),
    storageId: v.optional(v.id("_storage")),
    bytes: v.optional(v.number()),
    fetchError: v.optional(v.string()),
    createdAt: v.number(),
  })
    .index("by_meeting", ["meetingId", "createdAt"])
    .index("by_meeting_filename", ["meetingId", "filename"]),
};
