/**
 * The free-tier call's signaling rules, as pure functions and named limits
 * (no ctx, no clock): what a signal may carry, how big it may be, what an
 * observer's session description may ask for. `rtcSignals.send` applies them.
 */

/**
 * Why 6: a full mesh sends every stream to every peer; at 6 people each browser
 * uploads 5 video streams (~2.5 Mbit/s at the browser's default 500 kbit/s each),
 * the most a home uplink and a laptop encoder carry. Past that the call refuses
 * the 7th person (CONFLICT) and the room tells them the call is full; the paid
 * tier's SFU (GetStream) is the way to larger calls.
 */
export const MAX_CALL_PARTICIPANTS = 6;

/**
 * Why 16 KiB: Chromium's offer for audio + video with every codec it supports is
 * ~6 KB, an ICE-restart offer a few hundred bytes more; 2.5x headroom, and a
 * bound on what one signal row and one inbox read weigh.
 */
export const MAX_SDP_CHARS = 16_384;
/** Why 1 KiB: an ICE candidate line is ~100-200 chars, plus mid, index and ufrag. */
export const MAX_CANDIDATE_CHARS = 1024;
/** Why 20: a peer gathers a handful of candidates per interface; a client coalesces them. */
export const MAX_SIGNALS_PER_SEND = 20;
/**
 * Why 128: a peer's pending signals at a 6-person join are ~5 descriptions and
 * ~50 candidates when the recipient has not acknowledged any yet; beyond that
 * the recipient is gone or stuck, and the sender is told (CONFLICT) instead of
 * filling a mailbox nobody reads.
 */
export const MAX_PENDING_SIGNALS = 128;
/** Why 60 s: an unread signal older than that belongs to a negotiation that has timed out. */
export const SIGNAL_TTL_MS = 60_000;
/** Why 15 s: heartbeats are cheap; four a minute keep a crashed tab visible for <= 45 s. */
export const HEARTBEAT_INTERVAL_MS = 15_000;
/** Why 45 s: three missed heartbeats mean the tab is gone (its peers also see ICE fail). */
export const SESSION_TTL_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** Why 64: a tab id is a UUID or similar; bounds what is stored. */
export const MAX_DEVICE_ID_CHARS = 64;

/** A signal's kind. */
export type SignalKind = "offer" | "answer" | "candidate";

/** Media sections of an SDP: kind and direction (`sendrecv` when no attribute says otherwise). */
export function sdpMediaDirections(sdp: string): { kind: string; direction: string }[] {
  const lines = sdp.split(/\r?\n/);
  const DIRECTIONS = new Set(["sendrecv", "sendonly", "recvonly", "inactive"]);
  let sessionDirection = "sendrecv";
  const out: { kind: string; direction: string; port: string }[] = [];
  for (const line of lines) {
    if (line.startsWith("m=")) {
      const [kind = "", port = ""] = line.slice(2).split(" ");
      out.push({ kind, direction: sessionDirection, port });
    } else if (line.startsWith("a=") && DIRECTIONS.has(line.slice(2).trim())) {
      const direction = line.slice(2).trim();
      const current = out[out.length - 1];
      if (current) current.direction = direction;
      else sessionDirection = direction;
    }
  }
  // A media section with port 0 is rejected/stopped: it carries nothing.
  return out.filter((m) => m.port !== "0").map(({ kind, direction }) => ({ kind, direction }));
}

/** Whether a session description offers to send audio or video. */
export function sdpSendsMedia(sdp: string): boolean {
  return sdpMediaDirections(sdp).some(
    (m) =>
      (m.kind === "audio" || m.kind === "video") &&
      (m.direction === "sendrecv" || m.direction === "sendonly"),
  );
}

/** The outcome of checking one signal: null when it may be sent, else why not. */
export type SignalProblem = { code: "VALIDATION_ERROR" | "FORBIDDEN"; message: string } | null;

/**
 * Check one signal's payload: descriptions are SDP (`v=0` first, at most
 * {@link MAX_SDP_CHARS}); candidates are `RTCIceCandidateInit` JSON (at most
 * {@link MAX_CANDIDATE_CHARS}). A receive-only (observer) session may not
 * describe media it would send.
 */
export function checkSignal(
  kind: SignalKind,
  payload: string,
  receiveOnly: boolean,
): SignalProblem {
  if (kind === "candidate") {
    if (payload.length > MAX_CANDIDATE_CHARS)
      return {
        code: "VALIDATION_ERROR",
        message: `an ICE candidate is at most ${MAX_CANDIDATE_CHARS} characters`,
      };
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return { code: "VALIDATION_ERROR", message: "an ICE candidate must be JSON" };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      return { code: "VALIDATION_ERROR", message: "an ICE candidate must be a JSON object" };
    const c = parsed as Record<string, unknown>;
    if (typeof c.candidate !== "string")
      return { code: "VALIDATION_ERROR", message: "an ICE candidate needs a `candidate` string" };
    if (c.sdpMid !== undefined && c.sdpMid !== null && typeof c.sdpMid !== "string")
      return { code: "VALIDATION_ERROR", message: "`sdpMid` must be a string or null" };
    if (
      c.sdpMLineIndex !== undefined &&
      c.sdpMLineIndex !== null &&
      !(Number.isInteger(c.sdpMLineIndex) && (c.sdpMLineIndex as number) >= 0)
    )
      return { code: "VALIDATION_ERROR", message: "`sdpMLineIndex` must be a whole number" };
    return null;
  }
  if (payload.length > MAX_SDP_CHARS)
    return {
      code: "VALIDATION_ERROR",
      message: `a session description is at most ${MAX_SDP_CHARS} characters (got ${payload.length})`,
    };
  if (!payload.startsWith("v=0"))
    return { code: "VALIDATION_ERROR", message: "a session description must be SDP (`v=0` first)" };
  if (receiveOnly && sdpSendsMedia(payload))
    return {
      code: "FORBIDDEN",
      message: "observers receive only: this description would send audio or video",
    };
  return null;
}

/** The minute a signal counts toward in the throughput metrics. */
export function metricsMinute(at: number): number {
  return Math.floor(at / 60_000) * 60_000;
}
