/**
 * The browser's outbox store: IndexedDB database `${name}` with object stores
 * `entries` (auto-increment keys keep push order across client ids) and
 * `seqs` (last seq per client id). Survives page reloads.
 */
import type { OutboxEntry } from "./outbox";
import type { OutboxStore } from "./outboxStore";

const ENTRIES = "entries";
const SEQS = "seqs";
const BY_CLIENT_SEQ = "by_client_seq";

/** An outbox in IndexedDB database `${name}`; survives page reloads. */
export class IndexedDbOutbox implements OutboxStore {
  private db: Promise<IDBDatabase>;

  /** Open (or create) the database; `factory` defaults to the global `indexedDB`. */
  constructor(name: string, factory: IDBFactory = globalThis.indexedDB) {
    this.db = new Promise((resolve, reject) => {
      const req = factory.open(name, 1);
      req.onupgradeneeded = () => {
        // Auto-increment keys keep insertion (= push) order across client ids.
        const entries = req.result.createObjectStore(ENTRIES, { autoIncrement: true });
        entries.createIndex(BY_CLIENT_SEQ, ["clientId", "seq"], { unique: true });
        req.result.createObjectStore(SEQS);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error(`cannot open IndexedDB ${name}`));
    });
  }

  /** Read every entry (ordered by insertion) and the last seqs. */
  async load() {
    const db = await this.db;
    const tx = db.transaction([ENTRIES, SEQS], "readonly");
    const raw = await request<OutboxEntry[]>(tx.objectStore(ENTRIES).getAll());
    const keys = await request<IDBValidKey[]>(tx.objectStore(SEQS).getAllKeys());
    const values = await request<number[]>(tx.objectStore(SEQS).getAll());
    const lastSeqs = new Map<number, number>();
    for (const [i, k] of keys.entries()) lastSeqs.set(Number(k), values[i]!);
    const entries = raw.map((e) => ({
      clientId: e.clientId,
      seq: e.seq,
      update: new Uint8Array(e.update),
    }));
    return { entries, lastSeqs };
  }

  /** Persist one entry and its seq in one transaction. */
  async append(entry: OutboxEntry) {
    const db = await this.db;
    const tx = db.transaction([ENTRIES, SEQS], "readwrite");
    tx.objectStore(ENTRIES).add({ ...entry });
    tx.objectStore(SEQS).put(entry.seq, entry.clientId);
    await done(tx);
  }

  /** Delete acknowledged entries. */
  async ack(clientId: number, through: number) {
    const db = await this.db;
    const tx = db.transaction(ENTRIES, "readwrite");
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

  /** Close the database connection. */
  close() {
    void this.db.then((db) => db.close()).catch(() => undefined);
  }
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
