/**
 * File storage (`ctx.storage`) as Convex serves it, on the engine's own origin:
 *
 * - `generateUploadUrl()` → `<url>/api/storage/upload?token=…`; a `POST` of
 *   the bytes answers `{"storageId": "…"}`. Tokens are HMAC-signed with a
 *   key derived from the engine's admin key, name the component and expire
 *   after one hour, as Convex's do; a bad or expired token is refused (401).
 *   Upload URLs have no size limit on Convex, but an upload must finish in
 *   two minutes; the same here (the bytes stream to disk, not to memory).
 * - `getUrl(id)` → `<url>/api/storage/<id>` (plus `?component=` inside a
 *   component), served with the upload's `Content-Type`, `Content-Length`,
 *   a `Digest` and single-range requests (video seeking).
 * - `_storage` rows hold `sha256` (hex), `size` and `contentType` (when the
 *   upload had one); `ctx.storage.store(blob)` and `get(id)` in actions.
 * - Bytes live in `<dataDir>/storage/<component>/<id>`, written before their
 *   `_storage` row commits; a committed delete of the row removes the file.
 *   At start, files without a row (an upload interrupted before its commit)
 *   are removed and rows without a file are reported; `--reset` empties the
 *   folder with the data. With no data dir, bytes are kept in memory.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fromEngineRoot } from "./backend";
import type { FakeDatabase } from "./store-types";
import { tableOfId } from "./store-types";

/** Convex's upload URL validity (`STORE_FILE_AUTHORIZATION_VALIDITY`). */
export const UPLOAD_TOKEN_TTL_MS = 60 * 60 * 1000;
/** Convex's documented upload timeout for upload URLs. */
export const UPLOAD_TIMEOUT_MS = 2 * 60 * 1000;

/** A stored file's metadata (the `_storage` row's fields). */
export type FileMeta = { sha256: string; size: number; contentType?: string };

/** What the storage needs from the engine: the component databases and a transaction runner. */
export type StorageHost = {
  databases: Map<string, FakeDatabase>;
  transact<T>(componentPath: string, fn: () => Promise<T>): Promise<T>;
};

function dirName(component: string): string {
  return component === "" ? "_app" : encodeURIComponent(component);
}

/** The engine's file store. */
export class FileStorage {
  /** Base URL of the API origin (set once the port is known). */
  baseUrl = "";
  private readonly memory = new Map<string, Buffer>();
  private readonly root: string | null;
  private readonly key: Buffer;

  constructor(dataDir: string | null, secret: string) {
    this.root = dataDir === null ? null : join(dataDir, "storage");
    this.key = createHmac("sha256", secret).update("connvo-engine-upload-token").digest();
    if (this.root) mkdirSync(join(this.root, ".uploads"), { recursive: true });
  }

  private path(component: string, id: string): string {
    return join(this.root!, dirName(component), id);
  }

  /** Delete every stored file (`--reset`). */
  reset(): void {
    if (!this.root) return;
    rmSync(this.root, { recursive: true, force: true });
    mkdirSync(join(this.root, ".uploads"), { recursive: true });
  }

  /** Remove files whose `_storage` row is gone; returns how many rows have no file. */
  reconcile(host: StorageHost): { removedFiles: number; missingFiles: number } {
    let removedFiles = 0;
    let missingFiles = 0;
    if (!this.root) return { removedFiles, missingFiles };
    rmSync(join(this.root, ".uploads"), { recursive: true, force: true });
    mkdirSync(join(this.root, ".uploads"), { recursive: true });
    for (const [component, db] of host.databases) {
      const dir = join(this.root, dirName(component));
      const files = existsSync(dir) ? new Set(readdirSync(dir)) : new Set<string>();
      for (const id of Object.keys(db._documents)) {
        if (tableOfId(id) !== "_storage") continue;
        if (!files.delete(id)) missingFiles += 1;
      }
      for (const orphan of files) {
        rmSync(join(dir, orphan), { force: true });
        removedFiles += 1;
      }
    }
    return { removedFiles, missingFiles };
  }

  /** A signed upload token for `component`, valid for an hour from `now`. */
  uploadToken(component: string, now = Date.now()): string {
    const payload = Buffer.from(
      JSON.stringify({
        c: component,
        e: now + UPLOAD_TOKEN_TTL_MS,
        n: randomBytes(8).toString("hex"),
      }),
    ).toString("base64url");
    return `${payload}.${createHmac("sha256", this.key).update(payload).digest("base64url")}`;
  }

