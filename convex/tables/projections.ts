import { defineTable } from "convex/server";
import { type GenericValidator, type ObjectType, v } from "convex/values";
import { literals } from "convex-helpers/validators";
import type { StoredParticipantInsights } from "../../projections/insights/stored";
import type { StoredNotesDerived } from "../../projections/meetingNotes/notesView";
import type { MeetingStateView } from "../../projections/meetingState/evolve";
import type { Segment } from "../../projections/transcriptSegments/evolve";
import { roleValidator } from "../lib/eventValidators";
import type { Assert, Exact } from "../lib/typeChecks";

/** A projector's position in one stream: the last event consumed (`ts` = commitTs, `key` = tie-break). */
export const streamCursor = v.object({ ts: v.int64(), key: v.string() });

/** Per-stream cursors of one checkpoint (absent = nothing consumed yet). */
export const streamCursors = v.object({
  meeting: v.optional(streamCursor),
  transcript: v.optional(streamCursor),
  chat: v.optional(streamCursor),
  notes: v.optional(streamCursor),
});

/** Checkpoint run state: `idle` (waits for a kick), `scheduled` (a run is queued), `stalled` (rebuild stopped on a poison event). */
export const checkpointState = v.union(
  v.literal("idle"),
  v.literal("scheduled"),
  v.literal("stalled"),
);

/** Rebuild phases of one projection (see `convex/projectors/rebuild.ts`). */
export const rebuildPhase = v.union(
  v.literal("live"),
  v.literal("building"),
  v.literal("cleaning"),
  v.literal("stalled"),
);

const presenceEntry = v.object({
  userId: v.string(),
  role: roleValidator,
  status: literals("invited", "joined", "left", "removed"),
  presentSince: v.union(v.number(), v.null()),
  presentMs: v.number(),
});
const speakerStats = v.object({
  speakerId: v.string(),
  speaker: v.string(),
  speakingMs: v.number(),
  utterances: v.number(),
});

/** Stored shape of `MeetingStateView` (projections/meetingState), checked below. */
export const meetingStateViewFields = {
  status: literals("none", "scheduled", "active", "ended", "cancelled"),
  active: v.boolean(),
  title: v.union(v.string(), v.null()),
  hostId: v.union(v.string(), v.null()),
  scheduledAt: v.union(v.number(), v.null()),
  startedAt: v.union(v.number(), v.null()),
  endedAt: v.union(v.number(), v.null()),
  participants: v.array(presenceEntry),
  speakers: v.array(speakerStats),
  lastActivityAt: v.union(v.number(), v.null()),
  lastSpeechAt: v.union(v.number(), v.null()),
  lulls: v.array(v.object({ from: v.number(), to: v.number() })),
  topics: v.array(v.string()),
  recentFinals: v.array(v.string()),
  countedUtterances: v.array(v.string()),
  eventCount: v.number(),
};

/** Stored shape of one transcript `Segment` (projections/transcriptSegments), checked below. */
export const segmentFields = {
  index: v.number(),
  speakerId: v.string(),
  speaker: v.string(),
  startMs: v.number(),
  endMs: v.number(),
  firstAt: v.number(),
  lastAt: v.number(),
  utterances: v.array(
    v.object({
      id: v.string(),
      text: v.string(),
      startMs: v.number(),
      endMs: v.number(),
      isFinal: v.boolean(),
      confidence: v.number(),
    }),
  ),
  text: v.string(),
  keywords: v.array(v.string()),
};

/** Stored shape of the derived notes fields (`StoredNotesDerived`, projections/meetingNotes), checked below. */
export const notesDerivedFields = {
  /** Textblocks of the TipTap fragment joined by "\n". */
  text: v.string(),
  /** The `trace` Y.Text (trace replays), or null. */
  traceText: v.union(v.string(), v.null()),
  /** ProseMirror JSON of the TipTap document, as a JSON string. */
  prosemirror: v.string(),
  markdown: v.string(),
  wordCount: v.number(),
};

/** The `meetingNotes` view row besides its key: derived fields plus the snapshot's bookkeeping. */
export const meetingNotesFields = {
  /** Yjs V1 state vector of the compacted document. */
  stateVector: v.bytes(),
  ...notesDerivedFields,
  /** Note updates folded in (the notes "version" clients display). */
  updateCount: v.number(),
  snapshotChunks: v.number(),
  snapshotBytes: v.number(),
  lastTs: v.optional(v.int64()),
  /** Wall-clock ms of the newest update folded in. */
  lastAt: v.optional(v.number()),
};

