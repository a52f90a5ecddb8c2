/**
 * Legacy `interests` → the importer's interest rows (pure). The catalogue
 * key is computed in Convex with matching's own `canonicalKey`
 * (`projections/matching/catalogue.ts`), which also
 * rejects labels without a key (`INTEREST_KEY_EMPTY`); duplicates per person
 * and the per-person limit are decided there too (they need the other rows).
 *
 * - name NFC-normalized and trimmed; blank → rejected (`EMPTY_INTEREST`);
 *   over the app's label limit (`PROFILE_LIMITS.label`, 60) → cut (`LABEL_TRUNCATED`).
 * - `created_at` unreadable → rejected (`INVALID_TIME`).
 */
import type { LegacyInterestRow } from "../convex/lib/legacyRows";
import { PROFILE_LIMITS } from "../projections/matching/catalogue";
import { cleanText, type Mapped, reject, repair, truncate } from "./clean";

/** A legacy interest as the reader returns it. */
export type InterestRead = {
  id: string;
  userId: string;
  name: string;
  category: string | null;
  createdAt: number | null;
};

/** Why: the app caps interest labels at `PROFILE_LIMITS.label` characters (profile edits refuse longer ones). */
export const MAX_LABEL = PROFILE_LIMITS.label;

/** Map one legacy interest. */
export function mapInterest(i: InterestRead): Mapped<LegacyInterestRow> {
  const repairs = [];
  let label = cleanText(i.name);
  if (label.length === 0)
    return reject(i.id, "EMPTY_INTEREST", `name is ${JSON.stringify(i.name)}`);
  if (i.createdAt === null) return reject(i.id, "INVALID_TIME", "created_at is not a time");
  if (label.length > MAX_LABEL) {
    label = truncate(label, MAX_LABEL);
    repairs.push(
      repair(i.id, "LABEL_TRUNCATED", `name had ${cleanText(i.name).length} characters`),
    );
  }
  const row: LegacyInterestRow = {
    legacyId: i.id,
    legacyUserId: i.userId,
    label,
    createdAt: i.createdAt,
  };
  const category = cleanText(i.category);
  if (category.length > 0) row.category = truncate(category, MAX_LABEL);
  return { ok: true, row, repairs };
}
