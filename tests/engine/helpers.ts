/**
 * Shared setup for the engine tests: an engine over the fixture app (or the
 * real `convex/`) on random ports with a temporary data dir, and the real
 * `convex` clients pointed at it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { makeFunctionReference, type UserIdentity } from "convex/server";
import WebSocket from "ws";
import { type Engine, type EngineOptions, startEngine } from "../../engine/engine";

/** The fixture Convex app the engine tests run. */
export const FIXTURE_DIR = resolve(import.meta.dirname, "../../engine/fixtures/app");

/** A fresh temporary data dir. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), "engine-test-"));
}

/** Start an engine over the fixture app on random ports. */
export function startFixtureEngine(options: EngineOptions = {}): Promise<Engine> {
  return startEngine({
    port: 0,
    functionsDir: FIXTURE_DIR,
    dataDir: tempDataDir(),
    logLevel: "silent",
    crons: false,
    ...options,
  });
}

/** An engine over the real `convex/` app in conflict-simulation mode (the OCC tests). */
export function startOccAppEngine(): Promise<Engine> {
  return startEngine({
    port: 0,
    dataDir: tempDataDir(),
    logLevel: "silent",
    crons: false,
    occ: true,
  });
}

/** A person of the OCC tests: a dev identity with a name, an email and an org. */
export function occPerson(
  engine: Engine,
  subject: string,
  name: string,
  org: string,
): UserIdentity {
  return {
    ...engine.devIdentity(subject),
    name,
    email: `${subject}@example.com`,
    org_id: org,
  } as UserIdentity;
}

/** A `ConvexClient` (WebSocket sync) over `ws`, with client logs silenced. */
export function wsClient(
  url: string,
  options: { unsavedChangesWarning?: boolean } = {},
): ConvexClient {
  return new ConvexClient(url, {
    webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
    unsavedChangesWarning: options.unsavedChangesWarning ?? false,
    logger: false,
  });
}

/** A `ConvexHttpClient`, with client logs silenced. */
export function httpClient(url: string): ConvexHttpClient {
  return new ConvexHttpClient(url, { logger: false });
}

/**
 * Resolve with the first value of `next()`-style updates that satisfies
 * `pred`; reject after `ms`.
 */
export function waitFor<T>(
  subscribe: (cb: (value: T) => void) => () => void,
  pred: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  return new Promise((ok, fail) => {
    let last: T | undefined;
    let unsubscribe: (() => void) | undefined;
    const timer = setTimeout(() => {
      unsubscribe?.();
      fail(new Error(`timed out after ${ms} ms; last value ${JSON.stringify(last)}`));
    }, ms);
    unsubscribe = subscribe((value) => {
      last = value;
      if (pred(value)) {
        clearTimeout(timer);
        queueMicrotask(() => unsubscribe?.());
        ok(value);
      }
    });
  });
}

/** A raw sync-protocol socket: what it received and how it closed. */
export type RawSocket = {
  ws: WebSocket;
  frames: Array<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: Buffer }>;
  send(text: string | Buffer): void;
};

/** Open a raw WebSocket to the engine's sync endpoint (resolves once open). */
export function rawSocket(url: string): Promise<RawSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/api/1.48.0/sync`);
  const frames: Array<Record<string, unknown>> = [];
  ws.on("message", (data) => {
    try {
      frames.push(JSON.parse(String(data)) as Record<string, unknown>);
    } catch {
      frames.push({ unparsed: String(data) });
    }
  });
  const closed = new Promise<{ code: number; reason: Buffer }>((ok) => {
    ws.on("close", (code, reason) => ok({ code, reason }));
  });
  ws.on("error", () => undefined);
  return new Promise((ok, fail) => {
    ws.once("open", () =>
      ok({
        ws,
        frames,
        closed,
        send: (text) => {
          if (ws.readyState === ws.OPEN) ws.send(text);
        },
      }),
    );
    ws.once("error", fail);
  });
}

/** A fresh client subscribes, writes, and sees its write: the engine serves. */
export async function assertServing(engine: Engine, tag: string): Promise<void> {
  const client = wsClient(engine.url);
  try {
    const seen = waitFor<Array<{ body: string }>>(
      (cb) => client.onUpdate(aliveList, { channel: `alive-${tag}` }, cb),
      (rows) => rows.some((r) => r.body === tag),
    );
    await client.mutation(aliveSend, { channel: `alive-${tag}`, body: tag });
    await seen;
  } finally {
    await client.close();
  }
}

const aliveList = makeFunctionReference<"query", { channel: string }, Array<{ body: string }>>(
  "messages:list",
);
const aliveSend = makeFunctionReference<"mutation", { channel: string; body: string }, string>(
  "messages:send",
);

/**
 * A WebSocket client of `engine` authenticated with a dev token for `claims`
 * (pushed to `clients` for closing); resolves once the engine accepted it.
 */
export async function authedClient(
  engine: Engine,
  clients: ConvexClient[],
  claims: Parameters<Engine["mintDevToken"]>[0],
): Promise<ConvexClient> {
  const token = await engine.mintDevToken(claims);
  const client = wsClient(engine.url);
  clients.push(client);
  await new Promise<void>((ok, fail) =>
    client.setAuth(
      async () => token,
      (authenticated) => (authenticated ? ok() : fail(new Error("token refused"))),
    ),
  );
  return client;
}

/**
 * A WebSocket client of `engine` signed in with a dev token for `subject`
 * (pushed to `clients` for closing), its user provisioned.
 */
export async function signedInClient(
  engine: Engine,
  clients: ConvexClient[],
  subject: string,
  name: string,
): Promise<ConvexClient> {
  const client = await authedClient(engine, clients, {
    subject,
    name,
    email: `${subject}@example.com`,
    orgId: "org_demo",
  });
  await client.mutation(makeFunctionReference<"mutation">("users:ensure"), {});
  return client;
}
