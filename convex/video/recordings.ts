/**
 * A meeting's recordings (GetStream's `call.recording_ready`, see
 * `webhookEvents.ts`): who may see and download them is decided here, once.
 * Every participant who may read the meeting (observers included; removed
 * people not), unless the meeting's org keeps recordings to hosts
 * (`policy.recordingsHostsOnly`): then hosts and co-hosts only.
 */
import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { requireMeetingAccess } from "../lib/access";
import { userQuery } from "../lib/functions";
import { orgByExternalId } from "../lib/orgAccess";

/** Why 50: a meeting records a file per recording session; 50 is hours of stop/start. */
const MAX_LISTED = 50;

async function mayDownload(
  ctx: QueryCtx,
  meeting: Doc<"meetings">,
  participant: Doc<"participants">,
): Promise<boolean> {
  const org = meeting.orgId ? await orgByExternalId(ctx, meeting.orgId) : null;
  if (!org?.policy.recordingsHostsOnly) return true;
  return participant.role === "host" || participant.role === "cohost";
}

const recordingView = v.object({
  id: v.id("recordings"),
  filename: v.string(),
  url: v.union(v.string(), v.null()),
  stored: v.boolean(),
  status: v.string(),
  startedAt: v.union(v.number(), v.null()),
  endedAt: v.union(v.number(), v.null()),
  bytes: v.union(v.number(), v.null()),
});

/**
 * The meeting's recordings, newest first, with a download URL: the Convex
 * storage URL once the file was fetched there, else GetStream's (signed; it
 * expires at the provider). A participant the org's policy keeps out gets
 * `{allowed: false, reason}` (an expected outcome the room shows, not an
 * error); non-participants and removed people get FORBIDDEN.
 */
export const list = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.union(
    v.object({ allowed: v.literal(true), recordings: v.array(recordingView) }),
    v.object({ allowed: v.literal(false), reason: v.string() }),
  ),
  handler: async (ctx, { meetingId }) => {
    const { meeting, participant } = await requireMeetingAccess(ctx, meetingId, "read");
    if (!(await mayDownload(ctx, meeting, participant)))
      return {
        allowed: false as const,
        reason: "your organization keeps recordings to the meeting's hosts and co-hosts",
      };
    const rows = await ctx.db
      .query("recordings")
      .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
      .order("desc")
      .take(MAX_LISTED);
    const recordings = await Promise.all(
      rows.map(async (r) => ({
        id: r._id,
        filename: r.filename,
        url: r.storageId ? await ctx.storage.getUrl(r.storageId) : r.url,
        stored: r.storageId !== undefined,
        status: r.status,
        startedAt: r.startedAt ?? null,
        endedAt: r.endedAt ?? null,
        bytes: r.bytes ?? null,
      })),
    );
    return { allowed: true as const, recordings };
  },
});
