import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/** The event streams projectors consume, one per event table. */
export type EventStream = "meeting" | "transcript" | "chat" | "notes";

/**
 * Called by the one append path after every event append: schedules the
 * projectors that consume `stream` for `meetingId` (single-flight).
 *
 * PLACEHOLDER until the projector framework lands (issue 5): it does nothing yet.
 */
export async function kickProjectors(
  _ctx: MutationCtx,
  _args: { meetingId: Id<"meetings">; stream: EventStream },
): Promise<void> {}
