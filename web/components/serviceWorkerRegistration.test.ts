import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Container, RETRY_MS, registerWithRetry } from "./serviceWorkerRegistration";

/** A worker that moves through states when the test says so. */
class FakeWorker extends EventTarget {
  state: ServiceWorkerState = "installing";
  to(state: ServiceWorkerState) {
    this.state = state;
    this.dispatchEvent(new Event("statechange"));
  }
}

type Outcome = "fails to register" | "install fails" | "installs" | "already active";

/** A container whose successive `register` calls end as `outcomes` say; records each call. */
function container(outcomes: Outcome[]) {
  const calls: { url: string; options?: RegistrationOptions }[] = [];
  const workers: FakeWorker[] = [];
  const c: Container = {
    register: async (url, options) => {
      calls.push({ url: String(url), options });
      const outcome = outcomes[calls.length - 1] ?? "installs";
      if (outcome === "fails to register") throw new TypeError("script fetch failed");
      const worker = new FakeWorker();
      workers.push(worker);
      if (outcome === "already active") {
        worker.state = "activated";
        return {
          installing: null,
          waiting: null,
          active: worker,
        } as unknown as ServiceWorkerRegistration;
      }
      queueMicrotask(() => worker.to(outcome === "install fails" ? "redundant" : "activated"));
      return {
        installing: worker,
        waiting: null,
        active: null,
      } as unknown as ServiceWorkerRegistration;
    },
  };
  return { c, calls, workers };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("registerWithRetry", () => {
  it("given an install that fails twice, when the retries come due, then it registers again until a worker activates", async () => {
    const { c, calls } = container(["install fails", "fails to register", "installs"]);
    const attempts: [number, boolean][] = [];
    registerWithRetry(c, "/serwist/sw.js", (n, error) => attempts.push([n, error !== undefined]));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({
      url: "/serwist/sw.js",
      options: { scope: "/", type: "classic", updateViaCache: "none" },
    });
    await vi.advanceTimersByTimeAsync(RETRY_MS[0] ?? 0);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(RETRY_MS[1] ?? 0);
    expect(calls).toHaveLength(3);
    expect(attempts).toEqual([
      [0, true],
      [1, true],
      [2, false],
    ]);
    // Activated: nothing more is tried however long the page stays open.
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(calls).toHaveLength(3);
  });

  it("given an active worker, then it registers once and stops", async () => {
    const { c, calls } = container(["already active"]);
    registerWithRetry(c, "/serwist/sw.js");
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(calls).toHaveLength(1);
  });

  it("given the page goes away (clean-up), then no retry is scheduled after it", async () => {
    const { c, calls } = container(["install fails", "installs"]);
    const stop = registerWithRetry(c, "/serwist/sw.js");
    await vi.advanceTimersByTimeAsync(0);
    stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(calls).toHaveLength(1);
  });

  it("given every attempt fails, then it gives up after the last backoff", async () => {
    const { c, calls } = container(Array(20).fill("fails to register"));
    registerWithRetry(c, "/serwist/sw.js");
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(calls).toHaveLength(RETRY_MS.length + 1);
  });
});
