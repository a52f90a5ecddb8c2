/**
 * The design rates of one live meeting of 5 people — the workload the cost
 * report and the capacity model are measured under. Each rate says where it
 * comes from; the model is deliberately pessimistic (everyone busy at once).
 */
export const LIVE_MODEL = {
  /** DESIGN.md: 1000+ concurrent meetings of 5 participants. */
  participants: 5,
  /** DESIGN.md: ≥ 10 transcript chunks/s per meeting. */
  transcriptChunksPerSec: 10,
  /** Pessimistic: two of the five type notes at the same time, continuously. */
  typists: 2,
  /** A fast typist (8 keys/s) with the provider's 250 ms window pushes 4 times a second. */
  notePushesPerTypistPerSec: 4,
  /** Keys per push at 8 keys/s and 250 ms (so the pushed update sizes are realistic). */
  keysPerPush: 2,
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
