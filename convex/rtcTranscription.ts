/**
 * Consent for transcription from the call's audio (issue 14): the host turns
 * it on or off, everyone in the meeting sees its state (and who opted out),
 * and each participant may opt out. Without a speech-to-text provider
 * configured (`STT_URL`) it cannot be turned on and the room says it is off.
 *
 * The action that transcribes a segment (`rtcTranscribe.transcribe`) goes
 * through `authorizeSegment` before it calls the provider and `appendFinal`
 * after, which appends through the one transcript ingestion path
 * (`transcripts/ingest.ts`) as the speaker.
 */
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import { env, internalMutation, type QueryCtx } from "./_generated/server";
import { checkTranscriptionQuota } from "./billing/usage";
import { checkMeetingAccess, requireMeetingAccess } from "./lib/access";
import { writeAudit } from "./lib/audit";
import { userMutation, userQuery } from "./lib/functions";
import { spend } from "./lib/rateLimits";
import { type Refused, refused, resultValidator } from "./lib/results";
import { checkInCall } from "./lib/rtcSession";
import { readSttConfig } from "./lib/speechToText";
import { ingestChunks } from "./transcripts/ingest";

/** Why 100: the lifecycle caps a meeting at 100 participant rows, so at most that many opt-outs. */
const MAX_OPT_OUTS_READ = 100;

/** The configured provider's name, or null (with the configuration error, if any). */
export function sttProvider(): { name: string | null; error: string | null } {
  try {
    const settings = readSttConfig(env);
    return { name: settings ? `openai-compatible:${settings.model}` : null, error: null };
  } catch (e) {
    return { name: null, error: (e as Error).message };
  }
}

async function settingOf(ctx: QueryCtx, meetingId: Id<"meetings">) {
  return await ctx.db
    .query("rtcTranscription")
    .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
    .unique();
}

async function optOutOf(ctx: QueryCtx, meetingId: Id<"meetings">, userId: Id<"users">) {
  return await ctx.db
    .query("rtcTranscriptionOptOuts")
    .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", userId))
    .unique();
}

/** What the room shows about transcription from audio. */
export const status = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.object({
    providerConfigured: v.boolean(),
    provider: v.union(v.string(), v.null()),
    enabled: v.boolean(),
    changedBy: v.union(v.string(), v.null()),
    changedAt: v.union(v.number(), v.null()),
    myOptOut: v.boolean(),
    optedOut: v.array(v.string()),
  }),
  handler: async (ctx, { meetingId }) => {
    await requireMeetingAccess(ctx, meetingId, "read");
    const provider = sttProvider();
    const setting = await settingOf(ctx, meetingId);
    const outs = await ctx.db
      .query("rtcTranscriptionOptOuts")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId))
      .take(MAX_OPT_OUTS_READ);
    const optedOut: string[] = [];
    for (const o of outs)
      optedOut.push((await ctx.db.get("users", o.userId))?.name ?? "(deleted user)");
    const by = setting ? await ctx.db.get("users", setting.changedBy) : null;
    return {
      providerConfigured: provider.name !== null,
      provider: provider.name,
      enabled: provider.name !== null && (setting?.enabled ?? false),
      changedBy: by?.name ?? null,
      changedAt: setting?.changedAt ?? null,
      myOptOut: outs.some((o) => o.userId === ctx.user._id),
      optedOut,
    };
  },
});

/**
 * Turn transcription from audio on or off (host or co-host; meeting scheduled
 * or live). Turning it on needs a configured provider (PROVIDER_ERROR otherwise).
 */
export const setEnabled = userMutation({
  args: { meetingId: v.id("meetings"), enabled: v.boolean() },
  returns: resultValidator({}),
  handler: async (ctx, { meetingId, enabled }) => {
    const limited = await spend(ctx, "meetingCommands", ctx.user);
    if (!limited.ok) return limited;
    const access = await checkMeetingAccess(ctx, meetingId, "host");
    if (!access.ok) return refused(access.code, access.message);
    if (access.meeting.status !== "active" && access.meeting.status !== "scheduled")
      return refused("MEETING_NOT_ACTIVE", `the meeting is ${access.meeting.status}`);
    if (enabled && sttProvider().name === null)
      return refused(
        "PROVIDER_ERROR",
        "no speech-to-text provider is configured on this deployment (set STT_URL)",
      );
    const now = Date.now();
    const row = { enabled, changedBy: ctx.user._id, changedAt: now };
    const existing = await settingOf(ctx, meetingId);
    if (existing) await ctx.db.patch("rtcTranscription", existing._id, row);
    else await ctx.db.insert("rtcTranscription", { meetingId, ...row });
    await writeAudit(ctx, {
      action: "rtc.transcription",
      outcome: "transition",
      actorId: ctx.user._id,
      meetingId,
      detail: enabled ? "on" : "off",
    });
    return { ok: true as const };
  },
});

