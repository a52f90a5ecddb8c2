/**
 * The function runtime: `convex-test` over a functions folder (the app's
 * `convex/` by default) with its components registered and transaction
 * limits on. Resolves public functions the way Convex does, runs them with a
 * caller's identity, and reports every top-level commit (including those made
 * by scheduled functions) as one batch of document changes.
 */
import { AsyncResource } from "node:async_hooks";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { UserIdentity } from "convex/server";
import { convexToJson, type JSONValue, type Value } from "convex/values";
import { convexTest } from "convex-test";
import {
  ArgumentValidationError,
  assertArgumentsMatch,
  type ValidatorJson,
} from "./arg-validation";
import { installLogCapture } from "./function-logs";
import {
  bindDatabases,
  type DocChange,
  type FakeDatabase,
  installHooks,
  listenToCommits,
  overrideSyscalls,
  type ReadRecorder,
  runInCallContext,
  type SyscallOverrides,
  tableOfId,
  trackAuthReads,
} from "./internals";
import { assertArgumentsWithinLimits } from "./limits";
import { componentsOf, type ModuleMap, moduleMapOf, schemaKeyOf } from "./modules";
import type { JournalSlot } from "./paginate";

/**
 * The async context the engine's own calls start from: the one this module
 * loaded in, outside any function execution. convex-test keeps the running
 * function's identity, component and enclosing transaction in
 * AsyncLocalStorage, and a promise continuation inherits the context it was
 * created in; the engine's work triggered by a commit (a subscription rerun
 * after a commit made inside a component's action, say) would otherwise run
 * as a nested call of that function, with no identity across the component
 * boundary. Every call the engine starts runs from this root instead.
 */
const engineRoot = new AsyncResource("ConvexEngineCall");

/** Run `fn` in the engine's root async context (see {@link engineRoot}). */
export function fromEngineRoot<T>(fn: () => T): T {
  return engineRoot.runInAsyncScope(fn);
}

/** Identities whose accessors are kept; a few thousand users, then start over. */
const MAX_CACHED_IDENTITIES = 4096;

/** The kinds of function a client can call. */
export type FunctionKind = "query" | "mutation" | "action";

/** A commit: its timestamp and changed documents per component path ("" = the app). */
export type Commit = { ts: bigint; changes: Array<DocChange & { component: string }> };

/** The outcome of one call, as the wire protocols need it. */
export type CallOutcome =
  | { ok: true; value: unknown; logLines: string[] }
  | { ok: false; message: string; data?: JSONValue; logLines: string[] };

/** Runs a resolved function as an identity; `via` names the transport for logs. */
export type CallFunction = (
  fn: ResolvedFunction,
  args: unknown,
  identity: UserIdentity | null,
  via: string,
) => Promise<CallOutcome>;

/** Per-call options of {@link Backend.call}. */
export type CallOptions = {
  /** Receives the call's syscalls (subscription read sets). */
  recorder?: ReadRecorder | undefined;
  /** Conflict-simulation context (see `occ/simulator.ts`). */
  occ?: { udfPath: string; arrivalSeq: number; open: boolean; retryable?: boolean } | undefined;
  /** Sees the raw error before it is turned into protocol fields. */
  onError?: ((e: unknown) => void) | undefined;
  /** The subscription's query journal (read and written by `.paginate()`). */
  journal?: JournalSlot | undefined;
};

/** What a resolved function is. */
export type ResolvedFunction = {
  udfPath: string;
  kind: FunctionKind;
  /** The component it lives in ("" = the app; only admin calls reach components). */
  componentPath?: string;
  /** Its exported argument validator (`exportArgs()`), null when it declares none. */
  argsValidator?: ValidatorJson | null;
};

type FunctionPath = { udfPath: string; componentPath: string };
type Runner = {
  queryFromPath(p: FunctionPath, args: unknown): Promise<unknown>;
  mutationFromPath(p: FunctionPath, args: unknown): Promise<unknown>;
  actionFromPath(p: FunctionPath, args: unknown): Promise<unknown>;
  fun(p: FunctionPath, args: unknown): Promise<unknown>;
  runInComponent<T>(componentPath: string, fn: (ctx: unknown) => Promise<T>): Promise<T>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  withIdentity(identity: Partial<UserIdentity>): Runner;
};

type ConvexFunction = {
  exportArgs?: () => string;
  isPublic?: boolean;
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
};

/** Split `module:export` (or `module`, meaning `default`), dropping a `.js` suffix. */
export function canonicalizeUdfPath(udfPath: string): { module: string; exportName: string } {
  const i = udfPath.lastIndexOf(":");
  let module = i === -1 ? udfPath : udfPath.slice(0, i);
  const exportName = i === -1 ? "default" : udfPath.slice(i + 1);
  if (module.endsWith(".js")) module = module.slice(0, -3);
  return { module, exportName };
}

