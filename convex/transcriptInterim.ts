/**
 * Interim transcript words that are never finalised (the speaker's tab closed,
 * the recognizer stopped) are closed by the server: once an utterance has had
 * no chunk for {@link INTERIM_TIMEOUT_MS}, an empty **final** chunk is appended
 * for it (actor `system:interim-timeout`). The interim words then disappear
 * from the transcript, and, being unconfirmed, never reach insights or prompts
 * (which read final utterances only). One scheduled check per utterance: the
 * first interim chunk schedules it; a check that finds newer chunks reschedules.
 */
import { v } from "convex/values";
import { toStoredTranscriptChunk, transcriptBucket } from "../projections/events/transcript";
import { internal } from "./_generated/api";
import { internalMutation } from "./_generated/server";
import { appendEvent } from "./lib/events";
import { openTranscriptRow } from "./lib/personalData";
import { kickProjectors } from "./projectors/kick";
import { INTERIM_TIMEOUT_MS, lastSequence } from "./transcripts/ingest";

/** Close an utterance left interim for {@link INTERIM_TIMEOUT_MS} (or check again later). */
export const settle = internalMutation({
  args: { meetingId: v.id("meetings"), utteranceId: v.string() },
  returns: v.union(v.literal("final"), v.literal("closed"), v.literal("later")),
  handler: async (ctx, { meetingId, utteranceId }) => {
    const final = await ctx.db
      .query("transcriptEvents")
      .withIndex("by_meeting_utterance_final", (q) =>
        q.eq("meetingId", meetingId).eq("utteranceId", utteranceId).eq("data.isFinal", true),
      )
      .first();
    if (final) return "final" as const;
    const sealedLatest = await ctx.db
      .query("transcriptEvents")
      .withIndex("by_meeting_utterance_final", (q) =>
        q.eq("meetingId", meetingId).eq("utteranceId", utteranceId).eq("data.isFinal", false),
      )
      .order("desc")
      .first();
    if (!sealedLatest) return "final" as const;
    const latest = await openTranscriptRow(ctx, sealedLatest);
    const now = Date.now();
    const due = latest.at + INTERIM_TIMEOUT_MS;
    if (due > now) {
      await ctx.scheduler.runAt(due, internal.transcriptInterim.settle, { meetingId, utteranceId });
      return "later" as const;
    }
    const stored = toStoredTranscriptChunk({
      seq: (await lastSequence(ctx, meetingId)) + 1,
      utteranceId,
      speakerId: latest.data.speakerId,
      speaker: latest.data.speaker,
      text: "",
      confidence: 0,
      startMs: latest.data.startMs,
      endMs: latest.data.endMs,
      isFinal: true,
    });
    await appendEvent(
      ctx,
      "transcriptEvents",
      {
        meetingId,
        actor: "system:interim-timeout",
        idempotencyKey: `interim-timeout:${utteranceId}`,
        at: now,
        bucket: transcriptBucket(latest.data.startMs),
        ...stored,
      },
      kickProjectors,
    );
    return "closed" as const;
  },
});
