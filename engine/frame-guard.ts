/**
 * What one WebSocket connection may send, and how a frame becomes a message
 * without anything in it able to throw past the socket: byte-bounded close
 * reasons, a nesting-depth check before `JSON.parse`, a size cap (the ws
 * server's `maxPayload`), a cap on subscriptions and a message rate per
 * connection. Pure (time arrives as an argument).
 */

/** Per-connection limits; every field has a documented default. */
export type ConnectionLimits = {
  /** Largest frame accepted (ws `maxPayload`); bigger ones close the socket with 1009. */
  maxFrameBytes: number;
  /** Deepest JSON nesting accepted in a frame. */
  maxJsonDepth: number;
  /** Most queries one session may subscribe to at once. */
  maxQueriesPerSession: number;
  /** Sustained messages per second per connection (token bucket refill). */
  messagesPerSecond: number;
  /** Burst of messages per connection (token bucket size). */
  messageBurst: number;
};

/**
 * The defaults. Frames: Convex accepts arguments up to 16 MiB, so a frame
 * carrying them needs a little more (the same 20 MiB the HTTP API takes).
 * Depth: Convex values nest at most 64 levels; a frame wraps them in 4 more.
 * Queries: the web app holds a few dozen; 1,024 leaves room for large lists
 * while bounding one socket's memory and rerun cost. Rate: a client typing
 * sends tens of messages a second and a reconnect resends at most a few
 * thousand, and a benchmark writer awaiting each answer stays under the
 * engine's ~1,000–3,000 mutations/s; 5,000/s sustained with a 20,000 burst
 * never throttles them but stops a flood.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxFrameBytes: 20 << 20,
  maxJsonDepth: 68,
  maxQueriesPerSession: 1024,
  messagesPerSecond: 5000,
  messageBurst: 20_000,
};

/** RFC 6455: a close frame's reason is at most 123 bytes of UTF-8. */
export const MAX_CLOSE_REASON_BYTES = 123;

const encoder = new TextEncoder();

/** `text` cut to at most `maxBytes` UTF-8 bytes, never inside a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (encoder.encode(text).length <= maxBytes) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const n = encoder.encode(ch).length;
    if (used + n > maxBytes - 3) break;
    out += ch;
    used += n;
  }
  return `${out}...`;
}

/** A close reason that `ws.close()` accepts. */
export function closeReason(text: string): string {
  return truncateUtf8(text, MAX_CLOSE_REASON_BYTES);
}

/** A short printable preview of untrusted text for error messages. */
export function preview(text: string, maxChars = 60): string {
  let out = "";
  let n = 0;
  for (const ch of text) {
    if (n >= maxChars) return `${out}…`;
    out += ch;
    n += 1;
  }
  return out;
}

/** The deepest nesting of `[`/`{` in JSON text (strings skipped); stops counting past `limit`. */
export function jsonDepth(raw: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth += 1;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 93 || c === 125) depth -= 1;
  }
  return max;
}

/** A parsed client message, or why the frame is refused. */
export type ParsedFrame =
  | { ok: true; message: Record<string, unknown> }
  | { ok: false; reason: string };

/** Parse one frame under `limits` (never throws). */
export function parseFrame(raw: string, limits: ConnectionLimits): ParsedFrame {
  if (jsonDepth(raw, limits.maxJsonDepth) > limits.maxJsonDepth) {
    return {
      ok: false,
      reason: `Malformed message: nested deeper than ${limits.maxJsonDepth} levels`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, reason: `Malformed message: not JSON: ${preview(raw)}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: `Malformed message: not a JSON object: ${preview(raw)}` };
  }
  return { ok: true, message: parsed as Record<string, unknown> };
}

/** A token bucket: `messageBurst` tokens, refilled at `messagesPerSecond`. */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Take one token at time `now` (ms); false when the bucket is empty. */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
