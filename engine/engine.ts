/**
 * `startEngine`: the embedded local Convex engine's programmatic entry point
 * (the CLI in `main.ts` wraps it). Wires the backend (convex-test over the
 * functions folder), persistence, scheduled-function re-arming, crons, the
 * dev issuer, token verification, the WebSocket sync protocol and the HTTP
 * API together. See `engine/README.md` for the API and its guarantees.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { UserIdentity } from "convex/server";
import { ConvexError, jsonToConvex } from "convex/values";
import { adminKeyPath, checkAdminCredential, loadAdminKey } from "./admin-key";
import { type AuthProviderConfig, TokenVerifier } from "./auth";
import { Backend, type CallOutcome, type FunctionKind, type ResolvedFunction } from "./backend";
import { startCrons } from "./crons";
import { DEV_AUDIENCE, type DevIssuer, type DevTokenClaims, loadDevIssuer } from "./dev-auth";
import { FileStorage } from "./file-storage";
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from "./frame-guard";
import { apiHandler, type HttpHost, sendJson, serveHttpAction } from "./http-api";
import { Journal } from "./journal";
import { createLogger, type LogLevel } from "./logger";
import { MutationDedupe } from "./mutation-dedupe";
import { OccSimulator, type OccStats } from "./occ/simulator";
import type { JournalSlot } from "./paginate";
import { PriorityGate } from "./priority-gate";
import { QueryCache } from "./query-cache";
import type { ReadSet } from "./read-set";
import { rearmScheduledFunctions } from "./scheduled";
import { startScheduledRetention, sweepScheduledFunctions } from "./scheduled-retention";
import { handleDownload, handleUpload } from "./storage-http";
import { startSyncServer } from "./sync-server";
import { engineSyscalls } from "./syscall-overrides";

/** Counters for tests and the benchmarks. */
export type EngineStats = {
  commits: number;
  sessions: number;
  /** Subscription query executions (shared runs count once), in all and by function. */
  queryRuns: number;
  queryRunsByPath: Record<string, number>;
  /** Commits that wrote each table (a commit writing two tables counts for both). */
  commitsByTable: Record<string, number>;
  /** Scheduled functions started (app component), by function name. */
  scheduledByName: Record<string, number>;
};

/** Options of {@link startEngine}; every field has a local-development default. */
export type EngineOptions = {
  /** API port (HTTP + WebSocket); 0 picks a free one. Default 3210. */
  port?: number;
  /** HTTP actions port (Convex's `.site`); 0 picks a free one, `null` disables it. Default port+1 (0 if port is 0). */
  sitePort?: number | null;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Data directory; `null` keeps everything in memory. Default `.data`. */
  dataDir?: string | null;
  /** Start empty (delete the stored data first). */
  reset?: boolean;
  /** The Convex functions folder. Default `convex` (of the current directory). */
  functionsDir?: string;
  /** Serve the local development issuer. Default true. */
  devAuth?: boolean;
  /** `silent` | `error` | `warn` | `info` | `debug`. Default `info`. */
  logLevel?: LogLevel;
  /** Run `crons.ts` on the engine's timer. Default true. */
  crons?: boolean;
  /** Conflict-simulation mode: count and retry the OCC conflicts Convex would raise (`occ/`). Default false. */
  occ?: boolean;
  /** Per-connection limits of the sync socket (defaults in `frame-guard.ts`). */
  limits?: Partial<ConnectionLimits>;
  /** Browser origins allowed to call `/dev-auth/token` (requests without an `Origin` always may). Default none. */
  devAuthOrigins?: string[];
};

