/**
 * The local development issuer: an RS256 key pair kept in the data dir, its
 * JWKS served at `<engine url>/dev-auth/.well-known/jwks.json`, and tokens
 * minted for any subject (audience `connvo-dev`, 1 h by default). Stands in
 * for WorkOS AuthKit locally; claims follow AuthKit's names (`org_id`, `role`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from "jose";

/** The audience (`applicationID`) of dev tokens. */
export const DEV_AUDIENCE = "connvo-dev";
/** Default lifetime of a dev token: an hour, like AuthKit access tokens' upper range. */
const DEFAULT_TTL_SECONDS = 3600;

/** Who a dev token is for. */
export type DevTokenClaims = {
  subject: string;
  name?: string;
  email?: string;
  orgId?: string;
  role?: string;
  /** The `email_verified` claim; only a boolean is passed on. */
  emailVerified?: boolean;
  /** Extra claims copied into the token as is. */
  claims?: Record<string, unknown>;
  /** Audience override (tests of audience checks); default `connvo-dev`. */
  audience?: string;
  /** Lifetime in seconds (negative mints an already-expired token, for tests). */
  expiresInSeconds?: number;
};

/** A loaded dev issuer. */
export type DevIssuer = {
  issuer: string;
  jwks: JSONWebKeySet;
  mint(claims: DevTokenClaims): Promise<string>;
};

type StoredKey = { privateJwk: JWK; publicJwk: JWK };

async function loadOrCreateKey(dataDir: string | null): Promise<StoredKey> {
  const file = dataDir ? join(dataDir, "dev-auth-key.json") : null;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as StoredKey;
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  const key: StoredKey = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" },
  };
  if (file && dataDir) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  }
  return key;
}

/** Load (or create and persist) the dev issuer for `issuer` (`<engine url>/dev-auth`). */
export async function loadDevIssuer(issuer: string, dataDir: string | null): Promise<DevIssuer> {
  const key = await loadOrCreateKey(dataDir);
  const privateKey = await importJWK(key.privateJwk, "RS256");
  return {
    issuer,
    jwks: { keys: [key.publicJwk] },
    async mint(c) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = { ...(c.claims ?? {}) };
      if (c.name !== undefined) payload.name = c.name;
      if (c.email !== undefined) payload.email = c.email;
      if (typeof c.emailVerified === "boolean") payload.email_verified = c.emailVerified;
      if (c.orgId !== undefined) payload.org_id = c.orgId;
      if (c.role !== undefined) payload.role = c.role;
      return await new SignJWT(payload)
        .setProtectedHeader({ alg: "RS256", kid: key.publicJwk.kid ?? "dev", typ: "JWT" })
        .setIssuer(issuer)
        .setSubject(c.subject)
        .setAudience(c.audience ?? DEV_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + (c.expiresInSeconds ?? DEFAULT_TTL_SECONDS))
        .sign(privateKey);
    },
  };
}
