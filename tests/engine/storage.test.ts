/**
 * File storage over HTTP, against Convex's documented contract, with the
 * unmodified clients: upload URLs on the engine's origin (POST → {storageId}),
 * files served at the URL `getUrl` returns with their Content-Type, `_storage`
 * rows with sha256 (hex) / size / contentType, bytes kept in the data dir in
 * step with `_storage` across restarts and `--reset`, `delete` removing both,
 * forged and expired tokens refused, `store`/`get` in actions.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { makeFunctionReference } from "convex/server";
import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine, tempDataDir, waitFor, wsClient } from "./helpers";

type StorageRow = {
  _id: string;
  _creationTime: number;
  sha256: string;
  size: number;
  contentType?: string;
};
const generateUploadUrl = makeFunctionReference<"mutation", Record<string, never>, string>(
  "files:generateUploadUrl",
);
const urlOf = makeFunctionReference<"query", { storageId: string }, string | null>("files:url");
const meta = makeFunctionReference<"query", { storageId: string }, StorageRow | null>("files:meta");
const listStorage = makeFunctionReference<"query", Record<string, never>, StorageRow[]>(
  "files:listStorage",
);
const remove = makeFunctionReference<"mutation", { storageId: string }, null>("files:remove");
const storeText = makeFunctionReference<"action", { text: string; contentType?: string }, string>(
  "files:storeText",
);
const readText = makeFunctionReference<
  "action",
  { storageId: string },
  { text: string; type: string } | null
>("files:readText");

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function upload(url: string, body: Uint8Array<ArrayBuffer> | string, type?: string) {
  return await fetch(url, {
    method: "POST",
    headers: type ? { "Content-Type": type } : {},
    body,
  });
}

function storageFiles(dataDir: string): string[] {
  const dir = join(dataDir, "storage", "_app");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe("file storage", () => {
  it("uploads through a URL on the engine's origin and serves the bytes with their type", async () => {
    const engine = await startFixtureEngine();
    engines.push(engine);
    const client = httpClient(engine.url);
    const uploadUrl = await client.mutation(generateUploadUrl, {});
    expect(uploadUrl.startsWith(`${engine.url}/api/storage/upload?token=`)).toBe(true);
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const res = await upload(uploadUrl, bytes, "image/png");
    expect(res.status).toBe(200);
    const { storageId } = (await res.json()) as { storageId: string };
    const row = await client.query(meta, { storageId });
    expect(row).toMatchObject({
      _id: storageId,
      size: bytes.length,
      contentType: "image/png",
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    const fileUrl = await client.query(urlOf, { storageId });
    expect(fileUrl?.startsWith(engine.url)).toBe(true);
    const served = await fetch(fileUrl!);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
    const part = await fetch(fileUrl!, { headers: { Range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(10, 20));
  });

  it("leaves contentType out when the upload had none, and stores/reads in actions", async () => {
    const engine = await startFixtureEngine();
    engines.push(engine);
    const client = httpClient(engine.url);
    const res = await fetch(await client.mutation(generateUploadUrl, {}), {
      method: "POST",
      body: new Blob([new Uint8Array([1, 2, 3])]),
    });
    const { storageId } = (await res.json()) as { storageId: string };
    const row = await client.query(meta, { storageId });
    expect(row?.contentType).toBeUndefined();
    expect(row?.size).toBe(3);
    const fromAction = await client.action(storeText, { text: "héllo", contentType: "text/plain" });
    expect(await client.action(readText, { storageId: fromAction })).toEqual({
      text: "héllo",
      type: "text/plain",
    });
    expect((await client.query(meta, { storageId: fromAction }))?.size).toBe(6);
  });

  it("refuses forged, altered and missing tokens and stores nothing", async () => {
    const engine = await startFixtureEngine();
    engines.push(engine);
    const client = httpClient(engine.url);
    const good = await client.mutation(generateUploadUrl, {});
    const token = new URL(good).searchParams.get("token")!;
    const [payload, sig] = token.split(".");
    const altered = `${payload!.slice(0, -2)}AA.${sig}`;
    for (const bad of [
      `${engine.url}/api/storage/upload`,
      `${engine.url}/api/storage/upload?token=nope`,
      `${engine.url}/api/storage/upload?token=${encodeURIComponent(altered)}`,
      `${engine.url}/api/storage/upload?token=${payload}.${"A".repeat(sig!.length)}`,
    ]) {
      expect((await upload(bad, "x", "text/plain")).status).toBe(401);
    }
    expect(await client.query(listStorage, {})).toEqual([]);
    expect((await fetch(`${engine.url}/api/storage/123_storage`)).status).toBe(404);
  });

  it("updates a live getUrl subscription when the file is deleted", async () => {
    const engine = await startFixtureEngine();
    engines.push(engine);
    const client = httpClient(engine.url);
    const res = await upload(await client.mutation(generateUploadUrl, {}), "bye", "text/plain");
    const { storageId } = (await res.json()) as { storageId: string };
    const live = wsClient(engine.url);
    try {
      await waitFor<string | null>(
        (cb) => live.onUpdate(urlOf, { storageId }, cb),
        (u) => typeof u === "string",
      );
      const gone = waitFor<string | null>(
        (cb) => live.onUpdate(urlOf, { storageId }, cb),
        (u) => u === null,
      );
      await client.mutation(remove, { storageId });
      expect(await gone).toBeNull();
    } finally {
      await live.close();
    }
  });

  it("keeps bytes and rows in step across restarts, delete and --reset", async () => {
    const dataDir = tempDataDir();
    let engine = await startFixtureEngine({ dataDir });
    const client = httpClient(engine.url);
    const ids: string[] = [];
    for (const text of ["one", "two"]) {
      const res = await upload(await client.mutation(generateUploadUrl, {}), text, "text/plain");
      ids.push(((await res.json()) as { storageId: string }).storageId);
    }
    expect(storageFiles(dataDir)).toEqual([...ids].sort());
    await engine.close();

    engine = await startFixtureEngine({ dataDir });
    engines.push(engine);
    const again = httpClient(engine.url);
    expect(await again.action(readText, { storageId: ids[0]! })).toEqual({
      text: "one",
      type: "text/plain",
    });
    const url1 = await again.query(urlOf, { storageId: ids[1]! });
    expect(await (await fetch(url1!)).text()).toBe("two");

    await again.mutation(remove, { storageId: ids[1]! });
    expect(await again.query(urlOf, { storageId: ids[1]! })).toBeNull();
    expect((await fetch(url1!)).status).toBe(404);
    expect(storageFiles(dataDir)).toEqual([ids[0]]);
    await engines.pop()!.close();

    engine = await startFixtureEngine({ dataDir, reset: true });
    engines.push(engine);
    expect(await httpClient(engine.url).query(listStorage, {})).toEqual([]);
    expect(storageFiles(dataDir)).toEqual([]);
  });
});
