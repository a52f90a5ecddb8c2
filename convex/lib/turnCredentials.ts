/**
 * TURN credentials by the TURN REST scheme (draft-uberti-behave-turn-rest, as
 * coturn's `use-auth-secret` / `static-auth-secret` expects): the username is
 * `<expiry unix seconds>:<userId>` and the credential is the base64 HMAC-SHA1
 * of the username keyed with the shared secret. The TURN server recomputes it
 * and refuses expired usernames, so nothing is stored anywhere.
 *
 * Web Crypto only (`crypto.subtle`), so it runs in Convex's default runtime.
 */

/** ICE server entries as `RTCPeerConnection`'s `iceServers` takes them. */
export type IceServer = { urls: string[]; username?: string; credential?: string };

/** The call's STUN/TURN configuration (from the deployment's environment). */
export type TurnConfig = {
  /** `turn:` / `turns:` URLs; empty = no TURN. */
  turnUrls: string[];
  /** `stun:` URLs; empty = no STUN. */
  stunUrls: string[];
  /** The shared secret (coturn `static-auth-secret`); required with `turnUrls`. */
  secret: string | null;
  /** How long minted credentials live. */
  ttlSeconds: number;
  /** Relay-only ICE (`TURN_RELAY_ONLY=1`): peers never see each other's addresses. */
  relayOnly: boolean;
};

/** Why 1 h by default: covers a call's ICE restarts; the client re-mints before expiry. */
export const DEFAULT_TURN_TTL_SECONDS = 3600;
/** Why 24 h at most: a leaked credential stays useful no longer than a day. */
export const MAX_TURN_TTL_SECONDS = 86_400;

function urlList(raw: string | undefined, schemes: string[], name: string): string[] {
  const urls = (raw ?? "")
    .split(/[\s,]+/)
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  for (const u of urls)
    if (!schemes.some((s) => u.startsWith(`${s}:`)))
      throw new Error(
        `${name}: "${u}" must start with ${schemes.map((s) => `${s}:`).join(" or ")}`,
      );
  return urls;
}

/**
 * Read the configuration from environment variables: `TURN_URLS` (comma or
 * space separated `turn:`/`turns:` URLs), `TURN_SECRET`, `TURN_TTL_SECONDS`,
 * `STUN_URLS`. Throws a message naming the variable when one is malformed
 * (TURN URLs without a secret included).
 */
export function readTurnConfig(env: Record<string, string | undefined>): TurnConfig {
  const turnUrls = urlList(env.TURN_URLS, ["turn", "turns"], "TURN_URLS");
  const stunUrls = urlList(env.STUN_URLS, ["stun", "stuns"], "STUN_URLS");
  const secret = env.TURN_SECRET && env.TURN_SECRET.length > 0 ? env.TURN_SECRET : null;
  if (turnUrls.length > 0 && secret === null)
    throw new Error("TURN_URLS is set but TURN_SECRET is not (coturn's static-auth-secret)");
  const ttlRaw = env.TURN_TTL_SECONDS;
  const ttlSeconds =
    ttlRaw === undefined || ttlRaw === "" ? DEFAULT_TURN_TTL_SECONDS : Number(ttlRaw);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > MAX_TURN_TTL_SECONDS)
    throw new Error(
      `TURN_TTL_SECONDS must be a whole number of seconds in 60–${MAX_TURN_TTL_SECONDS}`,
    );
  const relayOnly = env.TURN_RELAY_ONLY === "1" || env.TURN_RELAY_ONLY === "true";
  if (relayOnly && turnUrls.length === 0)
    throw new Error("TURN_RELAY_ONLY needs TURN_URLS and TURN_SECRET (relays to go through)");
  return { turnUrls, stunUrls, secret, ttlSeconds, relayOnly };
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The TURN REST credential of `username` under `secret`: base64(HMAC-SHA1(secret, username)). */
export async function turnCredential(secret: string, username: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, enc.encode(username));
  return base64(new Uint8Array(mac));
}

/** A minted credential: the username carries its own expiry. */
export type MintedTurn = { username: string; credential: string; expiresAt: number };

/** Mint credentials for `userId` valid until `nowMs + ttlSeconds`. */
export async function mintTurnCredential(
  secret: string,
  userId: string,
  nowMs: number,
  ttlSeconds: number,
): Promise<MintedTurn> {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${userId}`;
  return { username, credential: await turnCredential(secret, username), expiresAt: expiry * 1000 };
}

/** What the call's `iceServers` action answers: the list, and which mode it amounts to. */
export type IceConfig = {
  iceServers: IceServer[];
  /** "turn": relays available; "stun": server-reflexive only; "host": host candidates only. */
  mode: "turn" | "stun" | "host";
  /** When the TURN credential expires (ms), if one was minted. */
  expiresAt: number | null;
  /** "relay" when the deployment asks for relay-only ICE. */
  iceTransportPolicy: "all" | "relay";
};

/** Which mode a configuration amounts to (see {@link IceConfig}). */
export function iceMode(config: TurnConfig): IceConfig["mode"] {
  if (config.turnUrls.length > 0 && config.secret !== null) return "turn";
  return config.stunUrls.length > 0 ? "stun" : "host";
}

/** Build the ICE configuration for `userId` at `nowMs` (mints when TURN is configured). */
export async function iceConfigFor(
  config: TurnConfig,
  userId: string,
  nowMs: number,
): Promise<IceConfig> {
  const iceServers: IceServer[] = [];
  if (config.stunUrls.length > 0) iceServers.push({ urls: config.stunUrls });
  if (config.turnUrls.length > 0 && config.secret !== null) {
    const minted = await mintTurnCredential(config.secret, userId, nowMs, config.ttlSeconds);
    iceServers.push({
      urls: config.turnUrls,
      username: minted.username,
      credential: minted.credential,
    });
    return {
      iceServers,
      mode: "turn",
      expiresAt: minted.expiresAt,
      iceTransportPolicy: config.relayOnly ? "relay" : "all",
    };
  }
  return { iceServers, mode: iceMode(config), expiresAt: null, iceTransportPolicy: "all" };
}
