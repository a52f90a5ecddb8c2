/**
 * Legacy `users` → the importer's user rows (pure).
 *
 * - `clerk_id` blank → rejected (`MISSING_CLERK_ID`): nothing could ever claim the row.
 * - email trimmed and lower-cased; malformed → imported without an email
 *   (`EMAIL_INVALID`, the value in the detail): the person can still claim
 *   the row by WorkOS user id or Clerk id.
 * - name NFC-normalized, blanks collapsed; missing → the email's local part
 *   (`NAME_FROM_EMAIL`) or "Connvo member" (`NAME_MISSING`); over 200
 *   characters → cut (`NAME_TRUNCATED`).
 * - `created_at` unreadable → rejected (`INVALID_TIME`); `updated_at` missing
 *   → `created_at`; before `created_at` (clock skew) → `created_at` (`CLOCK_SKEW`).
 * - WorkOS user id from the operator's WorkOS export, by Clerk id.
 */
import type { LegacyUserRow } from "../convex/lib/legacyRows";
import { cleanEmail, cleanText, type Mapped, reject, repair, truncate } from "./clean";

/** A legacy user as the reader returns it (times in epoch ms, or null when unreadable). */
export type UserRead = {
  id: string;
  clerkId: string;
  email: string;
  name: string | null;
  createdAt: number | null;
  updatedAt: number | null;
};

/** Why: the app caps names and profile fields at 200 characters (`users.ts`). */
export const MAX_NAME = 200;
/** The name of a person the legacy database knew no name or email for. */
export const FALLBACK_NAME = "Connvo member";

/** Map one legacy user. `workosByClerk`: Clerk id → WorkOS user id (optional export). */
export function mapUser(
  u: UserRead,
  workosByClerk?: ReadonlyMap<string, string>,
): Mapped<LegacyUserRow> {
  const repairs = [];
  const clerkId = u.clerkId.trim();
  if (clerkId.length === 0) return reject(u.id, "MISSING_CLERK_ID", "clerk_id is blank");
  if (u.createdAt === null) return reject(u.id, "INVALID_TIME", "created_at is not a time");
  const email = cleanEmail(u.email);
  if (email === null)
    repairs.push(
      repair(u.id, "EMAIL_INVALID", `"${u.email}" is not an email: imported without one`),
    );
  let name = cleanText(u.name);
  if (name.length === 0) {
    const local = email?.split("@")[0] ?? "";
    name = local.length > 0 ? local : FALLBACK_NAME;
    repairs.push(
      repair(
        u.id,
        local.length > 0 ? "NAME_FROM_EMAIL" : "NAME_MISSING",
        `name was ${JSON.stringify(u.name)}: "${name}"`,
      ),
    );
  } else if (name.length > MAX_NAME) {
    name = truncate(name, MAX_NAME);
    repairs.push(repair(u.id, "NAME_TRUNCATED", `name had ${cleanText(u.name).length} characters`));
  }
  let updatedAt = u.updatedAt ?? u.createdAt;
  if (updatedAt < u.createdAt) {
    repairs.push(
      repair(
        u.id,
        "CLOCK_SKEW",
        `updated_at ${new Date(updatedAt).toISOString()} is before created_at`,
      ),
    );
    updatedAt = u.createdAt;
  }
  const workosUserId = workosByClerk?.get(clerkId);
  const row: LegacyUserRow = { legacyId: u.id, clerkId, name, createdAt: u.createdAt, updatedAt };
  if (email !== null) row.email = email;
  if (workosUserId !== undefined) row.workosUserId = workosUserId;
  return { ok: true, row, repairs };
}
