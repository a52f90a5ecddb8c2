/**
 * Legacy `meetings` → the importer's meeting rows (pure). People are
 * resolved in Convex (unknown or rejected people reject the meeting there;
 * user1 = user2 imports the host alone); the lifecycle (events) is decided
 * there by the app's own decider (`convex/meetings/legacy.ts`).
 *
 * - status: completed / complete / done / ended → `ended`; cancelled /
 *   canceled → `cancelled`; scheduled / pending / confirmed → `scheduled`
 *   (any case, blanks trimmed); anything else → rejected (`UNKNOWN_STATUS`).
 * - `scheduled_at` unreadable or infinite → rejected (`INVALID_TIME`).
 * - duration missing or ≤ 0 → 30 min (`DURATION_DEFAULTED`); over a day →
 *   rejected (`INVALID_DURATION`: the app refuses such meetings).
 * - title missing → "Connvo meeting" (`TITLE_DEFAULTED`); over 200
 *   characters → cut (`TITLE_TRUNCATED`).
 * - `created_at` unreadable → `scheduled_at` (`CREATED_AT_DEFAULTED`).
 */

import type { LegacyMeetingRow } from "../convex/lib/legacyRows";
import { MAX_DURATION_MINUTES, MAX_TITLE_LENGTH } from "../projections/lifecycle/decide";
import { cleanText, type Mapped, reject, repair, truncate } from "./clean";

/** A legacy meeting as the reader returns it. */
export type MeetingRead = {
  id: string;
  user1Id: string;
  user2Id: string | null;
  title: string | null;
  scheduledAt: number | null;
  durationMinutes: number | null;
  status: string;
  createdAt: number | null;
  updatedAt: number | null;
};

/** Why: the legacy app booked 30-minute slots unless told otherwise. */
export const DEFAULT_DURATION = 30;
/** The title of a meeting the legacy app stored without one. */
export const DEFAULT_TITLE = "Connvo meeting";

const STATUS: Record<string, LegacyMeetingRow["status"]> = {
  completed: "ended",
  complete: "ended",
  done: "ended",
  ended: "ended",
  cancelled: "cancelled",
  canceled: "cancelled",
  scheduled: "scheduled",
  pending: "scheduled",
  confirmed: "scheduled",
};

/** Map one legacy meeting. */
export function mapMeeting(m: MeetingRead): Mapped<LegacyMeetingRow> {
  const repairs = [];
  const status = STATUS[m.status.trim().toLowerCase()];
  if (!status)
    return reject(
      m.id,
      "UNKNOWN_STATUS",
      `status "${m.status}" is none of ${Object.keys(STATUS).join(", ")}`,
    );
  if (m.scheduledAt === null)
    return reject(m.id, "INVALID_TIME", "scheduled_at is not a finite time");
  if (m.scheduledAt < 0)
    return reject(
      m.id,
      "INVALID_TIME",
      `scheduled_at ${new Date(m.scheduledAt).toISOString()} is before 1970`,
    );
  let duration = m.durationMinutes;
  if (duration === null || duration <= 0) {
    repairs.push(
      repair(m.id, "DURATION_DEFAULTED", `duration_minutes ${duration}: ${DEFAULT_DURATION}`),
    );
    duration = DEFAULT_DURATION;
  } else if (duration > MAX_DURATION_MINUTES || !Number.isInteger(duration)) {
    return reject(
      m.id,
      "INVALID_DURATION",
      `duration_minutes ${duration} is not a whole number of minutes up to ${MAX_DURATION_MINUTES}`,
    );
  }
  let title = cleanText(m.title);
  if (title.length === 0) {
    repairs.push(
      repair(m.id, "TITLE_DEFAULTED", `title was ${JSON.stringify(m.title)}: "${DEFAULT_TITLE}"`),
    );
    title = DEFAULT_TITLE;
  } else if (title.length > MAX_TITLE_LENGTH) {
    repairs.push(repair(m.id, "TITLE_TRUNCATED", `title had ${title.length} characters`));
    title = truncate(title, MAX_TITLE_LENGTH);
  }
  let createdAt = m.createdAt;
  if (createdAt === null) {
    repairs.push(repair(m.id, "CREATED_AT_DEFAULTED", "created_at is not a time: scheduled_at"));
    createdAt = m.scheduledAt;
  }
  const row: LegacyMeetingRow = {
    legacyId: m.id,
    user1: m.user1Id,
    title,
    scheduledAt: m.scheduledAt,
    durationMinutes: duration,
    status,
    createdAt,
  };
  if (m.user2Id !== null) row.user2 = m.user2Id;
  if (m.updatedAt !== null) row.updatedAt = m.updatedAt;
  return { ok: true, row, repairs };
}
