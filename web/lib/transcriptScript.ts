/**
 * What the development transcript simulator says, one sentence per final
 * chunk. A plausible networking call, so the insights have something to work
 * with.
 */
export const SIMULATOR_LINES: readonly string[] = [
  "Thanks for making time today, it is great to finally meet.",
  "I lead the data platform team and we are hiring two backend engineers this quarter.",
  "Our biggest challenge right now is keeping event pipelines reliable as traffic grows.",
  "We should share the architecture document before the next call.",
  "Could you introduce me to someone who has scaled event sourcing in production?",
  "Let us schedule a follow-up next week to review the hiring plan together.",
  "I will send the job description and the interview loop by Friday.",
];

/** How a speaker's words arrive: a word every this many ms (~150 words a minute). */
export const WORD_INTERVAL_MS = 400;