/** A user-facing error the engine raises itself (unknown function, wrong kind...). */
export class EngineCallError extends Error {}

function kindOf(fn: ConvexFunction): FunctionKind | null {
  if (fn.isQuery) return "query";
  if (fn.isMutation) return "mutation";
  if (fn.isAction) return "action";
  return null;
}

/** Turn anything a function threw into the protocol's error fields. */
export function describeError(e: unknown): { message: string; data?: JSONValue } {
  if (typeof e === "object" && e !== null && Symbol.for("ConvexError") in e) {
    const data = (e as { data: unknown }).data;
    const message = (e as Error).message;
    return { message, data: convexToJson(data as Parameters<typeof convexToJson>[0]) };
  }
  if (e instanceof EngineCallError || e instanceof ArgumentValidationError) {
    return { message: e.message };
  }
  if (e instanceof Error) return { message: `Uncaught ${e.name}: ${e.message}` };
  return { message: `Uncaught ${String(e)}` };
}

/** The in-process Convex backend the servers call into. */
export class Backend {
  readonly databases = new Map<string, FakeDatabase>();
  /** The latest commit's timestamp (nanoseconds); 0 before the first. */
  lastCommitTs = 0n;
  private readonly runner: Runner;
  private readonly commitListeners = new Set<(c: Commit) => void>();
  private pending: Commit | null = null;

  private constructor(
    private readonly modules: ModuleMap,
    private readonly componentModules: Map<string, ModuleMap>,
    runner: Runner,
  ) {
    this.runner = runner;
  }

  /** The export `exportName` of `module` in component `component` ("" = the app), if any. */
  async loadExport(component: string, module: string, exportName: string): Promise<unknown> {
    const modules = component === "" ? this.modules : this.componentModules.get(component);
    if (!modules) return undefined;
    const loader = ["ts", "js", "tsx", "mjs"]
      .map((ext) => modules[`/convex-root/${module}.${ext}`])
      .find((l) => l !== undefined);
    return loader ? (await loader())[exportName] : undefined;
  }

  /** Build a backend over `functionsDir` (schema, modules, components). */
  static async create(functionsDir: string): Promise<Backend> {
    installHooks();
    installLogCapture();
    const importer = (url: string) => import(url);
    const modules = moduleMapOf(functionsDir, importer);
    const schemaKey = schemaKeyOf(modules);
    const schema = schemaKey ? (await modules[schemaKey]!()).default : undefined;
    const t = convexTest({
      schema: schema as Parameters<typeof convexTest>[0] extends infer O
        ? O extends { schema?: infer S }
          ? S
          : never
        : never,
      modules,
      transactionLimits: true,
    });
    const componentModules = new Map<string, ModuleMap>();
    for (const c of componentsOf(functionsDir, importer)) {
      componentModules.set(c.path, c.modules);
      const key = schemaKeyOf(c.modules);
      const componentSchema = key ? (await c.modules[key]!()).default : null;
      (t.registerComponent as (p: string, s: unknown, m: ModuleMap) => void)(
        c.path,
        componentSchema,
        c.modules,
      );
    }
    const backend = new Backend(modules, componentModules, t as unknown as Runner);
    await bindDatabases(
      (db) => {
        if (backend.databases.has(db._componentPath)) return;
        backend.databases.set(db._componentPath, db);
        listenToCommits(db, (d, ts, changes) => backend.onDbCommit(d, ts, changes));
      },
      () => backend.runner.runInComponent("", async () => null),
    );
    await backend.runner.runInComponent("", async (ctx) => trackAuthReads(ctx));
    return backend;
  }

  /** True when the functions folder has an `http.ts` router. */
  hasHttp(functionsDir: string): boolean {
    return ["http.ts", "http.js"].some((f) => existsSync(join(functionsDir, f)));
  }

