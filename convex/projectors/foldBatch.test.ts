/**
 * The pure parts of a projector run: `foldBatch` folds in order and stops at
 * the first poison event without consuming it; `poisonPolicy` retries, then
 * parks (skip while live, stall while rebuilding).
 */
import { describe, expect, test } from "vitest";
import type { Fold } from "../../projections/core/fold";
import type { StoredEvent } from "../../projections/events/decode";
import { foldBatch, MAX_ATTEMPTS, poisonPolicy, RETRY_BASE_MS, startProgress } from "./foldBatch";

/** A meeting event row whose kind is `kind` (an unknown kind is a poison event). */
function row(i: number, kind = "MeetingStarted"): StoredEvent {
  return {
    stream: "meeting",
    ts: BigInt(i),
    key: `k${i}`,
    at: i * 10,
    actor: "system:test",
    schemaVersion: 1,
    kind,
    data: {},
  };
}

/** Counts the events folded, in order. */
const counter: Fold<number[]> = {
  streams: ["meeting"],
  init: () => [],
  evolve: (s, e) => [...s, Number(e.ts)],
};

describe("foldBatch", () => {
  test("P4 folds every event in order and advances the cursors past the last", () => {
    const items = [row(1), row(2), row(3)];
    const r = foldBatch(counter, counter.init(), items, startProgress({}));
    expect(r.state).toEqual([1, 2, 3]);
    expect(r).toMatchObject({ applied: 3, lastTs: 3n, lastAt: 30, poison: null });
    expect(r.cursors).toEqual({ meeting: { ts: 3n, key: "k3" } });
  });

  test("P5 stops at the first event that fails to decode, without consuming it", () => {
    const items = [row(1), row(2, "NoSuchKind"), row(3)];
    const r = foldBatch(counter, counter.init(), items, startProgress({}));
    expect(r.state).toEqual([1]);
    expect(r.applied).toBe(1);
    expect(r.cursors).toEqual({ meeting: { ts: 1n, key: "k1" } });
    expect(r.poison?.index).toBe(1);
    expect(r.poison?.error).toMatch(/NoSuchKind/);
  });

  test("P5 skipped indices are consumed (cursor moves) but not folded", () => {
    const items = [row(1), row(2, "NoSuchKind"), row(3)];
    const r = foldBatch(counter, counter.init(), items, startProgress({}), { skip: new Set([1]) });
    expect(r.state).toEqual([1, 3]);
    expect(r).toMatchObject({ applied: 2, lastTs: 3n, poison: null });
  });

  test("from/to bound the slice folded; inBatch wraps the folds of more than one event", () => {
    const items = [row(1), row(2), row(3), row(4)];
    const units: number[] = [];
    const inBatch = (_s: number[], apply: () => void) => {
      units.push(1);
      apply();
    };
    const r = foldBatch(counter, counter.init(), items, startProgress({}), {
      from: 1,
      to: 3,
      inBatch,
    });
    expect(r.state).toEqual([2, 3]);
    expect(units).toEqual([1]);
    const one = foldBatch(counter, counter.init(), items, startProgress({}), { to: 1, inBatch });
    expect(one.state).toEqual([1]);
    expect(units).toEqual([1]);
  });
});

describe("poisonPolicy", () => {
  test("P5 retries with doubling backoff before the last attempt", () => {
    expect(poisonPolicy({ attempts: 1, rebuilding: false })).toEqual({
      action: "retry",
      delayMs: RETRY_BASE_MS,
    });
    expect(poisonPolicy({ attempts: 2, rebuilding: true })).toEqual({
      action: "retry",
      delayMs: 2 * RETRY_BASE_MS,
    });
  });

  test("P6 parks at the last attempt: a live version skips, a rebuild stalls", () => {
    expect(poisonPolicy({ attempts: MAX_ATTEMPTS, rebuilding: false })).toEqual({
      action: "park",
      mode: "skipped",
    });
    expect(poisonPolicy({ attempts: MAX_ATTEMPTS, rebuilding: true })).toEqual({
      action: "park",
      mode: "stalled",
    });
  });
});
