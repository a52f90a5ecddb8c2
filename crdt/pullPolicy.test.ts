import { describe, expect, it } from "vitest";
import { alignedCursor, followAnswer, PULL_WINDOW_BITS } from "./pullPolicy";
import type { NoteCursor } from "./transport";

const WINDOW = 1n << PULL_WINDOW_BITS;
const T0 = (1_764_633_600_000_000_000n >> PULL_WINDOW_BITS) << PULL_WINDOW_BITS; // a window start (ns)
const u = (ts: bigint) => ({ ts });
const at = (ts: bigint) => ({ ts });

describe("followAnswer", () => {
  it("given a subscription behind the cursor, then only updates past the cursor are fresh", () => {
    const r = followAnswer(
      { updates: [u(T0 + 1n), u(T0 + 2n), u(T0 + 3n)], cursor: at(T0 + 3n), done: true },
      at(T0 + 2n),
      at(T0),
    );
    expect(r.fresh.map((x) => x.ts)).toEqual([T0 + 3n]);
    expect(r.cursor).toEqual(at(T0 + 3n));
    expect(r.moveTo).toBeUndefined(); // still the same window
  });

  it("given an update in a later window, then it moves forward to that window's start", () => {
    const late = T0 + WINDOW + 7n;
    const r = followAnswer(
      { updates: [u(late)], cursor: at(late), done: true },
      at(T0 + 5n),
      at(T0),
    );
    expect(r.moveTo).toEqual(at(T0 + WINDOW));
    expect(alignedCursor(at(late))).toEqual(at(T0 + WINDOW));
  });

  it("given a partial page, then it moves to the page's end; a stale answer never moves the cursor back", () => {
    const r = followAnswer({ updates: [u(T0 + 5n)], cursor: at(T0 + 5n), done: false }, null, null);
    expect(r.moveTo).toEqual(at(T0 + 5n));
    const stale = followAnswer(
      { updates: [u(T0 + 1n)], cursor: at(T0 + 1n), done: true },
      at(T0 + 9n),
      at(T0),
    );
    expect(stale.fresh).toEqual([]);
    expect(stale.cursor).toEqual(at(T0 + 9n));
    expect(stale.moveTo).toBeUndefined();
  });

  it("given two readers that started at different cursors, then they subscribe alike after the next window", () => {
    // Reader A bootstrapped in the window before T0, reader B at T0+WINDOW/2; same log.
    const log = [T0 + 20n, T0 + WINDOW / 2n + 1n, T0 + WINDOW + 3n, T0 + WINDOW + 9n];
    const follow = (start: bigint) => {
      let cursor: NoteCursor | null = at(start);
      let subscribed: NoteCursor | null = alignedCursor(cursor);
      const applied: bigint[] = [];
      const subs = [subscribed];
      for (let i = 0; i < log.length; i++) {
        const updates = log.slice(0, i + 1).filter((ts) => !subscribed || ts > subscribed.ts);
        const r: ReturnType<typeof followAnswer<{ ts: bigint }>> = followAnswer(
          { updates: updates.map(u), cursor: at(log[i]!), done: true },
          cursor,
          subscribed,
        );
        applied.push(...r.fresh.map((x) => x.ts));
        cursor = r.cursor;
        if (r.moveTo !== undefined) subscribed = r.moveTo;
        subs.push(subscribed);
      }
      return { applied, subs };
    };
    const a = follow(T0 - WINDOW + 10n);
    expect(a.subs[0]).not.toEqual(alignedCursor(at(T0 + WINDOW / 2n)));
    const b = follow(T0 + WINDOW / 2n);
    expect(a.applied).toEqual(log); // each update once, none missed
    expect(b.applied).toEqual(log.slice(1));
    expect(a.subs.at(-1)).toEqual(b.subs.at(-1));
    expect(a.subs.at(-1)).toEqual(at(T0 + WINDOW));
  });
});
