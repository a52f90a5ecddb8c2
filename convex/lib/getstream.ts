/**
 * GetStream Video, server side: configuration, the tokens GetStream accepts
 * (HS256 JWTs signed with the app's API secret, through `jose`), and the
 * narrow client the paid call needs behind an interface ({@link VideoProvider}):
 * upsert the participants as GetStream users, get-or-create the meeting's call,
 * end it when the meeting ends.
 *
 * Wire format (GetStream's REST API v2, as `@stream-io/node-sdk` sends it):
 * `POST <base>/api/v2/users?api_key=<key>` and
 * `POST <base>/api/v2/video/call/<type>/<id>?api_key=<key>` (and `…/mark_ended`), headers
 * `Authorization: <server JWT>` (no "Bearer"), `stream-auth-type: jwt`, JSON
 * bodies; errors are `{code, message, StatusCode}` with 429 (rate limit,
 * `X-RateLimit-Reset` in unix seconds) and 5xx worth retrying.
 *
 * Why fetch + jose and not `@stream-io/node-sdk` here: `convex/` runs in
 * Convex's runtime (no Node built-ins without "use node"), and heavy SDKs
 * imported into `convex/` stalled the embedded engine before (the `stripe`
 * package, see `billing/stripeSignature.ts`); two endpoints are a few lines.
 */
import { SignJWT } from "jose";
import { ProviderError, retryAfterMs, retryableStatus } from "./providerRetry";

/** GetStream's production edge for video. */
export const GETSTREAM_DEFAULT_BASE_URL = "https://video.stream-io-api.com";
/** Why 10 s: GetStream answers in well under a second; longer means an outage for us. */
export const GETSTREAM_DEFAULT_TIMEOUT_MS = 10_000;
/** Why 5 min: a server token is minted per request; a short life limits a leak. */
const SERVER_TOKEN_TTL_S = 300;
/** Why 4 h: longer than any meeting is scheduled for; the room fetches a fresh one on rejoin. */
export const USER_TOKEN_TTL_S = 4 * 60 * 60;
/** Why: GetStream rejects tokens whose `iat` is in its future; clocks differ by seconds. */
const CLOCK_SKEW_S = 5;

/** What the deployment configures (see README, "GetStream Video"). */
export type GetStreamConfig = {
  apiKey: string;
  apiSecret: string;
  baseUrl: string;
  timeoutMs: number;
  /** The call type every meeting's call is created as (GetStream's `default`). */
  callType: string;
};

/**
 * The configuration from the environment, or null when GetStream is not
 * configured (the local default: every meeting uses the free call).
 */
export function readGetStreamConfig(
  env: Record<string, string | undefined>,
): GetStreamConfig | null {
  const apiKey = env.GETSTREAM_API_KEY?.trim();
  const apiSecret = env.GETSTREAM_API_SECRET?.trim();
  if (!apiKey || !apiSecret) return null;
  const timeout = Number(env.GETSTREAM_TIMEOUT_MS);
  return {
    apiKey,
    apiSecret,
    baseUrl: (env.GETSTREAM_BASE_URL?.trim() || GETSTREAM_DEFAULT_BASE_URL).replace(/\/+$/, ""),
    timeoutMs:
      Number.isFinite(timeout) && timeout >= 100 && timeout <= 60_000
        ? timeout
        : GETSTREAM_DEFAULT_TIMEOUT_MS,
    callType: env.GETSTREAM_CALL_TYPE?.trim() || "default",
  };
}

function hmacKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** The server token: `{server: true}`, HS256 with the API secret. */
export async function serverToken(secret: string, nowS: number): Promise<string> {
  return await new SignJWT({ server: true })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(nowS - CLOCK_SKEW_S)
    .setExpirationTime(nowS + SERVER_TOKEN_TTL_S)
    .sign(hmacKey(secret));
}

