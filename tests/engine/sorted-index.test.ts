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

/**
 * `before` committed one write per transaction, then `inside` applied by one
 * mutation that reads after each write: its reads and the committed result
 * must match the model.
 */
async function oneMutation(before: Op[], inside: Op[]): Promise<void> {
  run += 1;
  const prefix = `t${run}-`;
  const rows: Row[] = [];
  let n = 0;
  /** Apply `op` to the model; answers the inserted body, or the row moved or deleted. */
  const apply = (op: Op): { body?: string; row?: Row } => {
    if (op.kind === "insert") {
      const body = `${prefix}${n}`;
      rows.push({
        id: "",
        channel: prefix + op.channel,
        body,
        seq: BigInt(op.seq),
        order: n++,
      });
      return { body };
    }
    if (rows.length === 0) return {};
    const row = rows[op.pick % rows.length]!;
    if (op.kind === "move") row.seq = BigInt(op.seq);
    else rows.splice(rows.indexOf(row), 1);
    return { row };
  };
  // Committed rows first, each write its own transaction.
  for (const op of before) {
    const { body, row } = apply(op);
    if (op.kind === "insert") {
      rows[rows.length - 1]!.id = (await engine.run("messages:send", {
        channel: prefix + op.channel,
        body,
        seq: BigInt(op.seq),
      })) as string;
    } else if (row && op.kind === "move") {
      await engine.run("messages:setSeq", { id: row.id, seq: BigInt(op.seq) });
    } else if (row) await engine.run("messages:remove", { id: row.id });
  }
  const committed = rows.map((r) => ({ ...r }));
  // The model of what the mutation must read after each of its writes.
  const channels = ["a", "b"].map((c) => prefix + c);
  const ordered = (ch: string) =>
    rows
      .filter((r) => r.channel === ch)
      .sort((x, y) => (x.seq === y.seq ? x.order - y.order : x.seq < y.seq ? -1 : 1));
  const expected: string[][] = [];
  const sent: unknown[] = [];
  for (const op of inside) {
    const { body } = apply(op);
    sent.push(
      op.kind === "insert"
        ? { kind: op.kind, channel: prefix + op.channel, body, seq: BigInt(op.seq) }
        : op.kind === "move"
          ? { ...op, seq: BigInt(op.seq) }
          : op,
    );
    for (const ch of channels) {
      expected.push(
        ordered(ch).map((r) => r.body),
        ordered(ch)
          .filter((r) => r.seq >= 2n)
          .reverse()
          .slice(0, 2)
          .map((r) => r.body),
      );
    }
  }
  const reads = await engine.run("messages:applyAndRead", {
    ids: committed.map((r) => r.id),
    ops: sent,
    channels,
  });
  expect(reads).toEqual(expected);
  for (const ch of channels) {
    expect(await engine.run("messages:between", { channel: ch, order: "asc" })).toEqual(
      ordered(ch).map((r) => r.body),
    );
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

  it("a mutation interleaving writes and reads sees its own writes like the model, then commits them", async () => {
    const opsArb = fc.array(opArb, { maxLength: 20 });
    await fc.assert(fc.asyncProperty(opsArb, opsArb, oneMutation), { numRuns: 30 });
  });

  it("a commit of many writes to one index (bulk merge past 16 inserts) leaves it in model order", async () => {
    const insertArb = fc.record({
      kind: fc.constant("insert" as const),
      channel: fc.constantFrom("a", "b"),
      seq: fc.integer({ min: 0, max: 5 }),
    });
    const bulkArb = fc.array(
      fc.oneof({ weight: 4, arbitrary: insertArb }, { weight: 1, arbitrary: opArb }),
      {
        minLength: 20,
        maxLength: 60,
      },
    );
    await fc.assert(fc.asyncProperty(fc.array(opArb, { maxLength: 20 }), bulkArb, oneMutation), {
      numRuns: 15,
    });
  });

  it("still shows a mutation its own uncommitted writes", async () => {
    expect(await engine.run("messages:insertAndCount", { channel: "ryow", body: "1" })).toBe(1);
    expect(await engine.run("messages:insertAndCount", { channel: "ryow", body: "2" })).toBe(2);
  });
});
