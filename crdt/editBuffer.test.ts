/**
 * N17 pacing: a live, idle provider sends each edit at once while its push budget holds
 * a push, then paces pushes at the server's refill rate; offline edits wait for the window.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { CLIENT_PUSH_BURST, EditBuffer, MIN_PUSH_INTERVAL_MS, NOTE_PUSH_LIMIT } from "./editBuffer";

describe("EditBuffer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-12-01T12:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = () => {
    const flushedAt: number[] = [];
    const buffer = new EditBuffer(250, () => flushedAt.push(Date.now()));
    const edit = (live = true, busy = false) => {
      buffer.add(new Uint8Array([1]));
      buffer.sendOrFold(live, busy);
    };
    return { buffer, edit, flushedAt };
  };

  test("a burst goes at once until the budget is spent, then one push per refill", () => {
    const { edit, flushedAt } = setup();
    const start = Date.now();
    for (let i = 0; i < CLIENT_PUSH_BURST; i++) edit();
    expect(flushedAt).toEqual(Array(CLIENT_PUSH_BURST).fill(start));
    edit();
    edit(); // folded with the one before: one entry when the next push is earned
    expect(flushedAt.length).toBe(CLIENT_PUSH_BURST);
    vi.advanceTimersByTime(MIN_PUSH_INTERVAL_MS - 1);
    expect(flushedAt.length).toBe(CLIENT_PUSH_BURST);
    vi.advanceTimersByTime(1);
    expect(flushedAt.length).toBe(CLIENT_PUSH_BURST + 1);
    expect(flushedAt.at(-1)! - start).toBe(MIN_PUSH_INTERVAL_MS);
  });

  test("sustained typing never outruns the server's refill rate", () => {
    const { edit, flushedAt } = setup();
    const seconds = 10;
    for (let ms = 0; ms < seconds * 1000; ms += 5) {
      edit(); // 200 edits a second, the provider never busy
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(1000);
    const allowed = CLIENT_PUSH_BURST + seconds * NOTE_PUSH_LIMIT.ratePerSec + 1;
    expect(flushedAt.length).toBeLessThanOrEqual(allowed);
    expect(flushedAt.length).toBeGreaterThanOrEqual(allowed - 2);
  });

  test("the budget refills while idle; offline edits wait for the window; busy folds", () => {
    const { buffer, edit, flushedAt } = setup();
    for (let i = 0; i < CLIENT_PUSH_BURST; i++) edit();
    vi.advanceTimersByTime(1000); // 20 pushes earned back
    for (let i = 0; i < CLIENT_PUSH_BURST; i++) edit();
    expect(flushedAt.length).toBe(2 * CLIENT_PUSH_BURST);
    vi.advanceTimersByTime(10_000);
    edit(true, true); // a push in flight: nothing goes
    expect(buffer.size).toBe(1);
    buffer.sendOrFold(true, false); // the push loop went idle
    expect(buffer.size).toBe(0);
    edit(false);
    vi.advanceTimersByTime(249);
    expect(buffer.size).toBe(1);
    vi.advanceTimersByTime(1);
    expect(buffer.size).toBe(0);
  });
});