/** A user token for the React SDK: `{user_id}`, HS256 with the API secret. Never stored. */
export async function userToken(
  secret: string,
  userId: string,
  nowS: number,
  ttlS: number = USER_TOKEN_TTL_S,
): Promise<{ token: string; expiresAt: number }> {
  const token = await new SignJWT({ user_id: userId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(nowS - CLOCK_SKEW_S)
    .setExpirationTime(nowS + ttlS)
    .sign(hmacKey(secret));
  return { token, expiresAt: (nowS + ttlS) * 1000 };
}

/** A participant as GetStream knows them (our user id is their user id). */
export type VideoUser = { id: string; name: string };

/** What the call is created with. */
export type CallSpec = {
  callType: string;
  callId: string;
  createdBy: string;
  members: { userId: string; role: "admin" | "user" }[];
  /** Whether recording is available in the call (the org's entitlement). */
  recording: boolean;
};

/** The provider seam: the real client below, the loopback fake in the tests. */
export interface VideoProvider {
  upsertUsers(users: VideoUser[]): Promise<void>;
  /** Get-or-create: the same call id twice creates it once (`created` says which). */
  getOrCreateCall(spec: CallSpec): Promise<{ cid: string; created: boolean }>;
  /** End the call for everyone in it (GetStream's "mark ended"). */
  endCall(callType: string, callId: string): Promise<void>;
}

/** The real GetStream client (fetch). Failures are {@link ProviderError}s. */
export function getStreamClient(
  config: GetStreamConfig,
  fetchImpl: typeof fetch = fetch,
): VideoProvider {
  async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
    const url = `${config.baseUrl}${path}?api_key=${encodeURIComponent(config.apiKey)}`;
    const token = await serverToken(config.apiSecret, Math.floor(Date.now() / 1000));
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: "POST",
        headers: {
          authorization: token,
          "stream-auth-type": "jwt",
          "content-type": "application/json",
          "x-stream-client": "connvo-convex",
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (e) {
      const timeout = (e as Error).name === "TimeoutError" || (e as Error).name === "AbortError";
      throw new ProviderError(
        timeout
          ? `GetStream did not answer within ${config.timeoutMs} ms`
          : `GetStream unreachable: ${(e as Error).message}`,
        true,
      );
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text.slice(0, 200);
      try {
        const err = JSON.parse(text) as { message?: unknown };
        if (typeof err.message === "string") detail = err.message;
      } catch {
        // not JSON: keep the text
      }
      const now = Date.now();
      const reset = Number(res.headers.get("x-ratelimit-reset"));
      const wait =
        retryAfterMs(res.headers.get("retry-after"), now) ??
        (Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : null);
      throw new ProviderError(
        `GetStream answered ${res.status}: ${detail}`,
        retryableStatus(res.status),
        res.status,
        wait,
      );
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new ProviderError("GetStream answered something that is not JSON", true, res.status);
    }
  }

  const callPath = (callType: string, callId: string) =>
    `/api/v2/video/call/${encodeURIComponent(callType)}/${encodeURIComponent(callId)}`;

  return {
    async upsertUsers(users) {
      const map: Record<string, { id: string; name: string; role: string }> = {};
      for (const u of users) map[u.id] = { id: u.id, name: u.name, role: "user" };
      await post("/api/v2/users", { users: map });
    },
    async getOrCreateCall(spec) {
      const out = await post(callPath(spec.callType, spec.callId), {
        data: {
          created_by_id: spec.createdBy,
          members: spec.members.map((m) => ({ user_id: m.userId, role: m.role })),
          settings_override: {
            recording: { mode: spec.recording ? "available" : "disabled", quality: "720p" },
          },
        },
      });
      const call = out.call as { cid?: unknown } | undefined;
      if (typeof call?.cid !== "string")
        throw new ProviderError("GetStream's answer names no call", true);
      return { cid: call.cid, created: out.created === true };
    },
    async endCall(callType, callId) {
      await post(`${callPath(callType, callId)}/mark_ended`, {});
    },
  };
}
