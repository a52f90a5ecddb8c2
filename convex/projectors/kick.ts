/**
 * The one entry point appends call after storing an event: schedules the
 * projectors of the event's stream for its meeting, single-flight.
 *
 * Single-flight without a shared hot document: each (meeting, projection,
 * version) has its own checkpoint. A kick only *reads* it while a run is
 * already scheduled (`state: "scheduled"`), so concurrent appends to a
 * busy meeting write nothing shared; only the append that finds the
 * projector idle flips it to scheduled and queues one run. Under OCC, an
 * append racing with a run that goes idle re-reads the checkpoint on retry
 * and kicks again, and a run racing with an append re-reads the event range,
 * so no event is left unprojected. The projection's control row is read
 * (rarely written: only by rebuild steps) to know which versions are live.
 */

import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { getControl, liveVersions } from "./control";
import { ensureControl } from "./rebuild";
import { projectorsOf } from "./registry";

/** The event streams projectors consume, one per event table. */
export type EventStream = "meeting" | "transcript" | "chat" | "notes";

/** Make sure one (meeting, projection, version) checkpoint exists and has a run queued. */
export async function ensureScheduled(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  projection: string,
  version: number,
): Promise<void> {
  const cp = await ctx.db
    .query("projectionCheckpoints")
    .withIndex("by_meeting_projection_version", (q) =>
      q.eq("meetingId", meetingId).eq("projection", projection).eq("version", version),
    )
    .unique();
  if (cp && cp.state !== "idle") return;
  if (cp) {
    await ctx.db.patch("projectionCheckpoints", cp._id, { state: "scheduled" });
  } else {
    await ctx.db.insert("projectionCheckpoints", {
      meetingId,
      projection,
      version,
      cursors: {},
      state: "scheduled",
      caughtUp: false,
      processed: 0,
      skipped: 0,
      attempts: 0,
      lagMs: 0,
      rate: 0,
      updatedAt: Date.now(),
    });
  }
  await ctx.scheduler.runAfter(0, internal.projectors.run.run, { meetingId, projection, version });
}

/**
 * Called by the one append path after every event append: schedules the
 * projectors that consume `stream` for `meetingId` (single-flight).
 */
export async function kickProjectors(
  ctx: MutationCtx,
  args: { meetingId: Id<"meetings">; stream: EventStream },
): Promise<void> {
  for (const p of projectorsOf(args.stream)) {
    // The first kick ever pins the read version in a control row, so deploying a bumped
    // version later keeps reads on the built one until a rebuild switches them.
    const control = (await getControl(ctx, p.name)) ?? (await ensureControl(ctx, p.name));
    for (const version of liveVersions(control, p.latest)) {
      await ensureScheduled(ctx, args.meetingId, p.name, version);
    }
  }
}
