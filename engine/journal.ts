/**
 * Persistence in a data dir: `snapshot.json` (every document of every
 * component, plus id counters and the last commit ts) and `journal.ndjson`
 * (one line per commit since the snapshot: changed documents, `null` for a
 * delete). Values are stored with `convexToJson`, so bytes (ArrayBuffer) and
 * bigints (commitTs) round-trip. On start the snapshot is loaded, the journal
 * replayed (a torn last line from a crash is dropped) and compacted into a
 * new snapshot; the journal is compacted again when it grows past
 * {@link COMPACT_AFTER_BYTES} and on close. Writes are appended synchronously
 * before subscribers are told, so what a client saw survives a restart.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { convexToJson, type JSONValue, jsonToConvex, type Value } from "convex/values";
import type { Backend, Commit } from "./backend";
import { type FakeDatabase, resetTableIndex, type StoredDoc } from "./internals";
import type { Logger } from "./logger";

/**
 * Compact when the journal passes 64 MiB *and* twice the last snapshot:
 * replay stays short, and rewriting a large snapshot stays amortized over at
 * least as many journal bytes as it costs.
 */
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;
const FORMAT_VERSION = 1;

type Snapshot = {
  version: number;
  lastCommitTs: string;
  components: Record<
    string,
    { nextDocId: number; lastCreationTime: number; documents: JSONValue[] }
  >;
};
type JournalLine = {
  ts: string;
  n: Record<string, number>;
  w: Array<[string, string, JSONValue | null]>;
};

/** The on-disk store of one engine. */
export class Journal {
  private readonly snapshotFile: string;
  private readonly journalFile: string;
  private fd: number | null = null;
  private bytes = 0;
  private snapshotBytes = 0;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
  ) {
    this.snapshotFile = join(dir, "snapshot.json");
    this.journalFile = join(dir, "journal.ndjson");
  }

  /** Delete the stored data (`--reset`); keeps the dev issuer's key. */
  reset(): void {
    rmSync(this.snapshotFile, { force: true });
    rmSync(this.journalFile, { force: true });
  }

  /** Load the snapshot and replay the journal into `backend`, then compact. */
  load(backend: Backend): void {
    mkdirSync(this.dir, { recursive: true });
    let lastTs = 0n;
    let docs = 0;
    if (existsSync(this.snapshotFile)) {
      const snap = JSON.parse(readFileSync(this.snapshotFile, "utf8")) as Snapshot;
      if (snap.version !== FORMAT_VERSION) {
        throw new Error(
          `${this.snapshotFile}: format ${snap.version}, expected ${FORMAT_VERSION}; start with --reset`,
        );
      }
      lastTs = BigInt(snap.lastCommitTs);
      for (const [path, c] of Object.entries(snap.components)) {
        const db = this.dbOf(backend, path);
        if (!db) continue;
        for (const d of c.documents) {
          const doc = jsonToConvex(d) as StoredDoc;
          db._documents[doc._id] = doc;
          docs += 1;
        }
        db._nextDocId = Math.max(db._nextDocId, c.nextDocId);
        db._lastCreationTime = Math.max(db._lastCreationTime, c.lastCreationTime);
      }
    }
    let lines = 0;
    if (existsSync(this.journalFile)) {
      const text = readFileSync(this.journalFile, "utf8");
      for (const raw of text.split("\n")) {
        if (!raw) continue;
        let line: JournalLine;
        try {
          line = JSON.parse(raw) as JournalLine;
        } catch {
          this.log.warn(
            `journal: dropped a torn line (${raw.length} bytes) at the end of ${this.journalFile}`,
          );
          break;
        }
        lines += 1;
        lastTs = BigInt(line.ts);
        for (const [path, id, value] of line.w) {
          const db = this.dbOf(backend, path);
          if (!db) continue;
          if (value === null) delete db._documents[id];
          else db._documents[id] = jsonToConvex(value) as StoredDoc;
        }
        for (const [path, n] of Object.entries(line.n)) {
          const db = this.dbOf(backend, path);
          if (db) db._nextDocId = Math.max(db._nextDocId, n);
        }
      }
    }
    for (const db of backend.databases.values()) {
      resetTableIndex(db);
      for (const doc of Object.values(db._documents)) {
        if (doc._creationTime > db._lastCreationTime) db._lastCreationTime = doc._creationTime;
      }
    }
    if (lastTs > backend.lastCommitTs) backend.lastCommitTs = lastTs;
    this.log.info(`data: loaded ${docs} documents + ${lines} journaled commits from ${this.dir}`);
    this.compact(backend);
  }

  private dbOf(backend: Backend, path: string): FakeDatabase | undefined {
    const db = backend.databases.get(path);
    if (!db)
      this.log.warn(
        `data: stored component "${path}" is not installed any more; its data is ignored`,
      );
    return db;
  }

  /** Append one commit (called before subscribers hear of it). */
  append(backend: Backend, commit: Commit): void {
    const n: Record<string, number> = {};
    const w: JournalLine["w"] = [];
    for (const c of commit.changes) {
      w.push([c.component, c.id, c.after === null ? null : convexToJson(c.after as Value)]);
      const db = backend.databases.get(c.component);
      if (db) n[c.component] = db._nextDocId;
    }
    const line = `${JSON.stringify({ ts: commit.ts.toString(), n, w } satisfies JournalLine)}\n`;
    this.fd ??= openSync(this.journalFile, "a");
    appendFileSync(this.fd, line);
    this.bytes += line.length;
    if (this.bytes > COMPACT_AFTER_BYTES && this.bytes > 2 * this.snapshotBytes)
      this.compact(backend);
  }

  /** Write a snapshot of everything (atomically) and empty the journal. */
  compact(backend: Backend): void {
    mkdirSync(this.dir, { recursive: true });
    const snap: Snapshot = {
      version: FORMAT_VERSION,
      lastCommitTs: backend.lastCommitTs.toString(),
      components: {},
    };
    for (const [path, db] of backend.databases) {
      snap.components[path] = {
        nextDocId: db._nextDocId,
        lastCreationTime: db._lastCreationTime,
        documents: Object.values(db._documents).map((d) => convexToJson(d as Value)),
      };
    }
    const tmp = `${this.snapshotFile}.tmp`;
    const text = JSON.stringify(snap);
    this.snapshotBytes = text.length;
    writeFileSync(tmp, text);
    renameSync(tmp, this.snapshotFile);
    if (this.fd !== null) closeSync(this.fd);
    writeFileSync(this.journalFile, "");
    this.fd = openSync(this.journalFile, "a");
    this.bytes = 0;
  }

  /** Size of the journal since the last compaction, in bytes. */
  get journalBytes(): number {
    return existsSync(this.journalFile) ? statSync(this.journalFile).size : 0;
  }

  /** Release the journal file. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
