/**
 * Following a growing, paged query the way the app's panes do: subscribe from
 * a position, and when an answer moves the position on, replace the
 * subscription with one from the new position.
 */
import type { ConvexClient } from "convex/browser";
import type { FunctionReference } from "convex/server";

/**
 * Subscribe to `query` with `argsOf()` (read again at each re-subscription); `onResult` handles an
 * answer and says whether the position moved. Returns a stop function.
 */
export function follow<Args extends Record<string, unknown>, Result>(
  client: ConvexClient,
  query: FunctionReference<"query", "public", Args, Result>,
  argsOf: () => Args,
  onResult: (r: Result) => boolean,
  onError?: (e: Error) => void,
): () => void {
  let unsub: (() => void) | null = null;
  let stopped = false;
  const start = () => {
    if (stopped) return;
    unsub = client.onUpdate(
      query,
      argsOf() as never,
      (r) => {
        if (onResult(r)) {
          unsub?.();
          start();
        }
      },
      onError,
    );
  };
  start();
  return () => {
    stopped = true;
    unsub?.();
  };
}
