/**
 * In-call prompts: the job a granted trigger starts (`ai/prompts.trigger`),
 * run by the action retrier. It reads the recent final transcript, the notes'
 * end, the topics and who is present, asks the configured provider for one
 * prompt (the local templates when no LLM is configured or it fails) and
 * stores it; the room sees it through `ai/prompts.list`.
 */
import { v } from "convex/values";
import { incallRequest, parseIncall } from "../../projections/prompts/llmPrompts";
import { incallLocally, LOCAL_PROMPTS_NAME } from "../../projections/prompts/localPrompts";
import type { IncallInput } from "../../projections/prompts/types";
import { internal } from "../_generated/api";
import { internalAction, internalQuery } from "../_generated/server";
import { readVersionOf } from "../projectors/control";
import { inputHash } from "./config";
import { generateWith } from "./generateWith";
import { liveContext } from "./liveContext";

/** Why: the last few transcript turns (about two minutes) are what a prompt reacts to. */
const RECENT_SEGMENTS = 8;
/** Why: the end of the notes says what was being written when the talk stalled. */
const NOTES_TAIL_CHARS = 1_500;
/** Why: prompts shown recently, so the next one says something new. */
const SHOWN = 10;
/** Why: presence of a meeting's first participants; bounds the name lookups. */
const MAX_PRESENT = 20;

/** The in-call input of a run (internal); null when the run or meeting is gone. */
export const read = internalQuery({
  args: { runId: v.id("promptRuns") },
  returns: v.union(v.null(), v.any()),
  handler: async (ctx, { runId }): Promise<IncallInput | null> => {
    const run = await ctx.db.get("promptRuns", runId);
    if (!run) return null;
    const meeting = await ctx.db.get("meetings", run.meetingId);
    if (!meeting) return null;
    const live = await liveContext(ctx, meeting);
    const segVersion = await readVersionOf(ctx, "transcriptSegments");
    const segments = await ctx.db
      .query("transcriptSegments")
      .withIndex("by_meeting_version_index", (q) =>
        q.eq("meetingId", meeting._id).eq("version", segVersion),
      )
      .order("desc")
      .take(RECENT_SEGMENTS);
    const recent = segments
      .reverse()
      .flatMap((s) =>
        s.utterances.filter((u) => u.isFinal).map((u) => ({ speaker: s.speaker, text: u.text })),
      );
    const slots = await ctx.db
      .query("promptSlots")
      .withIndex("by_meeting_at", (q) => q.eq("meetingId", meeting._id))
      .order("desc")
      .take(2);
    const shown = await ctx.db
      .query("prompts")
      .withIndex("by_meeting_kind_created", (q) =>
        q.eq("meetingId", meeting._id).eq("kind", "incall"),
      )
      .order("desc")
      .take(SHOWN);
    const present = [];
    for (const p of (live.state?.participants ?? [])
      .filter((x) => x.presentSince !== null)
      .slice(0, MAX_PRESENT)) {
      const id = ctx.db.normalizeId("users", p.userId);
      const user = id ? await ctx.db.get("users", id) : null;
      const spoken = live.state?.speakers.find((s) => s.speakerId === p.userId)?.speakingMs ?? 0;
      present.push({ name: user?.name ?? "Participant", speakingMs: spoken });
    }
    return {
      title: meeting.title,
      trigger: run.trigger,
      recent,
      notes: live.notesText.slice(-NOTES_TAIL_CHARS),
      topics: live.topics,
      previousTopics: slots[1]?.topics ?? [],
      present,
      shown: shown.map((p) => p.content),
    };
  },
});

/** Generate and store one in-call prompt for a granted trigger. */
export const generate = internalAction({
  args: { meetingId: v.id("meetings"), runId: v.id("promptRuns"), forceLocal: v.boolean() },
  returns: v.null(),
  handler: async (ctx, { runId, forceLocal }) => {
    const input = (await ctx.runQuery(internal.ai.incallJobs.read, {
      runId,
    })) as IncallInput | null;
    if (!input) return null;
    const hash = await inputHash(input);
    const { value, provenance } = await generateWith(ctx, {
      capability: "prompts",
      inputHash: hash,
      forceLocal,
      localName: LOCAL_PROMPTS_NAME,
      local: () => incallLocally(input),
      request: (settings) => incallRequest(settings, input),
      parse: parseIncall,
      parameters: { kind: "incall", trigger: input.trigger },
    });
    await ctx.runMutation(internal.ai.promptRuns.store, { runId, drafts: [value], provenance });
    return null;
  },
});
