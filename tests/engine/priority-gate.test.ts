/**
 * The priority gate: subscription reruns wait while mutations are in flight
 * and go as soon as none are, or after at most 10 ms under a steady stream.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PriorityGate } from "../../engine/priority-gate";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("PriorityGate", () => {
  it("lets a rerun through at once when no mutation is in flight", async () => {
    const gate = new PriorityGate();
    let passed = false;
    void gate.idle().then(() => {
      passed = true;
    });
    await Promise.resolve();
    expect(passed).toBe(true);
  });

  it("holds reruns until the last in-flight mutation leaves", async () => {
    const gate = new PriorityGate();
    gate.enter();
    gate.enter();
    let passed = false;
    void gate.idle().then(() => {
      passed = true;
    });
    gate.leave();
    await Promise.resolve();
    expect(passed).toBe(false);
    gate.leave();
    await Promise.resolve();
    expect(passed).toBe(true);
  });

  it("releases waiting reruns after 10 ms even while mutations keep coming", async () => {
    const gate = new PriorityGate();
    gate.enter();
    let passed = false;
    void gate.idle().then(() => {
      passed = true;
    });
    await vi.advanceTimersByTimeAsync(9);
    expect(passed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(passed).toBe(true);
  });

  it("never holds reruns with a zero deferral (the engine's setting)", async () => {
    const gate = new PriorityGate(0);
    gate.enter();
    let passed = false;
    void gate.idle().then(() => {
      passed = true;
    });
    await Promise.resolve();
    expect(passed).toBe(true);
  });
});
