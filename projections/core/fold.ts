/**
 * What a read model is: a pure fold over {@link LogEvent}s. `evolve` must not
 * mutate the view it is given unless the view type says so (the notes fold
 * works on a `Y.Doc`, whose updates are idempotent by construction).
 */
import type { LogEvent, Stream } from "./logEvent";

/** A read model's pure definition. */
export type Fold<V> = {
  /** Streams the fold reads; events of other streams are never passed in. */
  readonly streams: readonly Stream[];
  /** The view before any event. */
  init(): V;
  /** Apply one event. Throws only on a corrupt event (a poison event). */
  evolve(view: V, event: LogEvent): V;
};

/** Fold a log-ordered list of events from `view` (default: the empty view). */
export function foldAll<V>(fold: Fold<V>, events: readonly LogEvent[], view: V = fold.init()): V {
  let v = view;
  for (const e of events) if (fold.streams.includes(e.stream)) v = fold.evolve(v, e);
  return v;
}
