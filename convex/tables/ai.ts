import { defineTable } from "convex/server";
import { v } from "convex/values";

/** A prompt's kind (`projections/prompts/types.ts`). */
export const promptKind = v.union(v.literal("precall"), v.literal("incall"));
/** What caused a generation. */
export const promptTrigger = v.union(
  v.literal("scheduled"),
  v.literal("participants"),
  v.literal("lull"),
  v.literal("topic_shift"),
  v.literal("request"),
);
/** One kind of prompt feedback. */
export const feedbackKind = v.union(
  v.literal("used"),
  v.literal("dismissed"),
  v.literal("upvoted"),
);

/** Where a generated thing came from and how (shown beside it). */
export const provenance = v.object({
  /** `local-templates`, `local-wink-nlp` or `llm`. */
  provider: v.string(),
  model: v.union(v.string(), v.null()),
  /** JSON of the generation parameters (temperature, limits, trigger). */
  parameters: v.string(),
  /** SHA-256 of the provider's input (the idempotency and cache key). */
  inputHash: v.string(),
  /** Set when an LLM was configured but the local provider answered, and why. */
  fallbackFrom: v.optional(v.string()),
  fallbackReason: v.optional(v.string()),
});

/**
 * AI assistance (issue 16): prompts with provenance and feedback, the
 * generation runs behind them, and the in-call trigger slots that enforce one
 * generation per 30 s per meeting.
 */
export const aiTables = {
  /** One generation of prompts for a meeting (a pre-call set or one in-call prompt). */
  promptRuns: defineTable({
    meetingId: v.id("meetings"),
    kind: promptKind,
    trigger: promptTrigger,
    /** SHA-256 of the input; a pre-call run with the same hash within 24 h is reused. */
    inputHash: v.string(),
    status: v.union(v.literal("pending"), v.literal("done"), v.literal("failed")),
    requestedAt: v.number(),
    finishedAt: v.optional(v.number()),
    provenance: v.optional(provenance),
    lastError: v.optional(v.string()),
    /** Set when a newer run replaced this one (its prompts are hidden). */
    supersededAt: v.optional(v.number()),
  })
    .index("by_meeting_kind_requested", ["meetingId", "kind", "requestedAt"])
    .index("by_meeting_kind_hash", ["meetingId", "kind", "inputHash"]),

  /** Prompts as data: pre-call starters and agenda points, in-call prompts. */
  prompts: defineTable({
    meetingId: v.id("meetings"),
    runId: v.id("promptRuns"),
    kind: promptKind,
    trigger: promptTrigger,
    content: v.string(),
    tags: v.array(v.string()),
    /** 0–1, from the provider. */
    relevance: v.number(),
    provenance,
    createdAt: v.number(),
    used: v.number(),
    dismissed: v.number(),
    upvoted: v.number(),
    hidden: v.boolean(),
  })
    .index("by_meeting_kind_created", ["meetingId", "kind", "createdAt"])
    .index("by_run", ["runId"]),

  /** One person's feedback on one prompt (at most one row per kind). */
  promptFeedback: defineTable({
    promptId: v.id("prompts"),
    meetingId: v.id("meetings"),
    userId: v.id("users"),
    kind: feedbackKind,
    at: v.number(),
  })
    .index("by_prompt_user_kind", ["promptId", "userId", "kind"])
    .index("by_meeting_user", ["meetingId", "userId"]),

  /** What a person's feedback says about prompt tags (ranking reads it in every meeting). */
  promptTagAffinity: defineTable({
    userId: v.id("users"),
    tag: v.string(),
    score: v.number(),
    updatedAt: v.number(),
  }).index("by_user_tag", ["userId", "tag"]),

  /** `aiPrecall` projector state: the meeting's status and people, and the people key ideas were asked for. */
  precallTriggers: defineTable({
    meetingId: v.id("meetings"),
    version: v.number(),
    status: v.union(
      v.literal("none"),
      v.literal("scheduled"),
      v.literal("active"),
      v.literal("over"),
    ),
    people: v.array(v.string()),
    requestedKey: v.string(),
  })
    .index("by_meeting_version", ["meetingId", "version"])
    .index("by_version", ["version"]),

  /** AI jobs under the action retrier, until it reports (see `convex/ai/jobs.ts`). */
  aiJobs: defineTable({
    retrierRunId: v.string(),
    job: v.union(v.literal("precall"), v.literal("incall"), v.literal("insights")),
    /** JSON of the job's arguments. */
    args: v.string(),
    startedAt: v.number(),
  }).index("by_retrier_run", ["retrierRunId"]),

  /**
   * In-call generation slots: one row per granted generation. A trigger reads
   * the newest row (a read, not a write, while the 30 s last) and inserts a
   * new one only when the window has passed, so a burst of triggers writes
   * at most once per window instead of all updating one counter.
   */
  promptSlots: defineTable({
    meetingId: v.id("meetings"),
    at: v.number(),
    trigger: promptTrigger,
    userId: v.id("users"),
    /** Topics when granted (a topic shift compares against them). */
    topics: v.array(v.string()),
  }).index("by_meeting_at", ["meetingId", "at"]),
};