/** Where an insight item came from: a transcript moment or a notes line. */
export const sourceRef = v.union(
  v.object({ kind: v.literal("transcript"), at: v.number(), speakerId: v.string() }),
  v.object({ kind: v.literal("note"), line: v.number() }),
);
/** A participant's own state of an item: dismissed, or edited by them. */
const itemState = {
  status: v.union(v.literal("open"), v.literal("dismissed")),
  edited: v.boolean(),
};
/** A takeaway, decision or follow-up. */
export const insightItem = v.object({
  id: v.string(),
  text: v.string(),
  source: v.union(sourceRef, v.null()),
  ...itemState,
});
/** An action item stated in a meeting, its owner resolved to a person and its due date to a date. */
export const actionItem = v.object({
  id: v.string(),
  text: v.string(),
  owner: v.union(v.string(), v.null()),
  ownerName: v.union(v.string(), v.null()),
  due: v.union(v.string(), v.null()),
  dueDate: v.union(v.string(), v.null()),
  source: v.union(sourceRef, v.null()),
  ...itemState,
});
/** A typed recommendation with a confidence (`userId`: the person to connect with). */
export const recommendation = v.object({
  id: v.string(),
  type: v.union(
    v.literal("connect"),
    v.literal("follow_up"),
    v.literal("resource"),
    v.literal("suggestion"),
  ),
  text: v.string(),
  confidence: v.number(),
  userId: v.union(v.string(), v.null()),
  source: v.union(sourceRef, v.null()),
  ...itemState,
});

/** One participant's insights (`StoredParticipantInsights`, projections/insights), checked below. */
export const participantInsightsFields = {
  userId: v.string(),
  summary: v.string(),
  actionItems: v.array(actionItem),
  keyTakeaways: v.array(insightItem),
  decisions: v.array(insightItem),
  followUps: v.array(insightItem),
  recommendations: v.array(recommendation),
};

/** A parked poison event (`projectionDeadLetters`). */
export const deadLetterFields = {
  meetingId: v.id("meetings"),
  projection: v.string(),
  version: v.number(),
  stream: v.string(),
  ts: v.int64(),
  key: v.string(),
  error: v.string(),
  attempts: v.number(),
  /** `skipped`: a live projector went on past it; `stalled`: a rebuild stopped on it. */
  mode: literals("skipped", "stalled"),
  status: literals("parked", "replayed", "failed"),
  parkedAt: v.number(),
  replayedAt: v.optional(v.number()),
};

// Each view's fields are declared once, here, and must be exactly its fold's type:
// a field added to the fold and not here (or the reverse) fails to compile.
type Fields<F extends Record<string, GenericValidator>> = ObjectType<F>;
export type _MeetingStateCheck = Assert<
  Exact<Fields<typeof meetingStateViewFields>, MeetingStateView>
>;
export type _SegmentCheck = Assert<Exact<Fields<typeof segmentFields>, Segment>>;
export type _NotesDerivedCheck = Assert<
  Exact<Fields<typeof notesDerivedFields>, StoredNotesDerived>
>;
export type _InsightsCheck = Assert<
  Exact<Fields<typeof participantInsightsFields>, StoredParticipantInsights>
>;

/**
 * Projector checkpoints, dead letters and the read views (meetingNotes,
 * meetingState, transcriptSegments, insights, keyframes). Owned by the
 * projections (issue 5). Every view row carries the projection `version` it
 * was built by: a rebuild writes the next version beside the live one.
 */
