/**
 * Validation of a queue entry (pure; `now` arrives as data): the window, the
 * meeting length and the constraints, normalised (interests to canonical
 * keys, languages to lower case, duplicates dropped), plus when the entry
 * expires: once no meeting of its length can start after the answer
 * deadline and still end inside the window.
 */
import { canonicalKey, isLanguageCode, PROFILE_LIMITS, type Role } from "./catalogue";
import type { Constraints, OrgConstraint, TimeWindow } from "./types";

/** Meeting lengths people can ask for. */
export const DURATIONS_MINUTES = [15, 20, 30, 45, 60] as const;
/** Why 14 days: availability further out is a plan, not a wish to meet; it also bounds expiry sweeps. */
export const MAX_WINDOW_AHEAD_MS = 14 * 24 * 60 * 60_000;
/** Why 10 minutes: both people see the proposal live; 10 minutes to answer keeps the queue moving. */
export const RESPONSE_MS = 10 * 60_000;

/** A queue entry as a client sends it. */
export type QueueInput = {
  window: TimeWindow;
  durationMinutes: number;
  constraints?: {
    interests?: string[];
    roles?: Role[];
    languages?: string[];
    org?: OrgConstraint;
    allowRepeat?: boolean;
  };
};

/** The outcome of {@link normalizeQueueInput}. */
export type NormalizedQueue =
  | {
      ok: true;
      window: TimeWindow;
      durationMinutes: number;
      constraints: Constraints;
      expiresAt: number;
    }
  | { ok: false; message: string };

/** The last instant an entry with this window and length can still be proposed. */
export function entryExpiresAt(window: TimeWindow, durationMinutes: number): number {
  return window.end - durationMinutes * 60_000 - RESPONSE_MS;
}

/** Validate and normalise a queue entry at `now`. */
export function normalizeQueueInput(input: QueueInput, now: number): NormalizedQueue {
  const { start, end } = input.window;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start)
    return { ok: false, message: "window: end must be after start" };
  if (end > now + MAX_WINDOW_AHEAD_MS)
    return { ok: false, message: "window: must end within 14 days" };
  if (!(DURATIONS_MINUTES as readonly number[]).includes(input.durationMinutes))
    return { ok: false, message: `durationMinutes must be one of ${DURATIONS_MINUTES.join(", ")}` };
  const window = { start: Math.max(start, now), end };
  const expiresAt = entryExpiresAt(window, input.durationMinutes);
  if (expiresAt <= now)
    return {
      ok: false,
      message: `window: leave room for a ${input.durationMinutes}-minute meeting that starts at least ${RESPONSE_MS / 60_000} minutes from now`,
    };
  const c = input.constraints ?? {};
  const interests = [...new Set((c.interests ?? []).map(canonicalKey))];
  if (interests.some((k) => k.length === 0 || k.length > PROFILE_LIMITS.label))
    return { ok: false, message: "constraints.interests: each needs a letter or digit" };
  if (interests.length > PROFILE_LIMITS.interests)
    return { ok: false, message: `constraints.interests: at most ${PROFILE_LIMITS.interests}` };
  const languages = [...new Set((c.languages ?? []).map((l) => l.trim().toLowerCase()))];
  if (languages.some((l) => !isLanguageCode(l)))
    return { ok: false, message: 'constraints.languages: use ISO 639 codes like "en"' };
  if (languages.length > PROFILE_LIMITS.languages)
    return { ok: false, message: `constraints.languages: at most ${PROFILE_LIMITS.languages}` };
  const roles = [...new Set(c.roles ?? [])];
  return {
    ok: true,
    window,
    durationMinutes: input.durationMinutes,
    constraints: {
      interests,
      roles,
      languages,
      org: c.org ?? "any",
      allowRepeat: c.allowRepeat ?? false,
    },
    expiresAt,
  };
}
