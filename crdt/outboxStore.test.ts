/**
 * One contract suite, run against every outbox store (N4): entries come back
 * in append order across client ids, acknowledgements drop exactly the
 * entries at or below their seq, claims keep a known seq, and whatever was
 * written survives a reopen where the store persists.
 */
import "fake-indexeddb/auto";
import { describe, expect, test } from "vitest";
import { IndexedDbOutbox } from "./indexedDbOutbox";
import type { OutboxEntry } from "./outbox";
import { MemoryOutbox, type OutboxStore } from "./outboxStore";

let dbs = 0;
const stores: Array<{ name: string; open: () => () => OutboxStore; persists: boolean }> = [
  {
    name: "MemoryOutbox",
    open: () => {
      const one = new MemoryOutbox();
      return () => one;
    },
    persists: false,
  },
  {
    name: "IndexedDbOutbox",
    open: () => {
      const name = `contract-${++dbs}`;
      return () => new IndexedDbOutbox(name);
    },
    persists: true,
  },
];

const entry = (clientId: number, seq: number, byte: number): OutboxEntry => ({
  clientId,
  seq,
  update: Uint8Array.of(byte, seq),
});

describe.each(stores)("N4 outbox store contract: $name", ({ open, persists }) => {
  test("N4 entries load in append order across client ids, with the last seq per id", async () => {
    const store = open()();
    await store.append(entry(1, 1, 10));
    await store.append(entry(2, 1, 20));
    await store.append(entry(1, 2, 11));
    const loaded = await store.load();
    expect(loaded.entries).toEqual([entry(1, 1, 10), entry(2, 1, 20), entry(1, 2, 11)]);
    expect([...loaded.lastSeqs].sort()).toEqual([
      [1, 2],
      [2, 1],
    ]);
    store.close();
  });

  test("N4 an acknowledgement drops that client's entries at or below its seq only", async () => {
    const store = open()();
    for (const e of [entry(1, 1, 1), entry(2, 1, 2), entry(1, 2, 3), entry(1, 3, 4)]) {
      await store.append(e);
    }
    await store.ack(1, 2);
    const loaded = await store.load();
    expect(loaded.entries).toEqual([entry(2, 1, 2), entry(1, 3, 4)]);
    // Seqs handed out are not forgotten by an acknowledgement.
    expect(loaded.lastSeqs.get(1)).toBe(3);
    store.close();
  });

  test("N4 a claim records a new id at 0 and keeps a known one's seq", async () => {
    const store = open()();
    await store.append(entry(7, 5, 1));
    await store.claim(7);
    await store.claim(9);
    const loaded = await store.load();
    expect(loaded.lastSeqs.get(7)).toBe(5);
    expect(loaded.lastSeqs.get(9)).toBe(0);
    store.close();
  });

  test("N7 settled clocks only rise, by themselves or with an acknowledgement", async () => {
    const store = open()();
    await store.append(entry(1, 1, 1));
    await store.append(entry(1, 2, 2));
    await store.settle(5, 40);
    await store.settle(5, 30);
    await store.ack(1, 1, 12);
    await store.ack(1, 2);
    const loaded = await store.load();
    expect(loaded.entries).toEqual([]);
    expect([...loaded.settled].sort()).toEqual([
      [1, 12],
      [5, 40],
    ]);
    store.close();
  });

  test("N4 what was written is there after a reopen (when the store persists)", async () => {
    const reopen = open();
    const first = reopen();
    await first.append(entry(3, 1, 9));
    await first.claim(4);
    await first.settle(4, 7);
    first.close();
    const again = reopen();
    const loaded = await again.load();
    expect(loaded.entries).toEqual([entry(3, 1, 9)]);
    expect(loaded.lastSeqs.get(4)).toBe(0);
    expect(loaded.settled.get(4)).toBe(7);
    expect(persists || again === first).toBe(true);
    again.close();
  });
});

test("N7 an outbox database from before settled clocks opens with its ids settled throughout", async () => {
  // Version 1, as the app wrote it before: entries and seqs, one id known.
  const name = "outbox-v1";
  await new Promise<void>((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      const entries = req.result.createObjectStore("entries", { autoIncrement: true });
      entries.createIndex("by_client_seq", ["clientId", "seq"], { unique: true });
      req.result.createObjectStore("seqs").put(3, 77);
    };
    req.onsuccess = () => {
      req.result.close();
      resolve();
    };
    req.onerror = () => reject(req.error);
  });
  const store = new IndexedDbOutbox(name);
  const loaded = await store.load();
  expect(loaded.lastSeqs.get(77)).toBe(3);
  // Unknown, so never counted as pending offline; the next sync recovers by state vector.
  expect(loaded.settled.get(77)).toBe(Number.MAX_SAFE_INTEGER);
  await store.claim(78);
  expect((await store.load()).settled.has(78)).toBe(false);
  store.close();
});
