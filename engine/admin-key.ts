/**
 * The engine's admin key: what a deploy key is to a Convex deployment. A
 * request carrying it (`Authorization: Convex <key>`, as the Convex CLI and
 * `ConvexHttpClient.setAdminAuth(key)` send it) may call internal functions
 * and act as any identity. Kept in `<dataDir>/admin-key` (mode 0600) across
 * restarts and `--reset` (like the dev issuer's key: scripts that read it
 * keep working after a reset); in memory when there is no data dir.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Prefix of every engine admin key (Convex's keys also name the deployment first). */
export const ADMIN_KEY_PREFIX = "connvo-local|";

/** The admin key file of a data dir. */
export function adminKeyPath(dataDir: string): string {
  return join(dataDir, "admin-key");
}

/** Load the admin key of `dataDir`, creating it on first use. */
export function loadAdminKey(dataDir: string | null): string {
  const fresh = () => `${ADMIN_KEY_PREFIX}${randomBytes(32).toString("hex")}`;
  if (dataDir === null) return fresh();
  const file = adminKeyPath(dataDir);
  if (existsSync(file)) {
    const key = readFileSync(file, "utf8").trim();
    if (key.startsWith(ADMIN_KEY_PREFIX) && key.length > ADMIN_KEY_PREFIX.length + 32) return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = fresh();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** Admin credentials from an `Authorization: Convex <key>[:<base64 identity>]` header. */
export type AdminAuth = { actingAs: Record<string, unknown> | null };

/**
 * Check a `Convex <key>[:<identity>]` credential (the part after "Convex ")
 * against `key`; the identity is base64 of a JSON `UserIdentity`-like object.
 * Returns null when the key does not match.
 */
export function checkAdminCredential(credential: string, key: string): AdminAuth | null {
  const at = credential.indexOf(":", ADMIN_KEY_PREFIX.length);
  const given = at === -1 ? credential : credential.slice(0, at);
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  if (at === -1) return { actingAs: null };
  try {
    const json = new TextDecoder().decode(Buffer.from(credential.slice(at + 1), "base64"));
    const parsed = JSON.parse(json) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
    return { actingAs: parsed as Record<string, unknown> };
  } catch {
    return null;
  }
}
