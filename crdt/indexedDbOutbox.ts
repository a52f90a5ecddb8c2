/**
 * The browser's outbox store: IndexedDB database `${name}` with object stores
 * `entries` (auto-increment keys keep push order across client ids), `seqs`
 * (last seq per client id) and `settled` (per client id, the clock through
 * which the server holds its edits; version 2). Survives page reloads.
 */
import type { OutboxEntry } from "./outbox";
import type { OutboxStore } from "./outboxStore";

const ENTRIES = "entries";
const SEQS = "seqs";
const SETTLED = "settled";
const BY_CLIENT_SEQ = "by_client_seq";
const VERSION = 2;
/**
 * What a database from before `settled` existed records for the client ids it knew: settled
 * throughout (unknown, so never counted as pending offline; the next sync recovers anything the
 * server lacks, by state vector).
 */
const SETTLED_UNKNOWN = Number.MAX_SAFE_INTEGER;

/** An outbox in IndexedDB database `${name}`; survives page reloads. */
export class IndexedDbOutbox implements OutboxStore {
  private db: Promise<IDBDatabase>;

  /** Open (or create) the database; `factory` defaults to the global `indexedDB`. */
  constructor(name: string, factory: IDBFactory = globalThis.indexedDB) {
    this.db = new Promise((resolve, reject) => {
      const req = factory.open(name, VERSION);
      req.onupgradeneeded = (event) => {
        const db = req.result;
        if (event.oldVersion < 1) {
          // Auto-increment keys keep insertion (= push) order across client ids.
          const entries = db.createObjectStore(ENTRIES, { autoIncrement: true });
          entries.createIndex(BY_CLIENT_SEQ, ["clientId", "seq"], { unique: true });
          db.createObjectStore(SEQS);
        }
        if (event.oldVersion < 2) {
          const settled = db.createObjectStore(SETTLED);
          if (event.oldVersion >= 1) {
            const keys = req.transaction!.objectStore(SEQS).getAllKeys();
            keys.onsuccess = () => {
              for (const k of keys.result) settled.put(SETTLED_UNKNOWN, k);
            };
          }
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error(`cannot open IndexedDB ${name}`));
    });
  }

  /** Read every entry (ordered by insertion), the last seqs and the settled clocks. */
  async load() {
    const db = await this.db;
    const tx = db.transaction([ENTRIES, SEQS, SETTLED], "readonly");
    const raw = await request<OutboxEntry[]>(tx.objectStore(ENTRIES).getAll());
    const lastSeqs = await readMap(tx.objectStore(SEQS));
    const settled = await readMap(tx.objectStore(SETTLED));
    const entries = raw.map((e) => ({
      clientId: e.clientId,
      seq: e.seq,
      update: new Uint8Array(e.update),
    }));
    return { entries, lastSeqs, settled };
  }

  /** Persist one entry and its seq in one transaction. */
  async append(entry: OutboxEntry) {
    const db = await this.db;
    const tx = db.transaction([ENTRIES, SEQS], "readwrite");
    tx.objectStore(ENTRIES).add({ ...entry });
    tx.objectStore(SEQS).put(entry.seq, entry.clientId);
    await done(tx);
  }

  /** Delete acknowledged entries (and raise the settled clock in the same transaction). */
  async ack(clientId: number, through: number, settledClock?: number) {
    const db = await this.db;
    const tx = db.transaction([ENTRIES, SETTLED], "readwrite");
    if (settledClock !== undefined) raiseSettled(tx.objectStore(SETTLED), clientId, settledClock);
    const range = IDBKeyRange.bound([clientId, 0], [clientId, through]);
    const cursorReq = tx.objectStore(ENTRIES).index(BY_CLIENT_SEQ).openCursor(range);
    cursorReq.onsuccess = () => {
      const cursor = cursorReq.result;
      if (!cursor) return;
      cursor.delete();
      cursor.continue();
    };
    await done(tx);
  }

  /** Remember an authoring client id (keeps its last seq if known). */
  async claim(clientId: number) {
    const db = await this.db;
    const tx = db.transaction(SEQS, "readwrite");
    const store = tx.objectStore(SEQS);
    const existing = await request<number | undefined>(store.get(clientId));
    if (existing === undefined) store.put(0, clientId);
    await done(tx);
  }

  /** Raise `clientId`'s settled clock to `clock` (never lowers it). */
  async settle(clientId: number, clock: number) {
    const db = await this.db;
    const tx = db.transaction(SETTLED, "readwrite");
    raiseSettled(tx.objectStore(SETTLED), clientId, clock);
    await done(tx);
  }

  /** Close the database connection. */
  close() {
    void this.db.then((db) => db.close()).catch(() => undefined);
  }
}

/** Within the caller's transaction: settled clock of `clientId` := max(known, `clock`). */
function raiseSettled(store: IDBObjectStore, clientId: number, clock: number): void {
  const known = store.get(clientId);
  known.onsuccess = () => {
    const was = known.result as number | undefined;
    if (was === undefined || was < clock) store.put(clock, clientId);
  };
}

/** A store keyed by client id with number values, as a map. */
async function readMap(store: IDBObjectStore): Promise<Map<number, number>> {
  const keys = await request<IDBValidKey[]>(store.getAllKeys());
  const values = await request<number[]>(store.getAll());
  const map = new Map<number, number>();
  for (const [i, k] of keys.entries()) map.set(Number(k), values[i]!);
  return map;
}

function request<T>(req: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}
