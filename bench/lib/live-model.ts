/**
 * The design rates of one live meeting of 5 people — the workload the cost
 * report and the capacity model are measured under. Each rate says where it
 * comes from; the model is deliberately pessimistic (everyone busy at once).
 */
/** A fast typist: 8 keys/s (≈ 95 words a minute). */
const TYPING_KEYS_PER_SEC = 8;
/**
 * Assumed round trip of one `notes.push` from a browser to a cloud deployment (not measured
 * here: the embedded engine on loopback answers in a few ms). The provider sends an edit at
 * once when no push is in flight and folds what is typed during a push into the next (N17),
 * so a typist pushes min(keys/s, 1 / round trip) times a second.
 */
export const PUSH_ROUND_TRIP_MS = 100;
const KEYS_PER_PUSH = Math.max(1, Math.round((TYPING_KEYS_PER_SEC * PUSH_ROUND_TRIP_MS) / 1000));

export const LIVE_MODEL = {
  /** DESIGN.md: 1000+ concurrent meetings of 5 participants. */
  participants: 5,
  /** DESIGN.md: ≥ 10 transcript chunks/s per meeting. */
  transcriptChunksPerSec: 10,
  /** Pessimistic: two of the five type notes at the same time, continuously. */
  typists: 2,
  /** A fast typist (8 keys/s) pushes after every round trip: 8 times a second at 100 ms. */
  notePushesPerTypistPerSec: TYPING_KEYS_PER_SEC / KEYS_PER_PUSH,
  /** Keys per push at 8 keys/s and a 100 ms round trip (so the pushed update sizes are realistic). */
  keysPerPush: KEYS_PER_PUSH,
  /** crdt/awareness.ts: cursor updates throttled to one per 200 ms while typing. */
  presencePerTypistPerSec: 5,
  /** Every participant holds these live queries (the meeting room). */
  subscriptions: ["notes:pull", "transcripts:stream", "meetingState:get", "presence:list"],
} as const;

/** Mutations per second one live meeting makes from clients, by function path. */
export function clientMutationRates(): Record<string, number> {
  const m = LIVE_MODEL;
  return {
    "notes:push": m.typists * m.notePushesPerTypistPerSec,
    "transcripts:append": m.transcriptChunksPerSec,
    "presence:set": m.typists * m.presencePerTypistPerSec,
  };
}
