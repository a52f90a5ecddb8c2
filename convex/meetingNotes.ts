/**
 * Reading the `meetingNotes` view (compacted notes of a meeting). Reactive:
 * re-runs when the notes projector commits a batch, or when a rebuild
 * switches the read version.
 */
import { v } from "convex/values";
import { requireMeetingAccess } from "./lib/access";
import { userQuery } from "./lib/functions";
import { readVersionOf } from "./projectors/control";
import { getNotesRow } from "./projectors/meetingNotes";

/** What `meetingNotes.get` answers. */
export const meetingNotesView = v.object({
  meetingId: v.id("meetings"),
  /** Projection version that built this view. */
  version: v.number(),
  /** Textblocks of TipTap's `default` fragment joined by "\n". */
  text: v.string(),
  /** The `trace` Y.Text (trace replays), or null. */
  traceText: v.union(v.string(), v.null()),
  /** ProseMirror JSON of the document, as a JSON string. */
  prosemirror: v.string(),
  markdown: v.string(),
  wordCount: v.number(),
  /** Note updates folded in so far. */
  updateCount: v.number(),
  /** Yjs V1 state vector of the compacted document. */
  stateVector: v.bytes(),
  snapshotBytes: v.number(),
  /** Wall-clock ms of the newest update folded in. */
  lastAt: v.union(v.number(), v.null()),
});

/** The compacted notes of a meeting, or null before any note update was projected. */
export const get = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.union(meetingNotesView, v.null()),
  handler: async (ctx, { meetingId }) => {
    await requireMeetingAccess(ctx, meetingId, "read");
    const version = await readVersionOf(ctx, "meetingNotes");
    const row = await getNotesRow(ctx, meetingId, version);
    if (!row) return null;
    return {
      meetingId,
      version,
      text: row.text,
      traceText: row.traceText,
      prosemirror: row.prosemirror,
      markdown: row.markdown,
      wordCount: row.wordCount,
      updateCount: row.updateCount,
      stateVector: row.stateVector,
      snapshotBytes: row.snapshotBytes,
      lastAt: row.lastAt ?? null,
    };
  },
});
