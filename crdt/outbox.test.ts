/**
 * The pure outbox (N4–N7): seqs increase per client id, a push batches only
 * consecutive entries of one id within its caps, acknowledgements drop what
 * they cover, and recovery finds exactly the own edits nobody holds.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import {
  acknowledge,
  emptyOutbox,
  enqueue,
  lastSeqOf,
  nextPush,
  type OutboxState,
  pushUpdate,
  raiseSeq,
  restore,
  unsentClocks,
  windowUpdates,
} from "./outbox";

const u = (n: number) => new Uint8Array(n);

function queue(...items: Array<[number, number]>): OutboxState {
  let s = emptyOutbox();
  for (const [clientId, bytes] of items) s = enqueue(s, clientId, u(bytes)).state;
  return s;
}

describe("outbox", () => {
  test("N4 each client id gets the next seq; restore puts loaded entries first", () => {
    const s = queue([1, 1], [2, 1], [1, 1]);
    expect(s.entries.map((e) => [e.clientId, e.seq])).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
    ]);
    const r = restore(raiseSeq(emptyOutbox(), 1, 0), {
      entries: s.entries,
      lastSeqs: s.lastSeqs,
    });
    expect(lastSeqOf(r, 1)).toBe(2);
    expect(enqueue(r, 1, u(1)).entry.seq).toBe(3);
  });

  test("N5 a push takes consecutive entries of the first id, within entry and byte caps", () => {
    const s = queue([1, 10], [1, 10], [2, 10], [1, 10]);
    expect(nextPush(s, { maxEntries: 64, maxBytes: 1000 })).toMatchObject({
      clientId: 1,
      through: 2,
    });
    expect(nextPush(s, { maxEntries: 1, maxBytes: 1000 })?.entries).toHaveLength(1);
    expect(nextPush(s, { maxEntries: 64, maxBytes: 15 })?.through).toBe(1);
    // The first entry always goes, whatever its size.
    expect(nextPush(queue([1, 50]), { maxEntries: 64, maxBytes: 10 })?.through).toBe(1);
    expect(nextPush(emptyOutbox(), { maxEntries: 64, maxBytes: 10 })).toBeNull();
  });

  test("N5 an acknowledgement drops that id's entries through its seq", () => {
    const s = acknowledge(queue([1, 1], [2, 1], [1, 1], [1, 1]), 1, 2);
    expect(s.entries.map((e) => [e.clientId, e.seq])).toEqual([
      [2, 1],
      [1, 3],
    ]);
  });

  test("a window's parts become one merged update, or stay apart past the cap", () => {
    const d = new Y.Doc();
    const parts: Uint8Array[] = [];
    d.on("update", (x: Uint8Array) => parts.push(x));
    d.getText("t").insert(0, "ab");
    d.getText("t").insert(2, "cd");
    const [merged] = windowUpdates(parts, 1024);
    const r = new Y.Doc();
    Y.applyUpdate(r, merged!);
    expect(r.getText("t").toString()).toBe("abcd");
    expect(windowUpdates(parts, 1)).toEqual(parts);
    expect(windowUpdates([], 10)).toEqual([]);
  });

  test("N7 recovery finds own edits neither the server nor an entry covers", () => {
    const d = new Y.Doc();
    d.clientID = 5;
    d.getText("t").insert(0, "abc");
    const first = Y.encodeStateAsUpdate(d);
    d.getText("t").insert(3, "def");
    const local = Y.decodeStateVector(Y.encodeStateVector(d));
    const s = enqueue(emptyOutbox(), 5, first).state;
    expect(unsentClocks(s, [5, 9], local, new Map())).toEqual([{ clientId: 5, from: 3 }]);
    const pushed = pushUpdate({ clientId: 5, through: 1, entries: s.entries });
    expect(pushed).toBe(first);
    expect(unsentClocks(s, [5], local, new Map([[5, 6]]))).toEqual([]);
  });
});
