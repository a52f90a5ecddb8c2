/**
 * Property: the engine's sorted-index fast path answers index range queries
 * exactly like a model (filter by channel and seq bounds, order by
 * (seq, insertion) ascending or descending, optional take), after any
 * sequence of inserts, seq moves and deletes; and a mutation reading its own
 * uncommitted writes still sees them (the slow path).
 *
 * Invariant checked after every operation sequence, for every channel and a
 * set of bounds: `messages:between` == model. Bounded arbitraries: ≤ 25
 * operations, 2 channels, seq in 0..5; numRuns 40.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { startFixtureEngine } from "./helpers";

type Row = { id: string; channel: string; body: string; seq: bigint; order: number };
type Op =
  | { kind: "insert"; channel: string; seq: number }
  | { kind: "move"; pick: number; seq: number }
  | { kind: "delete"; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    channel: fc.constantFrom("a", "b"),
    seq: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({
    kind: fc.constant("move" as const),
    pick: fc.nat(),
    seq: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
);

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine({ dataDir: null });
});
afterAll(async () => {
  await engine.close();
});

let run = 0;

async function check(ops: Op[]): Promise<void> {
  run += 1;
  const prefix = `r${run}-`;
  const rows: Row[] = [];
  let n = 0;
  for (const op of ops) {
    if (op.kind === "insert") {
      const body = `${prefix}${n}`;
      const id = (await engine.run("messages:send", {
        channel: prefix + op.channel,
        body,
        seq: BigInt(op.seq),
      })) as string;
      rows.push({ id, channel: prefix + op.channel, body, seq: BigInt(op.seq), order: n++ });
    } else if (rows.length > 0) {
      const row = rows[op.pick % rows.length]!;
      if (op.kind === "move") {
        await engine.run("messages:setSeq", { id: row.id, seq: BigInt(op.seq) });
        row.seq = BigInt(op.seq);
      } else {
        await engine.run("messages:remove", { id: row.id });
        rows.splice(rows.indexOf(row), 1);
      }
    }
  }
  const bounds: Array<{ lo?: bigint; hi?: bigint }> = [
    {},
    { lo: 2n },
    { hi: 3n },
    { lo: 1n, hi: 4n },
    { lo: 3n, hi: 3n },
  ];
  for (const channel of ["a", "b"].map((c) => prefix + c)) {
    for (const b of bounds) {
      for (const order of ["asc", "desc"] as const) {
        for (const take of [undefined, 2]) {
          let expected = rows
            .filter(
              (r) =>
                r.channel === channel &&
                (b.lo === undefined || r.seq >= b.lo) &&
                (b.hi === undefined || r.seq < b.hi),
            )
            .sort((x, y) => (x.seq === y.seq ? x.order - y.order : x.seq < y.seq ? -1 : 1))
            .map((r) => r.body);
          if (order === "desc") expected = expected.reverse();
          if (take !== undefined) expected = expected.slice(0, take);
          const args = { channel, order, ...b, ...(take === undefined ? {} : { take }) };
          expect(await engine.run("messages:between", args)).toEqual(expected);
        }
      }
    }
  }
}

describe("sorted index fast path", () => {
  it("matches the model for every range, order and take", async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { maxLength: 25 }), check), { numRuns: 40 });
  });

  it("pinned: a moved row leaves its old position and a deleted row disappears", async () => {
    await check([
      { kind: "insert", channel: "a", seq: 1 },
      { kind: "insert", channel: "a", seq: 1 },
      { kind: "move", pick: 0, seq: 4 },
      { kind: "delete", pick: 1 },
      { kind: "insert", channel: "a", seq: 3 },
    ]);
  });

  it("still shows a mutation its own uncommitted writes", async () => {
    expect(await engine.run("messages:insertAndCount", { channel: "ryow", body: "1" })).toBe(1);
    expect(await engine.run("messages:insertAndCount", { channel: "ryow", body: "2" })).toBe(2);
  });
});