  /** The component a token was issued for, or null when it is forged, malformed or expired. */
  verifyToken(token: string, now = Date.now()): string | null {
    const [payload, sig, extra] = token.split(".");
    if (!payload || !sig || extra !== undefined) return null;
    const expected = createHmac("sha256", this.key).update(payload).digest();
    const given = Buffer.from(sig, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
        c?: unknown;
        e?: unknown;
      };
      if (typeof body.c !== "string" || typeof body.e !== "number" || body.e < now) return null;
      return body.c;
    } catch {
      return null;
    }
  }

  /** The upload URL `generateUploadUrl()` returns in `component`. */
  uploadUrl(component: string): string {
    return `${this.baseUrl}/api/storage/upload?token=${this.uploadToken(component)}`;
  }

  /** The URL `getUrl(id)` returns in `component`. */
  fileUrl(component: string, id: string): string {
    const q = component === "" ? "" : `?component=${encodeURIComponent(component)}`;
    return `${this.baseUrl}/api/storage/${encodeURIComponent(id)}${q}`;
  }

  /**
   * Store `source` (bytes, or a readable stream) in `component`: bytes first,
   * then the `_storage` row in one transaction. Returns the storage id.
   */
  async store(
    host: StorageHost,
    component: string,
    source: Uint8Array | Readable,
    contentType: string | undefined,
    deadline?: AbortSignal,
  ): Promise<string> {
    const db = host.databases.get(component);
    if (!db) throw new Error(`No component "${component}"`);
    const hash = createHash("sha256");
    let size = 0;
    let staged: { bytes: Buffer } | { tmp: string };
    if (source instanceof Uint8Array) {
      const bytes = Buffer.from(source);
      hash.update(bytes);
      size = bytes.length;
      staged = { bytes };
    } else if (this.root) {
      const tmp = join(this.root, ".uploads", randomBytes(12).toString("hex"));
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(tmp),
        ...(deadline ? [{ signal: deadline }] : []),
      );
      staged = { tmp };
    } else {
      const parts: Buffer[] = [];
      for await (const chunk of source) {
        if (deadline?.aborted) throw new Error("Upload timed out");
        const b = chunk as Buffer;
        hash.update(b);
        size += b.length;
        parts.push(b);
      }
      staged = { bytes: Buffer.concat(parts) };
    }
    const meta: FileMeta = {
      sha256: hash.digest("hex"),
      size,
      ...(contentType ? { contentType } : {}),
    };
    try {
      return await host.transact(component, async () => {
        const id = db.insert("_storage", meta);
        this.put(component, id, staged);
        return id;
      });
    } finally {
      if ("tmp" in staged) rmSync(staged.tmp, { force: true });
    }
  }

  private put(component: string, id: string, staged: { bytes: Buffer } | { tmp: string }): void {
    // Called inside the storing function's transaction. The disk work runs from the engine's
    // root async context: a library in the same process may have patched `fs` (graceful-fs,
    // which playwright-core bundles, retries closes on a timer), and convex-test refuses
    // timers inside queries and mutations.
    fromEngineRoot(() => this.putNow(component, id, staged));
  }

  private putNow(component: string, id: string, staged: { bytes: Buffer } | { tmp: string }): void {
    if (!this.root) {
      this.memory.set(
        `${component}\u0000${id}`,
        "bytes" in staged ? staged.bytes : readFileSync(staged.tmp),
      );
      return;
    }
    const target = this.path(component, id);
    mkdirSync(join(this.root, dirName(component)), { recursive: true });
    if ("tmp" in staged) renameSync(staged.tmp, target);
    else {
      const tmp = join(this.root, ".uploads", randomBytes(12).toString("hex"));
      writeFileSync(tmp, staged.bytes);
      renameSync(tmp, target);
    }
  }

  /**
   * The `_storage` row of `id` in `component`: as the current transaction sees
   * it, or (`committed`) as last committed, for requests outside functions.
   */
  meta(host: StorageHost, component: string, id: string, committed = false): FileMeta | null {
    const db = host.databases.get(component);
    if (!db || tableOfId(id) !== "_storage") return null;
    const row = committed ? (db._documents[id] ?? null) : db.get("_storage", id);
    return row as unknown as FileMeta | null;
  }

  /** The bytes of `id`, or null when there is no such file. */
  read(component: string, id: string): Buffer | null {
    if (!this.root) return this.memory.get(`${component}\u0000${id}`) ?? null;
    const p = this.path(component, id);
    return existsSync(p) ? readFileSync(p) : null;
  }

  /** The size on disk of `id` (null when absent). */
  sizeOf(component: string, id: string): number | null {
    if (!this.root) return this.memory.get(`${component}\u0000${id}`)?.length ?? null;
    const p = this.path(component, id);
    return existsSync(p) ? statSync(p).size : null;
  }

  /** Remove the bytes of `id` (after its `_storage` row's delete committed). */
  remove(component: string, id: string): void {
    if (!this.root) {
      this.memory.delete(`${component}\u0000${id}`);
      return;
    }
    rmSync(this.path(component, id), { force: true });
  }
}
