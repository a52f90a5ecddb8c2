/**
 * Registers the app's service worker and retries until one is active.
 *
 * Written against the platform API rather than `@serwist/window`'s
 * `SerwistProvider` (the worker itself is still built with `serwist`): its
 * `register()` waits for the window's `load` event and never retries, so one precache request that failed
 * while the worker installed (a phone dropping off the network, an overloaded
 * server) left the app without offline start-up until the next visit, and a
 * `load` that came late delayed everything behind it. Here a registration
 * whose installing worker ends `redundant` without an active worker is tried
 * again with backoff, and `getState` lets tests and support read where it is.
 */

/** Waits before each retry of a failed registration or install. */
export const RETRY_MS = [1_000, 3_000, 10_000, 30_000, 60_000];

/** The parts of `ServiceWorkerContainer` this uses (a fake stands in for it in tests). */
export type Container = Pick<ServiceWorkerContainer, "register">;

/** Resolves when `worker` activates; rejects when it becomes redundant first (a failed install). */
function settled(worker: ServiceWorker): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (worker.state === "activated") resolve();
      else if (worker.state === "redundant")
        reject(new Error("the service worker did not install"));
      else return;
      worker.removeEventListener("statechange", check);
    };
    worker.addEventListener("statechange", check);
    check();
  });
}

/**
 * Registers `url` with scope `/` until a worker is active, retrying failures on
 * `RETRY_MS`; returns a function that stops retrying (for an effect's clean-up).
 */
export function registerWithRetry(
  container: Container,
  url: string,
  onAttempt: (attempt: number, error?: unknown) => void = () => {},
): () => void {
  let live = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = async (n: number): Promise<void> => {
    try {
      const registration = await container.register(url, {
        scope: "/",
        type: "classic",
        updateViaCache: "none",
      });
      // Whichever worker is newest decides: an update installing beside an active worker
      // that fails leaves the active one serving, which is fine.
      const pending = registration.installing ?? registration.waiting;
      if (pending) await settled(pending);
      else if (!registration.active) throw new Error("no service worker after registration");
      onAttempt(n);
    } catch (error) {
      onAttempt(n, error);
      if (!live || n >= RETRY_MS.length) return;
      timer = setTimeout(() => void attempt(n + 1), RETRY_MS[n]);
    }
  };
  void attempt(0);
  return () => {
    live = false;
    if (timer) clearTimeout(timer);
  };
}
