import { defineTable } from "convex/server";
import { v } from "convex/values";

/** What a search hit is: a meeting title, a notes chunk, a transcript segment or a chat message. */
export const searchKind = v.union(
  v.literal("title"),
  v.literal("notes"),
  v.literal("transcript"),
  v.literal("chat"),
);

/**
 * Search across meetings (issue 18). Two levels, so access is an index filter:
 *
 * - `searchSources`: one row per searchable item of a meeting (key
 *   `title`, `notes:<chunk>`, `transcript:<segment index>`, `chat:<message id>`),
 *   written by the projectors that produce the item; `pending` until fanned out.
 * - `searchRows`: the same text once per person who may read the meeting.
 *   Its search index filters on `userId`, so a query sees only the caller's
 *   rows — bounded at any data size, and a non-member has nothing to match.
 *   Fan-out (`convex/searchFanout.ts`) keeps it equal to sources × readers.
 * - `searchMeetings`: per meeting, its readers (from the search feed
 *   projection) and those whose rows are complete (`indexed`).
 */
export const searchTables = {
  searchSources: defineTable({
    meetingId: v.id("meetings"),
    key: v.string(),
    kind: searchKind,
    text: v.string(),
    /** Wall-clock ms the replay opens at. */
    at: v.number(),
    /** Who said or wrote it (transcript speaker id, chat author id), when known. */
    authorId: v.optional(v.string()),
    /** Display label (the transcript speaker's name). */
    label: v.optional(v.string()),
    /** Waiting to be fanned out to readers' rows. */
    pending: v.boolean(),
    /** Removed from the meeting (deleted message, shorter notes): rows go, then this row. */
    removed: v.boolean(),
  })
    .index("by_meeting_key", ["meetingId", "key"])
    .index("by_meeting_pending", ["meetingId", "pending"]),
  searchRows: defineTable({
    userId: v.id("users"),
    meetingId: v.id("meetings"),
    key: v.string(),
    kind: searchKind,
    text: v.string(),
    at: v.number(),
    authorId: v.optional(v.string()),
    label: v.optional(v.string()),
  })
    .index("by_meeting_key_user", ["meetingId", "key", "userId"])
    .index("by_meeting_user", ["meetingId", "userId"])
    .index("by_user", ["userId"])
    .searchIndex("search_text", { searchField: "text", filterFields: ["userId", "kind"] }),
  searchMeetings: defineTable({
    meetingId: v.id("meetings"),
    title: v.string(),
    readers: v.array(v.string()),
    /** Readers whose rows hold every source (fan-out adds a reader once backfilled). */
    indexed: v.array(v.string()),
    /** Backfill position of the first reader not yet indexed (a source key). */
    backfillUser: v.optional(v.string()),
    backfillAfter: v.optional(v.string()),
  }).index("by_meeting", ["meetingId"]),
};
