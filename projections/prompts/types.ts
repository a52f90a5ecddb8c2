/**
 * Prompts as data: what a prompt provider is given before and during a
 * meeting, and the drafts it answers. Stored with provenance by `convex/ai/`.
 */

/** When a prompt is for. */
export const PROMPT_KINDS = ["precall", "incall"] as const;
/** A prompt's kind. */
export type PromptKind = (typeof PROMPT_KINDS)[number];

/** What caused a generation. */
export const PROMPT_TRIGGERS = [
  "scheduled",
  "participants",
  "lull",
  "topic_shift",
  "request",
] as const;
/** A generation's trigger. */
export type PromptTrigger = (typeof PROMPT_TRIGGERS)[number];

/** Feedback a participant gives a prompt. */
export const FEEDBACK_KINDS = ["used", "dismissed", "upvoted"] as const;
/** One kind of feedback. */
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** One prompt as a provider drafts it. `relevance` is 0–1. */
export type PromptDraft = { content: string; tags: string[]; relevance: number };

/** One participant as pre-call generation sees them (optional fields read defensively). */
export type PrecallPerson = {
  userId: string;
  name: string;
  headline: string | null;
  company: string | null;
  jobTitle: string | null;
  bio: string | null;
  interests: string[];
  goals: string[];
  skills: string[];
};

/** An earlier meeting between (some of) the same people. */
export type SharedMeeting = {
  title: string;
  at: number;
  decisions: string[];
  /** Action items still worth asking about, with their owner's name. */
  openItems: { text: string; ownerName: string | null }[];
  keyTakeaways: string[];
};

/** Everything pre-call generation reads. */
export type PrecallInput = {
  title: string;
  description: string | null;
  scheduledAt: number | null;
  people: PrecallPerson[];
  history: SharedMeeting[];
};

/** Everything in-call generation reads. */
export type IncallInput = {
  title: string;
  trigger: PromptTrigger;
  /** Recent final transcript, oldest first. */
  recent: { speaker: string; text: string }[];
  /** The tail of the notes. */
  notes: string;
  /** Current key phrases, and the ones before a topic shift. */
  topics: string[];
  previousTopics: string[];
  /** Present participants with their speaking time so far (ms). */
  present: { name: string; speakingMs: number }[];
  /** Prompts already shown in this meeting (not to repeat). */
  shown: string[];
};
