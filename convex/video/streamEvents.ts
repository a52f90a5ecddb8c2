/**
 * GetStream Video webhook events, parsed (pure): the few kinds the meeting log
 * records, in GetStream's shapes (`type`, `created_at` RFC 3339, `call_cid` =
 * `<type>:<id>`), validated field by field. Anything else parses as `other`
 * (recorded as seen, nothing changed).
 */
import { v } from "convex/values";

/** A parsed event. `at` is the provider's `created_at` (ms). */
export type StreamEvent =
  | { kind: "participantJoined" | "participantLeft"; callCid: string; at: number; userId: string }
  | { kind: "callEnded" | "recordingStarted" | "recordingStopped"; callCid: string; at: number }
  | {
      kind: "recordingReady";
      callCid: string;
      at: number;
      recording: {
        filename: string;
        url: string;
        sessionId?: string;
        startedAt?: number;
        endedAt?: number;
      };
    }
  | { kind: "other"; type: string };

/** Validator of {@link StreamEvent} (the webhook passes it to the apply mutation). */
export const streamEventValidator = v.union(
  v.object({
    kind: v.union(v.literal("participantJoined"), v.literal("participantLeft")),
    callCid: v.string(),
    at: v.number(),
    userId: v.string(),
  }),
  v.object({
    kind: v.union(
      v.literal("callEnded"),
      v.literal("recordingStarted"),
      v.literal("recordingStopped"),
    ),
    callCid: v.string(),
    at: v.number(),
  }),
  v.object({
    kind: v.literal("recordingReady"),
    callCid: v.string(),
    at: v.number(),
    recording: v.object({
      filename: v.string(),
      url: v.string(),
      sessionId: v.optional(v.string()),
      startedAt: v.optional(v.number()),
      endedAt: v.optional(v.number()),
    }),
  }),
  v.object({ kind: v.literal("other"), type: v.string() }),
);

/** Why: ids and file names GetStream sends are short; anything longer is not theirs. */
const MAX_FIELD = 512;
/** Why: signed S3/CDN URLs carry long query strings. */
const MAX_URL = 4096;

function str(x: unknown, max = MAX_FIELD): string | null {
  return typeof x === "string" && x.length > 0 && x.length <= max ? x : null;
}

function time(x: unknown): number | null {
  const s = str(x);
  if (s === null) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

function obj(x: unknown): Record<string, unknown> | null {
  return typeof x === "object" && x !== null && !Array.isArray(x)
    ? (x as Record<string, unknown>)
    : null;
}

/** Parse a webhook body's JSON; null when it is not a GetStream event at all. */
export function parseStreamEvent(body: unknown): StreamEvent | null {
  const e = obj(body);
  const type = str(e?.type);
  if (!e || type === null) return null;
  const callCid = str(e.call_cid);
  const at = time(e.created_at);
  if (callCid === null || at === null) return { kind: "other", type };
  switch (type) {
    case "call.session_participant_joined":
    case "call.session_participant_left": {
      const userId = str(obj(obj(e.participant)?.user)?.id);
      if (userId === null) return null;
      const kind = type.endsWith("joined") ? "participantJoined" : "participantLeft";
      return { kind, callCid, at, userId };
    }
    case "call.ended":
      return { kind: "callEnded", callCid, at };
    case "call.recording_started":
      return { kind: "recordingStarted", callCid, at };
    case "call.recording_stopped":
    case "call.recording_failed":
      return { kind: "recordingStopped", callCid, at };
    case "call.recording_ready": {
      const r = obj(e.call_recording);
      const filename = str(r?.filename);
      const url = str(r?.url, MAX_URL);
      if (!r || filename === null || url === null || !/^https?:\/\//.test(url)) return null;
      const recording: Extract<StreamEvent, { kind: "recordingReady" }>["recording"] = {
        filename,
        url,
      };
      const sessionId = str(r.session_id);
      const startedAt = time(r.start_time);
      const endedAt = time(r.end_time);
      if (sessionId !== null) recording.sessionId = sessionId;
      if (startedAt !== null) recording.startedAt = startedAt;
      if (endedAt !== null) recording.endedAt = endedAt;
      return { kind: "recordingReady", callCid, at, recording };
    }
    default:
      return { kind: "other", type };
  }
}