/** Opt out of (or back into) transcription of your own microphone in this meeting. */
export const setOptOut = userMutation({
  args: { meetingId: v.id("meetings"), optOut: v.boolean() },
  returns: resultValidator({}),
  handler: async (ctx, { meetingId, optOut }) => {
    const limited = await spend(ctx, "rtcCommands", ctx.user);
    if (!limited.ok) return limited;
    const access = await checkMeetingAccess(ctx, meetingId, "read");
    if (!access.ok) return refused(access.code, access.message);
    const existing = await optOutOf(ctx, meetingId, ctx.user._id);
    if (optOut && !existing)
      await ctx.db.insert("rtcTranscriptionOptOuts", {
        meetingId,
        userId: ctx.user._id,
        at: Date.now(),
      });
    if (!optOut && existing) await ctx.db.delete("rtcTranscriptionOptOuts", existing._id);
    return { ok: true as const };
  },
});

/** Whether `user` may have a segment transcribed now (rate limit spent first). */
async function mayTranscribe(
  ctx: Parameters<typeof checkInCall>[0],
  meetingId: Id<"meetings">,
): Promise<{ ok: true } | Refused> {
  const inCall = await checkInCall(ctx, meetingId);
  if (!inCall.ok) return inCall;
  if (inCall.participant.role === "observer")
    return refused("FORBIDDEN", "observers are not transcribed");
  const setting = await settingOf(ctx, meetingId);
  if (!setting?.enabled) return refused("FORBIDDEN", "the host has not turned transcription on");
  if (await optOutOf(ctx, meetingId, ctx.user._id))
    return refused("FORBIDDEN", "you opted out of transcription in this meeting");
  return { ok: true };
}

async function loadUser(ctx: QueryCtx, userId: Id<"users">): Promise<Doc<"users"> | null> {
  return await ctx.db.get("users", userId);
}

/**
 * Before the provider call: spend a segment token, check consent and the call, and check the
 * org's transcription quota, so a used-up month never pays the provider for text it would refuse.
 */
export const authorizeSegment = internalMutation({
  args: { meetingId: v.id("meetings"), userId: v.id("users") },
  returns: resultValidator({}),
  handler: async (ctx, { meetingId, userId }) => {
    const user = await loadUser(ctx, userId);
    if (!user) return refused("UNAUTHORIZED", "unknown user");
    const limited = await spend(ctx, "sttSegments", user);
    if (!limited.ok) return limited;
    const may = await mayTranscribe({ ...ctx, user }, meetingId);
    if (!may.ok) return may;
    const meeting = await ctx.db.get("meetings", meetingId);
    if (!meeting) return refused("NOT_FOUND", "no such meeting");
    return await checkTranscriptionQuota(ctx, meeting, Date.now());
  },
});

/**
 * After the provider answered: append the final chunk as the speaker through
 * the transcript ingestion path (idempotent by the segment id), re-checking
 * consent (an opt-out during the provider call wins).
 */
export const appendFinal = internalMutation({
  args: {
    meetingId: v.id("meetings"),
    userId: v.id("users"),
    segmentId: v.string(),
    text: v.string(),
    confidence: v.number(),
    startMs: v.number(),
    endMs: v.number(),
  },
  returns: resultValidator({ sequence: v.number() }),
  handler: async (ctx, { meetingId, userId, segmentId, text, confidence, startMs, endMs }) => {
    const user = await loadUser(ctx, userId);
    if (!user) return refused("UNAUTHORIZED", "unknown user");
    const may = await mayTranscribe({ ...ctx, user }, meetingId);
    if (!may.ok) return may;
    const r = await ingestChunks({ ...ctx, user }, meetingId, [
      {
        text,
        confidence,
        startMs,
        endMs,
        isFinal: true,
        utteranceId: `stt:${segmentId}`,
        idempotencyKey: `stt:${segmentId}`,
      },
    ]);
    if (!r.ok) return r;
    return { ok: true as const, sequence: r.sequences[0] ?? 0 };
  },
});
