/**
 * Who is speaking, from audio levels sampled a few times a second (pure: the
 * levels and the time arrive as data). A speaker must be louder than
 * {@link SPEAKING_LEVEL} to take the floor and keeps it for
 * {@link HOLD_MS} after going quiet, so short pauses between words do not
 * make the highlight flicker; the loudest candidate wins a change.
 */

/** Why 0.02: WebRTC's audioLevel is linear 0–1; room noise sits under 0.01, speech at 0.05–0.5. */
export const SPEAKING_LEVEL = 0.02;
/** Why 1.2 s: longer than a pause between sentences, short enough to follow a conversation. */
export const HOLD_MS = 1_200;

/** The picker's memory between samples. */
export type SpeakerState = { id: string | null; lastLoudAt: number };

/** The initial state: nobody speaking. */
export const NOBODY: SpeakerState = { id: null, lastLoudAt: 0 };

/** The next speaker state from the current levels (id → level) at `now`. */
export function nextSpeaker(
  prev: SpeakerState,
  levels: ReadonlyMap<string, number>,
  now: number,
): SpeakerState {
  let loudest: string | null = null;
  let loudestLevel = SPEAKING_LEVEL;
  for (const [id, level] of levels) {
    if (level > loudestLevel) {
      loudest = id;
      loudestLevel = level;
    }
  }
  const current = prev.id !== null && levels.has(prev.id) ? prev : NOBODY;
  if (current.id !== null && (levels.get(current.id) ?? 0) > SPEAKING_LEVEL)
    return { id: current.id, lastLoudAt: now };
  if (current.id !== null && now - current.lastLoudAt < HOLD_MS) return current;
  return loudest === null ? NOBODY : { id: loudest, lastLoudAt: now };
}
