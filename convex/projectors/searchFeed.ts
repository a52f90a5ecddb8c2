/**
 * The `searchFeed` projector: folds the meeting and chat streams
 * (`projections/search/feed.ts`) into the meeting's title source, its chat
 * sources and its readers (`searchMeetings`), then queues the fan-out that
 * brings the per-reader `searchRows` in line. Transcript segments and notes
 * are indexed by their own projectors' saves (`lib/searchSources.ts`), so
 * they are searchable as soon as their view lands.
 */
import { type SearchFeed, searchFeedFold } from "../../projections/search/feed";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { removeSource, scheduleFanout, upsertSource } from "../searchSources";
import type { ProjectorImpl } from "./types";

/** The meeting's search bookkeeping row. */
export async function searchMeetingOf(ctx: QueryCtx, meetingId: Id<"meetings">) {
  return await ctx.db
    .query("searchMeetings")
    .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
    .unique();
}

/** The `searchFeed` projector. */
export const searchFeedProjector: ProjectorImpl<SearchFeed> = {
  name: "searchFeed",
  latest: 1,
  folds: { 1: searchFeedFold },
  // Why: a batch writes one source per changed chat message (≤ 256), well inside a transaction.
  batchSize: 256,
  // Why: search is not live; a burst of chat becomes one batch and one fan-out.
  kickDelayMs: 1_000,
  // Why: as long as the kick delay: a busy stream is folded as often as a fresh kick would be.
  lingerMs: 1_000,
  async load(ctx, meetingId) {
    const row = await searchMeetingOf(ctx, meetingId);
    const title = await ctx.db.get("meetings", meetingId);
    return {
      ...searchFeedFold.init(),
      title: row?.title ?? null,
      scheduledAt: title?.scheduledAt ?? null,
      readers: row?.readers ?? [],
    };
  },
  async save(ctx, meetingId, _version, s) {
    // Every version writes the same sources and readers (keys are stable), so a rebuild is harmless.
    // A fan-out is queued when a source becomes pending or the readers change.
    let changed = false;
    if (s.titleChanged && s.title !== null) {
      const change = await upsertSource(ctx, meetingId, {
        key: "title",
        kind: "title",
        text: s.title,
        at: s.scheduledAt ?? 0,
      });
      changed ||= change === "pending";
    }
    for (const c of s.chat) {
      const key = `chat:${c.messageId}`;
      const change =
        c.text === null
          ? await removeSource(ctx, meetingId, key)
          : await upsertSource(
              ctx,
              meetingId,
              { key, kind: "chat", text: c.text, at: c.at, authorId: c.authorId },
              { keepAt: true },
            );
      changed ||= change === "pending";
    }
    const row = await searchMeetingOf(ctx, meetingId);
    const title = s.title ?? row?.title ?? "";
    if (!row) {
      await ctx.db.insert("searchMeetings", { meetingId, title, readers: s.readers, indexed: [] });
      changed = true;
    } else if (row.title !== title || row.readers.join(",") !== s.readers.join(",")) {
      await ctx.db.patch("searchMeetings", row._id, { title, readers: s.readers });
      changed = true;
    }
    if (changed) await scheduleFanout(ctx, meetingId);
  },
  async deleteVersion() {
    // Nothing per version: sources and rows are shared by every version.
    return 0;
  },
};