/** A running engine. */
export type Engine = {
  /** Deployment URL for `ConvexClient`/`ConvexReactClient`/`ConvexHttpClient`. */
  url: string;
  /** HTTP actions base URL (the site port, or `<url>/http` when the site port is disabled). */
  siteUrl: string;
  /** The dev issuer (`<url>/dev-auth`), or null when disabled. */
  devIssuer: string | null;
  /** The admin key (`Authorization: Convex <key>`, `ConvexHttpClient.setAdminAuth`). */
  adminKey: string;
  /** Where the admin key is kept (`<dataDir>/admin-key`), or null in memory. */
  adminKeyFile: string | null;
  /** Mint a dev token (RS256, audience `connvo-dev`, 1 h unless `expiresInSeconds`). */
  mintDevToken(claims: DevTokenClaims): Promise<string>;
  /** The identity a dev token for `subject` maps to (for tests). */
  devIdentity(subject: string): { issuer: string; subject: string; tokenIdentifier: string };
  /** Run any function (internal included) as the system, e.g. from seed scripts. */
  run(
    udfPath: string,
    args?: Record<string, unknown>,
    identity?: UserIdentity | null,
  ): Promise<unknown>;
  /** Paths of the registered components (e.g. `rateLimiter`, `rateLimiter/batchWorker`). */
  components: string[];
  /** Delete finished scheduled-job records older than the retention window (as of `now`); returns how many. */
  sweepScheduledFunctions(now?: number): Promise<number>;
  /** Drop every WebSocket connection (clients reconnect; for tests of reconnection). */
  dropConnections(): void;
  /** Conflict counters (all zero unless `occ` is on). */
  occStats(): OccStats;
  /** Counters for tests and bench. */
  stats(): EngineStats;
  /** Persist a snapshot now and stop serving. */
  close(): Promise<void>;
};

let engineCount = 0;

async function loadAuthConfig(functionsDir: string): Promise<AuthProviderConfig[]> {
  const file = ["auth.config.ts", "auth.config.js"]
    .map((f) => join(functionsDir, f))
    .find(existsSync);
  if (!file) return [];
  engineCount += 1;
  const url = pathToFileURL(file).href;
  let mod: { default?: { providers?: AuthProviderConfig[] } };
  try {
    // A fresh evaluation per engine: the config reads DEV_AUTH_ISSUER, which depends on the port.
    mod = (await import(`${url}?engine=${engineCount}`)) as typeof mod;
  } catch {
    mod = (await import(url)) as typeof mod;
  }
  return mod.default?.providers ?? [];
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      ok((server.address() as AddressInfo).port);
    });
  });
}