export const projectionTables = {
  /** One per (meeting, projection, version): where the projector stands. */
  projectionCheckpoints: defineTable({
    meetingId: v.id("meetings"),
    projection: v.string(),
    version: v.number(),
    cursors: streamCursors,
    /** Mirror of the run flag in `projectionKicks` (for status), updated when it changes. */
    state: checkpointState,
    /** Set once the projector found no more events after a run (a rebuild waits for it). */
    caughtUp: v.boolean(),
    processed: v.number(),
    skipped: v.number(),
    /** Failed attempts on the event at the cursor (reset on success). */
    attempts: v.number(),
    lastError: v.optional(v.string()),
    /** Wall-clock ms between the oldest unprocessed event's append and the last run (0 when caught up). */
    lagMs: v.number(),
    /** Events per second of the last run's batch. */
    rate: v.number(),
    lastEventAt: v.optional(v.number()),
    updatedAt: v.number(),
  })
    .index("by_meeting_projection_version", ["meetingId", "projection", "version"])
    .index("by_projection_version", ["projection", "version"]),

  /**
   * The run flag of one (meeting, projection, version), apart from the
   * checkpoint: appends read it on every kick, and it is written only when the
   * projector goes idle, gets scheduled or stalls — not on every batch, so
   * appends to a busy meeting do not conflict with the projector's progress writes.
   */
  projectionKicks: defineTable({
    meetingId: v.id("meetings"),
    projection: v.string(),
    version: v.number(),
    state: checkpointState,
  })
    .index("by_meeting_projection_version", ["meetingId", "projection", "version"])
    .index("by_projection_version", ["projection", "version"]),

  /** One per projection: which version reads use and the rebuild in progress. */
  projectionControl: defineTable({
    projection: v.string(),
    readVersion: v.number(),
    /** The version being built beside `readVersion` (phase `building`/`stalled`). */
    buildVersion: v.optional(v.number()),
    /** The version whose rows are being deleted (phase `cleaning`). */
    oldVersion: v.optional(v.number()),
    phase: rebuildPhase,
    /** Pagination cursor over `meetings` (seeding) or checkpoints (verifying). */
    pageCursor: v.optional(v.string()),
    step: v.union(v.literal("seed"), v.literal("verify"), v.literal("none")),
    meetingsSeeded: v.number(),
    deleted: v.number(),
    startedAt: v.optional(v.number()),
    switchedAt: v.optional(v.number()),
    finishedAt: v.optional(v.number()),
    lastError: v.optional(v.string()),
  }).index("by_projection", ["projection"]),

  /** Poison events: retried, then parked here with the error. */
  projectionDeadLetters: defineTable(deadLetterFields)
    .index("by_status", ["status", "parkedAt"])
    .index("by_projection_version", ["projection", "version"])
    .index("by_meeting", ["meetingId"]),

  /** Large binary state (Yjs snapshots) split into rows well below 1 MiB. */
  projectionBlobs: defineTable({
    meetingId: v.id("meetings"),
    version: v.number(),
    /** What the bytes belong to: `notes` (current snapshot) or `keyframe:<id>`. */
    owner: v.string(),
    seq: v.number(),
    bytes: v.bytes(),
  })
    .index("by_owner", ["meetingId", "version", "owner", "seq"])
    .index("by_version", ["version"]),

  /**
   * Where the `meetingNotes` snapshot stands (one small row per meeting and version, written
   * with the snapshot): what the notes sync reads on every push, bootstrap and resync instead
   * of the view row, whose derived text, ProseMirror JSON and Markdown grow with the document.
   */
  meetingNotesHeads: defineTable({
    meetingId: v.id("meetings"),
    version: v.number(),
    /** commitTs of the last note update in the snapshot. */
    lastTs: v.int64(),
    /** Yjs V1 state vector of the snapshot. */
    stateVector: v.bytes(),
  })
    .index("by_meeting_version", ["meetingId", "version"])
    .index("by_version", ["version"]),

  /** `meetingNotes` view: one row per meeting and version (snapshot bytes in `projectionBlobs`). */
  meetingNotes: defineTable({
    meetingId: v.id("meetings"),
    version: v.number(),
    ...meetingNotesFields,
  })
    .index("by_meeting_version", ["meetingId", "version"])
    .index("by_version", ["version"]),

  /** `meetingState` view: one row per meeting and version. */
  meetingStates: defineTable({
    meetingId: v.id("meetings"),
    version: v.number(),
    ...meetingStateViewFields,
  })
    .index("by_meeting_version", ["meetingId", "version"])
    .index("by_version", ["version"]),

  /** `transcriptSegments` view: one row per segment. */
  transcriptSegments: defineTable({
    meetingId: v.id("meetings"),
    version: v.number(),
    ...segmentFields,
  })
    .index("by_meeting_version_index", ["meetingId", "version", "index"])
    .index("by_version", ["version"]),

  /** Timeline keyframes: the combined timeline state every N events / T seconds. */
  timelineKeyframes: defineTable({
    meetingId: v.id("meetings"),
    version: v.number(),
    /** `head`: the projector's current state (one per meeting); `keyframe`: kept for `stateAt`. */
    kind: v.union(v.literal("head"), v.literal("keyframe")),
    /** Blob owner of this row's notes snapshot in `projectionBlobs`. */
    owner: v.string(),
    cursors: streamCursors,
    /** Latest `at` among the events folded in (usable for instants >= maxAt). */
    maxAt: v.number(),
    eventCount: v.number(),
    /** Replay cost of the log folded in (see KEYFRAME_TAIL_RATIO in projections/timeline). */
    logBytes: v.number(),
    /** Bytes of this row's notes snapshot. */
    snapshotBytes: v.number(),
    /** JSON of the timeline's meetingState and open transcript segments. */
    state: v.string(),
    snapshotChunks: v.number(),
  })
    .index("by_meeting_version_kind_at", ["meetingId", "version", "kind", "maxAt"])
    .index("by_version", ["version"]),

  /** One insights generation per ended meeting and version: the job's state. */
  insightRuns: defineTable({
    meetingId: v.id("meetings"),
    version: v.number(),
    status: v.union(v.literal("pending"), v.literal("done"), v.literal("failed")),
    attempts: v.number(),
    /** Note updates after the end folded so far; more asks for a regeneration (version 2). */
    notesSeen: v.optional(v.number()),
    /** Increases with each requested generation; an older generation's result is dropped. */
    seq: v.optional(v.number()),
    provider: v.optional(v.string()),
    requestedAt: v.number(),
    finishedAt: v.optional(v.number()),
    lastError: v.optional(v.string()),
  })
    .index("by_meeting_version", ["meetingId", "version"])
    .index("by_version", ["version"]),

  /** `insights` view: one row per participant of an ended meeting. */
  insights: defineTable({
    meetingId: v.id("meetings"),
    version: v.number(),
    provider: v.string(),
    model: v.optional(v.union(v.string(), v.null())),
    /** Set when an LLM was configured but the local provider answered, and why. */
    fallbackFrom: v.optional(v.string()),
    fallbackReason: v.optional(v.string()),
    inputHash: v.optional(v.string()),
    generatedAt: v.number(),
    ...participantInsightsFields,
  })
    .index("by_meeting_version_user", ["meetingId", "version", "userId"])
    .index("by_user_version", ["userId", "version"])
    .index("by_version", ["version"]),
};
