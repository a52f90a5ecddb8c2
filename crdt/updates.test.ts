/**
 * Pure helpers on V1 updates. Property: for any sequence of random text
 * edits split into updates, `mergeViaDoc` of the updates (in any order)
 * yields a doc equal to applying them one by one, and `diffFromStateVector`
 * against any prefix's state vector completes that prefix to the full state.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import {
  diffFromStateVector,
  encodeStateVector,
  MAX_UPDATE_BYTES,
  mergeViaDoc,
  stateVectorOf,
  toArrayBuffer,
  validateUpdate,
} from "./updates";

function updatesOf(edits: Array<{ at: number; text: string }>): {
  doc: Y.Doc;
  updates: Uint8Array[];
} {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  for (const e of edits) {
    const t = doc.getText("t");
    t.insert(Math.floor(e.at * t.length), e.text);
  }
  return { doc, updates };
}

const editsArb = fc.array(
  fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.string({ minLength: 1, maxLength: 5 }),
  }),
  { minLength: 1, maxLength: 30 },
);

describe("validateUpdate", () => {
  test("N12 accepts a valid V1 update and reports its client ids", () => {
    const { doc, updates } = updatesOf([{ at: 0, text: "hi" }]);
    const r = validateUpdate(updates[0]!);
    expect(r).toMatchObject({ ok: true, clientIds: [doc.clientID], pending: false });
  });

  test("flags an update waiting on a dependency as pending, still valid", () => {
    const { updates } = updatesOf([
      { at: 0, text: "a" },
      { at: 1, text: "b" },
    ]);
    expect(validateUpdate(updates[1]!)).toMatchObject({ ok: true, pending: true });
  });

  test("N3 N12 refuses ids the sender does not own, oversize, sub-documents and V2", () => {
    const { doc, updates } = updatesOf([{ at: 0, text: "x" }]);
    expect(
      validateUpdate(updates[0]!, { allowedClientIds: (id) => id !== doc.clientID }),
    ).toMatchObject({
      ok: false,
      reason: "FOREIGN_CLIENT",
    });
    expect(validateUpdate(updates[0]!, { maxBytes: 4 })).toMatchObject({
      ok: false,
      reason: "TOO_LARGE",
    });
    const withSub = new Y.Doc();
    withSub.getMap("m").set("sub", new Y.Doc());
    expect(validateUpdate(Y.encodeStateAsUpdate(withSub))).toMatchObject({
      ok: false,
      reason: "UNSUPPORTED_CONTENT",
    });
    expect(validateUpdate(Y.encodeStateAsUpdateV2(doc))).toMatchObject({ ok: false });
    expect(MAX_UPDATE_BYTES).toBeLessThan(1024 * 1024);
  });
});

describe("merge and diff (property)", () => {
  test("merging in any order equals sequential application; diffs complete any prefix", () => {
    fc.assert(
      fc.property(editsArb, fc.nat(), (edits, seed) => {
        const { doc, updates } = updatesOf(edits);
        const shuffled = [...updates].sort(
          (a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7),
        );
        const merged = new Y.Doc();
        Y.applyUpdate(merged, mergeViaDoc(shuffled));
        expect(merged.getText("t").toString()).toBe(doc.getText("t").toString());
        const cut = seed % (updates.length + 1);
        const prefix = new Y.Doc();
        for (const u of updates.slice(0, cut)) Y.applyUpdate(prefix, u);
        const full = Y.encodeStateAsUpdate(doc);
        Y.applyUpdate(prefix, diffFromStateVector(full, Y.encodeStateVector(prefix)));
        expect(prefix.getText("t").toString()).toBe(doc.getText("t").toString());
        expect(stateVectorOf(full)).toEqual(Y.encodeStateVector(doc));
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  test("encodeStateVector round-trips through Yjs's decoder", () => {
    const sv = new Map([
      [1, 5],
      [4_000_000_000, 12],
    ]);
    expect(Y.decodeStateVector(encodeStateVector(sv))).toEqual(sv);
  });

  test("toArrayBuffer copies exactly the view's bytes", () => {
    const big = new Uint8Array([9, 1, 2, 3, 9]);
    expect([...new Uint8Array(toArrayBuffer(big.subarray(1, 4)))]).toEqual([1, 2, 3]);
  });
});
