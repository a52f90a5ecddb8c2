/**
 * The seam between the generic projector loop (`run.ts`) and each read
 * model: a pure fold per version plus how its state is loaded and stored.
 */

import type { Fold } from "../../projections/core/fold";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { StreamCursors } from "./sources";

/** Every projection the framework runs. */
export const PROJECTIONS = [
  "meetingNotes",
  "meetingState",
  "transcriptSegments",
  "timeline",
  "insights",
  "aiPrecall",
  "searchFeed",
] as const;
/** A projection's name. */
export type ProjectionName = (typeof PROJECTIONS)[number];

/** What `save` learns about the batch it persists. */
export type SaveInfo = {
  /** Events folded in this batch (skipped poison events excluded). */
  applied: number;
  lastTs: bigint | null;
  lastAt: number | null;
  /** The checkpoint's cursors after this batch (saved with the view). */
  cursors: StreamCursors;
  now: number;
};

/** How one projection is loaded, folded and stored. */
export type ProjectorImpl<S> = {
  name: ProjectionName;
  /** Newest version: fresh deployments read it; a rebuild builds it. */
  latest: number;
  /** The pure fold of every version still deployable (old ones serve until a rebuild switches). */
  folds: Readonly<Record<number, Fold<S>>>;
  /** Why per projection: a batch's cost differs (a notes batch rewrites the whole snapshot). */
  batchSize: number;
  /**
   * Delay of the first run after an idle projector is kicked: 0 for live views;
   * more where a batch costs a whole-snapshot rewrite, so a burst of edits is
   * folded in one batch instead of one rewrite per edit.
   */
  kickDelayMs: number;
  /**
   * While events keep arriving: a run that caught up and folded an event
   * appended less than this long ago queues the next run this much later
   * instead of going idle, so a live stream costs one run per `lingerMs`
   * (however many appends) and its appends find the run flag `scheduled` (a
   * read: nothing written, nothing to conflict with). The run after a quiet
   * `lingerMs` folds nothing and goes idle. It is also the most a live view
   * lags behind while its stream is busy.
   */
  lingerMs: number;
  /**
   * Optional: run a whole batch's synchronous folds as one unit (meetingNotes:
   * one Yjs transaction, so Yjs merges structs, cleans up and runs observers
   * once per batch instead of once per update — about 2× faster on keystroke
   * logs). Only used when the whole batch folds without a throw; on a throw
   * the run reloads and falls back to the per-event loop with poison handling.
   */
  inBatch?(state: S, apply: () => void): void;
  /**
   * Optional: throw when the view cannot be derived from `state` (P11), so the
   * run finds the event that made it so and handles it as a poison event
   * instead of failing its save on every run.
   */
  verify?(state: S): void;
  load(ctx: MutationCtx, meetingId: Id<"meetings">, version: number): Promise<S>;
  save(
    ctx: MutationCtx,
    meetingId: Id<"meetings">,
    version: number,
    state: S,
    info: SaveInfo,
  ): Promise<void>;
  /** Delete up to about `limit` view rows of `version` (any meeting); returns how many went. */
  deleteVersion(ctx: MutationCtx, version: number, limit: number): Promise<number>;
};

/**
 * A projector with its state type erased, for the registry. Sound because the
 * loop only ever passes a projector's own `load` result to its `fold` and `save`
 * (method parameters are bivariant, so every `ProjectorImpl<S>` fits).
 */
export type AnyProjector = ProjectorImpl<unknown>;
