/**
 * Invite links: a 256-bit random token (base64url, made in an action where
 * randomness is real), shown once to its maker; only its SHA-256 is stored, so
 * neither the database nor its backups hold a usable link. A link carries a
 * role (participant or observer: a link can be forwarded, so never a manager's
 * role), expires, can be revoked, and admits at most `maxUses` different
 * people (1 = single use); the same person opening it again uses nothing.
 */
import { randomToken } from "../lib/randomToken";

/** Why: 32 bytes = 256 bits; guessing is out of reach at any request rate. */
export const TOKEN_BYTES = 32;
/** Default and bounds of a link's lifetime (hours). */
export const LINK_HOURS = { default: 72, min: 1, max: 720 } as const;
/** Default and bounds of a link's uses. */
export const LINK_USES = { default: 1, min: 1, max: 100 } as const;

/** A fresh token: base64url of {@link TOKEN_BYTES} random bytes (43 characters). */
export function newLinkToken(): string {
  return randomToken(TOKEN_BYTES);
}

/** Whether `token` has the shape of one of ours (checked before hashing). */
export function isLinkToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** Hex SHA-256 of a token (what `inviteLinks.tokenHash` stores). */
export async function hashLinkToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Why a link cannot be used now, or null when it can (pure). */
export function linkRefusal(
  link: { expiresAt: number; revokedAt?: number; uses: number; maxUses: number },
  now: number,
): { reason: "REVOKED" | "EXPIRED" | "USED_UP"; message: string } | null {
  if (link.revokedAt !== undefined)
    return { reason: "REVOKED", message: "this invite link was revoked by the host" };
  if (now >= link.expiresAt) return { reason: "EXPIRED", message: "this invite link has expired" };
  if (link.uses >= link.maxUses)
    return { reason: "USED_UP", message: "this invite link has already been used" };
  return null;
}