  /** Subscribe to commits; returns an unsubscribe function. */
  onCommit(listener: (c: Commit) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private onDbCommit(db: FakeDatabase, ts: bigint, changes: DocChange[]): void {
    if (ts > this.lastCommitTs) this.lastCommitTs = ts;
    if (this.pending && this.pending.ts !== ts) this.flush();
    if (!this.pending) {
      this.pending = { ts, changes: [] };
      queueMicrotask(() => this.flush());
    }
    for (const c of changes) this.pending.changes.push({ ...c, component: db._componentPath });
  }

  private flush(): void {
    const commit = this.pending;
    this.pending = null;
    if (!commit) return;
    // Listeners (subscription reruns) never inherit the committing call's context.
    fromEngineRoot(() => {
      for (const l of this.commitListeners) l(commit);
    });
  }

  /** Resolve a public function by path (internal ones too for admins), enforcing its kind when given. */
  async resolve(
    udfPath: string,
    expected?: FunctionKind,
    includeInternal = false,
    componentPath = "",
  ): Promise<ResolvedFunction> {
    const { module, exportName } = canonicalizeUdfPath(udfPath);
    const notFound = () =>
      new EngineCallError(
        `Could not find public function for '${module}:${exportName}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`,
      );
    if (module.startsWith("_") || module.includes("..")) throw notFound();
    const fn = (await this.loadExport(componentPath, module, exportName)) as
      | ConvexFunction
      | undefined;
    const kind = fn ? kindOf(fn) : null;
    if (kind === null || !(fn?.isPublic || includeInternal)) throw notFound();
    if (expected && kind !== expected) {
      throw new EngineCallError(
        `Trying to execute ${module}:${exportName} as ${expected}, but it is defined as ${kind}.`,
      );
    }
    let argsValidator: ValidatorJson | null = null;
    try {
      argsValidator = fn?.exportArgs ? (JSON.parse(fn.exportArgs()) as ValidatorJson) : null;
    } catch {
      argsValidator = null;
    }
    return { udfPath: `${module}:${exportName}`, kind, componentPath, argsValidator };
  }

  private readonly identityRunners = new Map<string, Runner>();

  private runnerFor(identity: UserIdentity | null): Runner {
    if (!identity) return this.runner;
    // convex-test builds a fresh accessor (dozens of closures and a fake JWT)
    // per withIdentity(); reuse one per identity.
    const key = JSON.stringify(identity);
    let runner = this.identityRunners.get(key);
    if (!runner) {
      if (this.identityRunners.size >= MAX_CACHED_IDENTITIES) this.identityRunners.clear();
      runner = this.runner.withIdentity(identity);
      this.identityRunners.set(key, runner);
    }
    return runner;
  }

  /** Set by the conflict simulator: the commit sequence number a call arriving now starts at. */
  windowStart: (() => number) | null = null;

  /** Run a resolved public function with `args` as `identity`. Never throws. */
  async call(
    fn: ResolvedFunction,
    args: unknown,
    identity: UserIdentity | null,
    options: CallOptions = {},
  ): Promise<CallOutcome> {
    const recorder = options.recorder;
    const runner = this.runnerFor(identity);
    const path = { udfPath: fn.udfPath, componentPath: fn.componentPath ?? "" };
    const run = () => {
      switch (fn.kind) {
        case "query":
          return runner.queryFromPath(path, args);
        case "mutation":
          return runner.mutationFromPath(path, args);
        case "action":
          return runner.actionFromPath(path, args);
      }
    };
    const logs = { lines: [] as string[], open: true };
    try {
      assertArgumentsWithinLimits(`${fn.udfPath}`, args as Value);
      assertArgumentsMatch(fn.argsValidator ?? null, args as Value, tableOfId);
      const value = await fromEngineRoot(() =>
        runInCallContext(
          { recorder: recorder ?? null, logs, occ: options.occ, journal: options.journal },
          run,
        ),
      );
      return { ok: true, value, logLines: logs.lines };
    } catch (e) {
      options.onError?.(e);
      return { ok: false, ...describeError(e), logLines: logs.lines };
    } finally {
      logs.open = false;
    }
  }

  /** Run any function (internal too) by component and path: scheduled jobs and crons. */
  async runInternal(componentPath: string, name: string, args: unknown): Promise<unknown> {
    // `_scheduled_functions.name` reads `module.js:export`, as on Convex.
    const { module, exportName } = canonicalizeUdfPath(name);
    const udfPath = `${module}:${exportName}`;
    if (!this.windowStart)
      return await fromEngineRoot(() => this.runner.fun({ componentPath, udfPath }, args));
    // Under conflict simulation, the engine's own calls open their window now.
    // Not retried by the simulator (crons, seeds): conflicts are counted, then committed.
    const occ = { udfPath, arrivalSeq: this.windowStart(), open: true, retryable: false };
    try {
      return await fromEngineRoot(() =>
        runInCallContext({ recorder: null, logs: null, occ }, () =>
          this.runner.fun({ componentPath, udfPath }, args),
        ),
      );
    } finally {
      occ.open = false;
    }
  }

  /** Register this backend's syscall overrides (file storage, vector search). */
  overrideSyscalls(overrides: SyscallOverrides): Promise<void> {
    return this.runner.runInComponent("", async () => overrideSyscalls(overrides));
  }

  /** Run `fn` inside a transaction of `componentPath` (writes commit like a mutation). */
  transact<T>(componentPath: string, fn: () => Promise<T>): Promise<T> {
    return fromEngineRoot(() => this.runner.runInComponent(componentPath, fn));
  }

  /** Serve a request with the app's HTTP router (`convex/http.ts`). */
  fetchHttpAction(pathAndQuery: string, init: RequestInit, identity: UserIdentity | null) {
    return fromEngineRoot(() => this.runnerFor(identity).fetch(pathAndQuery, init));
  }
}
