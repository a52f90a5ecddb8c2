/**
 * Retention periods (DESIGN.md "Search, retention, erasure"; the seeds'
 * table) and which of them are due for a meeting. Pure: time arrives as data.
 *
 * | what | kept for |
 * | --- | --- |
 * | raw transcript chunks (`transcriptEvents`) | 30–90 days (`RETENTION_TRANSCRIPT_CHUNK_DAYS`, default 90) |
 * | chat (`chatEvents`) | 90 days |
 * | note updates (`noteSegments`) | 90 days, then compacted into one snapshot entry |
 * | transcript segments, notes, timeline keyframes | 1 year |
 * | prompts and insights | 1 year |
 * | audit log | 1 year |
 *
 * A meeting's age is counted from its end (or cancellation; its scheduled
 * time when it never ran).
 */

/** One day in ms. */
export const DAY_MS = 86_400_000;

/** What a retention pass removes (or compacts), per meeting; `audit` is per row. */
export const CATEGORIES = [
  "transcriptChunks",
  "chat",
  "noteUpdates",
  "transcriptSegments",
  "notes",
  "ai",
] as const;
/** A per-meeting retention category. */
export type Category = (typeof CATEGORIES)[number];

/** Days kept, per category (and `audit`). */
export type RetentionPolicy = Record<Category | "audit", number>;

/** The design's bounds for raw transcript chunks. */
export const CHUNK_DAYS_MIN = 30;
export const CHUNK_DAYS_MAX = 90;

/** The policy, with the configurable chunk period read from `env` (clamped to 30–90 days). */
export function readPolicy(env: Record<string, string | undefined>): RetentionPolicy {
  const raw = Number(env.RETENTION_TRANSCRIPT_CHUNK_DAYS);
  const chunks = Number.isFinite(raw)
    ? Math.min(CHUNK_DAYS_MAX, Math.max(CHUNK_DAYS_MIN, Math.round(raw)))
    : CHUNK_DAYS_MAX;
  return {
    transcriptChunks: chunks,
    chat: 90,
    noteUpdates: 90,
    transcriptSegments: 365,
    notes: 365,
    ai: 365,
    audit: 365,
  };
}

/** The shortest period: meetings younger than this need no look. */
export function youngestDue(policy: RetentionPolicy): number {
  return Math.min(...CATEGORIES.map((c) => policy[c]));
}

/** When a meeting's retention clock started. */
export function meetingEnd(m: {
  endedAt?: number;
  cancelledAt?: number;
  scheduledAt: number;
}): number {
  return m.endedAt ?? m.cancelledAt ?? m.scheduledAt;
}

/** The categories due for a meeting that ended at `endedAt`, at `now`. */
export function dueCategories(policy: RetentionPolicy, endedAt: number, now: number): Category[] {
  return CATEGORIES.filter((c) => now - endedAt >= policy[c] * DAY_MS);
}
