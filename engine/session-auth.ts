/**
 * The authentication half of a sync session: what an `Authenticate` message
 * decides (a user token verified, the admin key checked, or anonymity), and
 * the timer that ends a session's identity when its token expires. The
 * session applies the decision; see `sync-session.ts`.
 */
import type { UserIdentity } from "convex/server";
import { preview } from "./frame-guard";

/** Longest delay a Node timer takes (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** What authentication needs from the engine. */
export type AuthHost = {
  verifyToken(token: string): Promise<{ identity: UserIdentity; expiresAtMs: number | null }>;
  /** Check an admin key sent in `Authenticate` (tokenType `Admin`); the identity it acts as. */
  checkAdmin(key: string): { actingAs: Record<string, unknown> | null } | null;
};

/** The outcome of one `Authenticate` (its base version already checked). */
export type AuthDecision =
  | { kind: "ok"; identity: UserIdentity | null; admin: boolean; expiresAtMs: number | null }
  | { kind: "refused"; error: string }
  | { kind: "malformed"; reason: string };

/** The identity an admin session acts as (`impersonating`), or none. */
export function actingAs(attrs: unknown): UserIdentity | null {
  if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs)) return null;
  const a = attrs as Record<string, unknown>;
  const issuer = typeof a.issuer === "string" ? a.issuer : "";
  const subject = typeof a.subject === "string" ? a.subject : "";
  const tokenIdentifier =
    typeof a.tokenIdentifier === "string" ? a.tokenIdentifier : `${issuer}|${subject}`;
  return { ...a, issuer, subject, tokenIdentifier } as UserIdentity;
}

/** Decide an `Authenticate` message: `User` (JWT), `Admin` (admin key) or `None`. */
export async function decideAuthenticate(
  host: AuthHost,
  msg: Record<string, unknown>,
): Promise<AuthDecision> {
  if (msg.tokenType === "User" && typeof msg.value === "string") {
    try {
      const verified = await host.verifyToken(msg.value);
      return {
        kind: "ok",
        identity: verified.identity,
        admin: false,
        expiresAtMs: verified.expiresAtMs,
      };
    } catch (e) {
      return { kind: "refused", error: (e as Error).message };
    }
  }
  if (msg.tokenType === "Admin") {
    const admin = typeof msg.value === "string" ? host.checkAdmin(msg.value) : null;
    if (!admin)
      return { kind: "refused", error: "The admin key is invalid (see <data dir>/admin-key)" };
    return {
      kind: "ok",
      identity: actingAs(msg.impersonating ?? admin.actingAs),
      admin: true,
      expiresAtMs: null,
    };
  }
  if (msg.tokenType === "None")
    return { kind: "ok", identity: null, admin: false, expiresAtMs: null };
  return {
    kind: "malformed",
    reason: `Malformed Authenticate: tokenType ${preview(String(msg.tokenType), 40)}`,
  };
}

/** One session's token-expiry timer. */
export class ExpiryTimer {
  private timer: NodeJS.Timeout | null = null;

  /** Call `onExpire` at `expiresAtMs` (nothing when null); replaces any earlier timer. */
  arm(expiresAtMs: number | null, onExpire: () => void): void {
    this.clear();
    if (expiresAtMs === null) return;
    // Node timers overflow past ~24.8 days; tokens that long-lived never expire here.
    const delay = Math.min(expiresAtMs - Date.now(), MAX_TIMER_MS);
    this.timer = setTimeout(onExpire, Math.max(0, delay));
    this.timer.unref();
  }

  /** Cancel the timer. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
