/**
 * Every projector the framework runs, by name, and which consume a stream.
 * Adding a projection = a fold in `projections/`, a `ProjectorImpl` here.
 */
import type { Stream } from "../../projections/core/logEvent";
import { aiPrecallProjector } from "./aiPrecall";
import { insightsProjector } from "./insights";
import { meetingNotesProjector } from "./meetingNotes";
import { meetingStateProjector } from "./meetingState";
import { searchFeedProjector } from "./searchFeed";
import { timelineProjector } from "./timeline";
import { transcriptSegmentsProjector } from "./transcriptSegments";
import type { AnyProjector, ProjectionName } from "./types";

const registered: AnyProjector[] = [
  meetingNotesProjector as AnyProjector,
  meetingStateProjector as AnyProjector,
  transcriptSegmentsProjector as AnyProjector,
  timelineProjector as AnyProjector,
  insightsProjector as AnyProjector,
  aiPrecallProjector as AnyProjector,
  searchFeedProjector as AnyProjector,
];

/** The projector called `name`, or undefined when none is registered. */
export function projectorOf(name: string): AnyProjector | undefined {
  return registered.find((p) => p.name === name);
}

/** All registered projectors. */
export function allProjectors(): readonly AnyProjector[] {
  return registered;
}

/** Projectors whose (newest) fold reads `stream`. */
export function projectorsOf(stream: Stream): AnyProjector[] {
  return registered.filter((p) => p.folds[p.latest]?.streams.includes(stream));
}

export type { ProjectionName };