/** Start an engine; resolves once it serves requests. */
export async function startEngine(options: EngineOptions = {}): Promise<Engine> {
  const log = createLogger(options.logLevel ?? "info");
  const host = options.host ?? "127.0.0.1";
  const functionsDir = resolve(options.functionsDir ?? "convex");
  const dataDir =
    options.dataDir === undefined ? resolve(".data") : options.dataDir && resolve(options.dataDir);
  const port = options.port ?? 3210;
  const sitePortOpt =
    options.sitePort === undefined ? (port === 0 ? 0 : port + 1) : options.sitePort;

  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  let backend: Backend | null = null;
  let verifier: TokenVerifier | null = null;
  let dev: DevIssuer | null = null;
  let occ: OccSimulator | null = null;
  let queryRuns = 0;
  let commits = 0;
  const queryRunsByPath: Record<string, number> = {};
  const commitsByTable: Record<string, number> = {};
  const scheduledByName: Record<string, number> = {};
  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const adminKey = loadAdminKey(dataDir);
  const checkAdmin = (credential: string) => checkAdminCredential(credential, adminKey);
  const storage = new FileStorage(dataDir, adminKey);

  const call = async (
    fn: ResolvedFunction,
    args: unknown,
    identity: UserIdentity | null,
    via: string,
    readSet?: ReadSet,
    arrivalSeq?: number,
    journal?: JournalSlot,
  ): Promise<CallOutcome> => {
    const b = backend!;
    const started = performance.now();
    if (fn.kind === "mutation") gate.enter();
    let outcome: CallOutcome;
    try {
      outcome =
        occ && fn.kind === "mutation"
          ? await occ.runMutation(fn, args, identity, arrivalSeq)
          : await b.call(fn, args, identity, { recorder: readSet, journal });
    } finally {
      if (fn.kind === "mutation") gate.leave();
    }
    const ms = performance.now() - started;
    if (via === "subscription")
      log.debug(`query    ${fn.udfPath} ${ms.toFixed(1)}ms ${outcome.ok ? "ok" : "error"} (ws)`);
    else
      log.call(
        fn.kind,
        fn.udfPath,
        ms,
        outcome.ok ? "ok" : `error: ${outcome.message.split("\n")[0]}`,
        via,
      );
    return outcome;
  };
  // No deferral: see PriorityGate's MAX_DEFER_MS for the measurement.
  const gate = new PriorityGate(0);
  const dedupe = new MutationDedupe();
  const queries = new QueryCache(async (fn, args, identity, readSet, journal) => {
    await gate.idle();
    queryRuns += 1;
    queryRunsByPath[fn.udfPath] = (queryRunsByPath[fn.udfPath] ?? 0) + 1;
    return await call(fn, args, identity, "subscription", readSet, undefined, journal);
  });
  const resolveFn = async (udfPath: string, kind?: FunctionKind) => backend!.resolve(udfPath, kind);
  const resolveAdmin = async (udfPath: string, kind: FunctionKind | undefined, component: string) =>
    backend!.resolve(udfPath, kind, true, component);
  const verifyToken = async (token: string) => verifier!.verifyWithExpiry(token);

  const httpHost: HttpHost = {
    ready,
    resolve: resolveFn,
    call: (fn, args, identity, via) => call(fn, args, identity, via),
    verifyToken,
    lastCommitTs: () => backend?.lastCommitTs ?? 0n,
    devIssuer: () => dev,
    devAuthOrigins: options.devAuthOrigins ?? [],
    checkAdmin,
    resolveAdmin,
    storage: {
      upload: (req, res, u) => handleUpload(backend!, storage, req, res, u, sendJson),
      download: (req, res, u) => handleDownload(backend!, storage, req, res, u, sendJson),
    },
    httpAction: async (path, init, identity) => {
      const started = performance.now();
      try {
        const res = await backend!.fetchHttpAction(path, init, identity);
        log.call(
          "http",
          `${init.method ?? "GET"} ${path}`,
          performance.now() - started,
          res.status < 500 ? "ok" : `error: status ${res.status}`,
          "site",
        );
        return res;
      } catch (e) {
        log.call(
          "http",
          `${init.method ?? "GET"} ${path}`,
          performance.now() - started,
          `error: ${(e as Error).message}`,
          "site",
        );
        throw e;
      }
    },
    hasHttpRouter: () => backend?.hasHttp(functionsDir) ?? false,
  };

  const api = createServer((req, res) => void apiHandler(httpHost)(req, res));
  const sync = startSyncServer(
    api,
    ready,
    () => ({
      resolve: resolveFn,
      resolveAdmin,
      checkAdmin,
      call: (f, a, i, v) => call(f, a, i, v),
      lastCommitTs: () => backend!.lastCommitTs,
      verifyToken,
      queries,
      dedupe,
      gate,
      log,
      limits,
    }),
    limits,
    log,
  );
  const sessions = sync.sessions;
  const boundPort = await listen(api, port, host);
  const url = `http://${host}:${boundPort}`;
  storage.baseUrl = url;

  let site: Server | null = null;
  let siteUrl = `${url}/http`;
  if (sitePortOpt !== null) {
    site = createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://site");
      void serveHttpAction(httpHost, req, res, `${u.pathname}${u.search}`);
    });
    siteUrl = `http://${host}:${await listen(site, sitePortOpt, host)}`;
  }

  const devAuth = options.devAuth ?? true;
  const issuer = `${url}/dev-auth`;
  if (devAuth) {
    process.env.DEV_AUTH_ISSUER = issuer;
    dev = await loadDevIssuer(issuer, dataDir);
  } else {
    // Disabled means disabled: auth.config.ts must not list a dev issuer.
    delete process.env.DEV_AUTH_ISSUER;
  }
  verifier = new TokenVerifier(
    await loadAuthConfig(functionsDir),
    dev ? [{ issuer: dev.issuer, jwks: dev.jwks, applicationID: DEV_AUDIENCE }] : [],
  );

  backend = await Backend.create(functionsDir);
  const journal = dataDir ? new Journal(dataDir, log) : null;
  if (journal) {
    if (options.reset) {
      journal.reset();
      storage.reset();
    }
    journal.load(backend);
  }
  await backend.overrideSyscalls(engineSyscalls(backend, storage));
  const files = storage.reconcile(backend);
  if (files.removedFiles > 0)
    log.info(`storage: removed ${files.removedFiles} file(s) without a _storage row`);
  if (files.missingFiles > 0)
    log.warn(`storage: ${files.missingFiles} _storage row(s) have no file`);
  if (options.occ) occ = new OccSimulator(backend, log);
  let closed = false;
  const stopListening = backend.onCommit((commit) => {
    // convex-test's own scheduler timers cannot be cancelled: ignore whatever
    // they commit after close so a stopped engine never writes to the data dir.
    if (closed) return;
    commits += 1;
    for (const t of new Set(commit.changes.map((c) => c.table))) {
      commitsByTable[t] = (commitsByTable[t] ?? 0) + 1;
    }
    journal?.append(backend!, commit);
    for (const c of commit.changes) {
      if (c.table === "_storage" && c.before !== null && c.after === null)
        storage.remove(c.component, c.id);
      const job = c.table === "_scheduled_functions" && c.component === "" ? c.after : null;
      if ((job as { state?: { kind?: string } } | null)?.state?.kind === "inProgress") {
        const name = String((job as { name?: unknown }).name);
        scheduledByName[name] = (scheduledByName[name] ?? 0) + 1;
      }
    }
    queries.invalidate();
    for (const s of sessions) s.onCommit(commit);
  });
  const stopScheduled = rearmScheduledFunctions(backend, log);
  const stopRetention = startScheduledRetention(backend, log);
  const stopCrons =
    options.crons === false ? () => undefined : await startCrons(backend, functionsDir, log);
  markReady();
  log.info(
    `engine ready at ${url} (HTTP actions at ${siteUrl}${dev ? `, dev issuer ${issuer}` : ""})`,
  );

  return {
    url,
    siteUrl,
    devIssuer: dev ? issuer : null,
    adminKey,
    adminKeyFile: dataDir ? adminKeyPath(dataDir) : null,
    mintDevToken: async (claims) => {
      if (!dev) throw new Error("The dev issuer is disabled (devAuth: false)");
      return await dev.mint(claims);
    },
    devIdentity: (subject) => ({ issuer, subject, tokenIdentifier: `${issuer}|${subject}` }),
    run: async (udfPath, args = {}, identity = null) => {
      const arrival = occ?.seq; // the window opens when the call arrives
      const fn = await backend!.resolve(udfPath, undefined, true);
      const outcome = await call(fn, args, identity, "engine.run", undefined, arrival);
      if (outcome.ok) return outcome.value;
      if (outcome.data !== undefined) {
        throw new ConvexError(jsonToConvex(outcome.data) as Parameters<typeof jsonToConvex>[0]);
      }
      throw new Error(outcome.message);
    },
    stats: () => ({
      commits,
      sessions: sessions.size,
      queryRuns,
      queryRunsByPath: { ...queryRunsByPath },
      commitsByTable: { ...commitsByTable },
      scheduledByName: { ...scheduledByName },
    }),
    occStats: () =>
      occ?.stats() ?? {
        conflicts: 0,
        retries: 0,
        failures: 0,
        checked: 0,
        byFunction: {},
        byDocument: {},
        byTable: {},
      },
    sweepScheduledFunctions: (now) => sweepScheduledFunctions(backend!, now),
    dropConnections: () => sync.dropConnections(),
    components: [...backend.databases.keys()].filter((p) => p !== ""),
    close: async () => {
      closed = true;
      stopListening();
      stopCrons();
      stopScheduled();
      stopRetention();
      await sync.close();
      api.closeAllConnections();
      await new Promise<void>((r) => api.close(() => r()));
      if (site) {
        site.closeAllConnections();
        await new Promise<void>((r) => site!.close(() => r()));
      }
      journal?.compact(backend!);
      journal?.close();
    },
  };
}
