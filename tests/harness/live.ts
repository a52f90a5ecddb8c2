/**
 * The backends made during the current test, so that the scheduled functions a
 * test left behind (projector runs its appends kicked) finish before the test
 * environment is torn down: otherwise they run against a torn-down module graph
 * and spill errors into other tests' output. Kept apart from `./convex` so the
 * per-file setup does not load every Convex module.
 */
type Drainable = { finishAllScheduledFunctions(advance: () => void, max?: number): Promise<void> };

const live = new Set<Drainable>();

/** Enough rounds for a kicked projector to work through a test-sized backlog. */
const DRAIN_MAX_ITERATIONS = 200;

/** Registers a backend to drain after the current test. */
export function trackBackend(t: Drainable): void {
  live.add(t);
}

/**
 * Lets every tracked backend's scheduled work finish (functions due later on
 * the real clock, such as retry backoffs, are left unrun), then forgets them.
 */
export async function drainScheduledWork(): Promise<void> {
  const backends = [...live];
  live.clear();
  for (const t of backends) {
    try {
      await t.finishAllScheduledFunctions(() => {}, DRAIN_MAX_ITERATIONS);
    } catch {
      // A scheduled function that fails has already been reported by convex-test.
    }
  }
}
