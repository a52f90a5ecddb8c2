import { describe, expect, it } from "vitest";
import { followAnswer, PULL_MOVE_AFTER } from "./pullPolicy";

const u = (ts: number) => ({ ts: BigInt(ts) });
const at = (ts: number) => ({ ts: BigInt(ts), id: `e${ts}` }) as never;

describe("followAnswer", () => {
  it("given a kept subscription behind the cursor, then only updates past it are fresh and it stays", () => {
    const r = followAnswer({ updates: [u(1), u(2), u(3)], cursor: at(3), done: true }, at(2));
    expect(r.fresh.map((x) => Number(x.ts))).toEqual([3]);
    expect(r.cursor).toEqual(at(3));
    expect(r.move).toBe(false);
  });

  it("given a large or partial answer, then it moves; a stale answer never moves the cursor back", () => {
    const many = Array.from({ length: PULL_MOVE_AFTER }, (_, i) => u(i + 1));
    expect(followAnswer({ updates: many, cursor: at(16), done: true }, null).move).toBe(true);
    expect(followAnswer({ updates: [u(5)], cursor: at(5), done: false }, null).move).toBe(true);
    const stale = followAnswer({ updates: [u(1)], cursor: at(1), done: true }, at(9));
    expect(stale.fresh).toEqual([]);
    expect(stale.cursor).toEqual(at(9));
  });
});
