/**
 * Every deployable version of the `meetingState` fold, in one place: the
 * projector (`convex/projectors/meetingState.ts`), the folds that embed it
 * (the timeline pins one of these, see `projections/timeline`) and the tests
 * all take their fold from here.
 *
 * A version is frozen once deployed: its output on any log never changes
 * (stored views and a fold from empty must agree). Versions that differ only
 * by a knob share `evolve.ts` with their own rules; a change a deployed
 * version must not see goes into a new version, and when it needs other code,
 * the old version keeps a frozen copy of its evolve (e.g. `v2.ts`) beside the
 * new one. Keep old versions until a rebuild has switched reads away.
 */
import type { Fold } from "../core/fold";
import { type MeetingStateView, makeMeetingStateFold } from "./evolve";

/** The fold of each deployable version (v1: topics over 8 finals; v2: over 12). */
export const meetingStateFolds = {
  1: makeMeetingStateFold({ topicWindow: 8 }),
  2: makeMeetingStateFold({ topicWindow: 12 }),
} as const satisfies Record<number, Fold<MeetingStateView>>;

/** The newest version: fresh deployments read it; a rebuild builds it. */
export const MEETING_STATE_LATEST = 2;

/** The newest fold. */
export const meetingStateFold: Fold<MeetingStateView> = meetingStateFolds[MEETING_STATE_LATEST];
