/**
 * Replays an editing trace through the whole stack: one notes provider per
 * agent (sequential traces: one writer, optionally echoed to N-1 readers),
 * the real `ConvexClient` over WebSocket, the embedded engine, the notes
 * functions and the `meetingNotes` projector; then checks the text read back
 * from the server's view (and, with checkpoints, from the timeline) against
 * the trace's reference model.
 *
 * Typing model: the trace's timestamps are not real time, so keystrokes are
 * grouped as a provider coalescing a fast typist would group them: one push
 * per `keysPerWindow` patches (default 50 = 200 keys/s × 250 ms, the design's
 * benchmark rate), each acknowledged before the next window. Concurrent
 * traces push one txn per push so delivery can be gated to a txn's parents.
 */
import { createHash } from "node:crypto";
import { ConvexClient } from "convex/browser";
import WebSocket from "ws";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { PUSH_LIMIT_ENV } from "../../convex/notes/push";
import { NotesProvider } from "../../crdt/provider";
import { type Engine, startEngine } from "../../engine/engine";
import { TRACE_TEXT } from "../../projections/meetingNotes/document";
import { convexClientTransport, Gate } from "./gatedTransport";
import { applyPatches, type ConcurrentTrace, loadTrace, type SequentialTrace } from "./traceFile";

/** Why 50: 200 keys/s (the design's benchmark typist) × the provider's 250 ms window. */
export const DEFAULT_KEYS_PER_WINDOW = 50;
/** Why: generous bounds for the projector and subscriptions to catch up on 2 cores. */
const CONVERGE_TIMEOUT_MS = 180_000;

/** Options of {@link replayTrace}. */
export type ReplayOptions = {
  file: string;
  /** Providers (sequential: 1 writer + N-1 readers; concurrent: ignored, one per agent). */
  clients?: number;
  /** Timeline checkpoints spread over the trace. */
  checkpoints?: number;
  keysPerWindow?: number;
  /** Progress callback (txns done, total). */
  onProgress?: (done: number, total: number) => void;
};

/** The summary line of a replay. */
export type ReplayResult = {
  trace: string;
  clients: number;
  txns: number;
  keystrokes: number;
  pushes: number;
  updatesStored: number;
  rowsStored: number;
  storedBytes: number;
  updateBytes: number;
  textSha256: string;
  endContentMatches: boolean;
  clientsConverged: boolean;
  projectionMatches: boolean;
  ms: number;
};

/** One timeline checkpoint: the server's state just after txn `txnIndex`. */
export type CheckpointResult = { txnIndex: number; textSha256: string; matches: boolean };

type Person = {
  client: ConvexClient;
  userId: Id<"users">;
  provider: NotesProvider<Id<"meetings">>;
};

/** SHA-256 hex of a string's UTF-8 bytes. */
export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, pred: () => boolean | Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

/** Replay one trace file end to end; see the module comment. */
export async function replayTrace(
  options: ReplayOptions,
): Promise<{ result: ReplayResult; checkpoints: CheckpointResult[] }> {
  const started = Date.now();
  const trace = loadTrace(options.file);
  const name = options.file
    .split("/")
    .pop()!
    .replace(/\.json(\.gz)?$/, "");
  // A replay pushes a whole history back to back: not a person typing.
  process.env[PUSH_LIMIT_ENV] = "off";
  const engine = await startEngine({
    port: 0,
    sitePort: null,
    dataDir: null,
    reset: true,
    logLevel: "error",
    crons: false,
  });
  const people: Person[] = [];
  try {
    const count = trace.kind === "concurrent" ? trace.numAgents : Math.max(1, options.clients ?? 1);
    const gates = Array.from({ length: count }, () =>
      trace.kind === "concurrent" ? new Gate() : null,
    );
    const meetingId = await setupMeeting(engine, count, people, gates);
    const checkpointsWanted = Math.max(0, options.checkpoints ?? 0);
    const total = trace.txns.length;
    const marks = new Set(
      Array.from({ length: checkpointsWanted }, (_, k) =>
        Math.max(0, Math.ceil(((k + 1) * total) / checkpointsWanted) - 1),
      ),
    );
    const stamps: Array<{ txnIndex: number; t: number; expected: string }> = [];
    const replay =
      trace.kind === "sequential"
        ? await replaySequential(trace, people, marks, stamps, options)
        : await replayConcurrent(trace, people, gates as Gate[], marks, stamps, options);
    // Everyone settles on the same document.
    for (const g of gates)
      if (g) for (const p of people) g.allow(p.provider.doc.clientID, Number.MAX_SAFE_INTEGER);
    const texts = () => people.map((p) => p.provider.doc.getText(TRACE_TEXT).toString());
    await until(
      "clients to converge",
      () => new Set(texts()).size === 1,
      CONVERGE_TIMEOUT_MS,
    ).catch(() => undefined);
    const clientsConverged = new Set(texts()).size === 1;
    const endContentMatches = texts()[0] === trace.endContent;
    const host = people[0]!.client;
    let viewText: string | null = null;
    await until(
      "the meetingNotes projection",
      async () => {
        const view = await host.query(api.meetingNotes.get, { meetingId });
        viewText = view?.traceText ?? null;
        return viewText === trace.endContent;
      },
      CONVERGE_TIMEOUT_MS,
    ).catch(() => undefined);
    const stats = await logStats(engine, meetingId);
    const checkpoints: CheckpointResult[] = [];
    for (const s of stamps) {
      const at = await host.query(api.timeline.stateAt, { meetingId, t: s.t });
      const textSha256 = sha256(at.notes.traceText ?? "");
      checkpoints.push({
        txnIndex: s.txnIndex,
        textSha256,
        matches: textSha256 === sha256(s.expected),
      });
    }
    const result: ReplayResult = {
      trace: name,
      clients: count,
      txns: total,
      keystrokes: replay.keystrokes,
      pushes: replay.pushes,
      ...stats,
      textSha256: sha256(viewText ?? ""),
      endContentMatches,
      clientsConverged,
      projectionMatches: viewText === trace.endContent,
      ms: Date.now() - started,
    };
    return { result, checkpoints };
  } finally {
    for (const p of people) {
      p.provider.destroy();
      await p.client.close();
    }
    await engine.close();
  }
}

/** Agents signed in with dev tokens, in one started meeting (agent 0 hosts). */
export type Agents = {
  meetingId: Id<"meetings">;
  clients: ConvexClient[];
  userIds: Array<Id<"users">>;
};

/** Sign in `count` agents over the real `ConvexClient` and start a meeting they all joined. */
export async function connectAgents(engine: Engine, count: number): Promise<Agents> {
  const clients: ConvexClient[] = [];
  const userIds: Array<Id<"users">> = [];
  for (let i = 0; i < count; i++) {
    const token = await engine.mintDevToken({
      subject: `trace-agent-${i}`,
      name: `Agent ${i}`,
      email: `agent${i}@trace.local`,
    });
    const client = new ConvexClient(engine.url, {
      webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
      unsavedChangesWarning: false,
      logger: false,
    });
    await new Promise<void>((resolve, reject) =>
      client.setAuth(
        async () => token,
        (ok) => (ok ? resolve() : reject(new Error(`agent ${i} could not authenticate`))),
      ),
    );
    const me = await client.mutation(api.users.ensure, {});
    clients.push(client);
    userIds.push(me._id);
  }
  const host = clients[0]!;
  const scheduled = await host.mutation(api.meetings.schedule, {
    title: "Trace replay",
    scheduledAt: Date.now(),
    durationMinutes: 600,
    invitees: userIds.slice(1).map((userId) => ({ userId, role: "participant" as const })),
  });
  if (!scheduled.ok) throw new Error(`cannot schedule: ${scheduled.message}`);
  const meetingId = scheduled.meetingId;
  const started = await host.mutation(api.meetings.start, { meetingId });
  if (!started.ok) throw new Error(`cannot start: ${started.message}`);
  for (const c of clients.slice(1)) {
    const joined = await c.mutation(api.participants.join, { meetingId });
    if (!joined.ok) throw new Error(`cannot join: ${joined.message}`);
  }
  return { meetingId, clients, userIds };
}

async function setupMeeting(
  engine: Engine,
  count: number,
  people: Person[],
  gates: Array<Gate | null>,
): Promise<Id<"meetings">> {
  const { meetingId, clients, userIds } = await connectAgents(engine, count);
  const idBase = 1 + Math.floor(Math.random() * 0x3fffffff);
  for (const [i, client] of clients.entries()) {
    const gate = gates[i] ?? null;
    const doc = new Y.Doc();
    // Yjs orders concurrent inserts at one position by client id; the trace's
    // endContent assumes agent order, so ids increase with the agent index.
    doc.clientID = idBase + i;
    const provider = new NotesProvider({
      meetingId,
      doc,
      transport: convexClientTransport(client, gate),
      coalesceMs: 250,
      // A gated agent must not resync: a resync would hand it more than a txn's parents.
      ...(gate ? { pendingTimeoutMs: 3_600_000 } : {}),
    });
    provider.on("resync", (why) => process.stderr.write(`provider ${i}: resync (${why})\n`));
    gate?.own.add(provider.doc.clientID);
    provider.on("error", (e) => {
      if (e.code !== "NETWORK") process.stderr.write(`provider ${i}: ${e.code} ${e.message}\n`);
    });
    await provider.connect();
    people.push({ client, userId: userIds[i]!, provider });
  }
  return meetingId;
}

async function replaySequential(
  trace: SequentialTrace,
  people: Person[],
  marks: Set<number>,
  stamps: Array<{ txnIndex: number; t: number; expected: string }>,
  options: ReplayOptions,
): Promise<{ keystrokes: number; pushes: number }> {
  const writer = people[0]!.provider;
  const text = writer.doc.getText(TRACE_TEXT);
  const window = options.keysPerWindow ?? DEFAULT_KEYS_PER_WINDOW;
  let model = trace.startContent;
  let keystrokes = 0;
  let pushes = 0;
  if (model.length > 0) {
    text.insert(0, model);
    await writer.flush();
    pushes++;
  }
  let inWindow = 0;
  for (const [i, txn] of trace.txns.entries()) {
    writer.doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del);
        if (ins.length > 0) text.insert(pos, ins);
      }
    });
    model = applyPatches(model, txn.patches);
    keystrokes += txn.patches.length;
    inWindow += txn.patches.length;
    const last = i === trace.txns.length - 1;
    if (inWindow >= window || marks.has(i) || last) {
      await writer.flush();
      pushes++;
      inWindow = 0;
      if (marks.has(i)) await stamp(stamps, i, model);
      options.onProgress?.(i + 1, trace.txns.length);
    }
  }
  return { keystrokes, pushes };
}

async function replayConcurrent(
  trace: ConcurrentTrace,
  people: Person[],
  gates: Gate[],
  marks: Set<number>,
  stamps: Array<{ txnIndex: number; t: number; expected: string }>,
  options: ReplayOptions,
): Promise<{ keystrokes: number; pushes: number }> {
  const n = people.length;
  const clientOf = people.map((p) => p.provider.doc.clientID);
  const { needs, cuts } = planConcurrent(trace, n);
  const count = new Array<number>(n).fill(0);
  /** Per agent: own txn count at a flush → the seq of that push, and its own Yjs clock. */
  const seqAt = Array.from({ length: n }, () => new Map<number, number>([[0, 0]]));
  const clockAt = Array.from({ length: n }, () => new Map<number, number>([[0, 0]]));
  let keystrokes = 0;
  let pushes = 0;
  const flush = async (x: number) => {
    const p = people[x]!.provider;
    await p.flush();
    pushes++;
    seqAt[x]!.set(count[x]!, p.lastSeqOf(clientOf[x]!));
    clockAt[x]!.set(
      count[x]!,
      Y.decodeStateVector(Y.encodeStateVector(p.doc)).get(clientOf[x]!) ?? 0,
    );
  };
  for (const [i, txn] of trace.txns.entries()) {
    const a = txn.agent;
    const me = people[a]!.provider;
    const need = needs[i]!;
    // Before applying txn i, agent a holds exactly the history of its parents.
    const target = new Map<number, number>();
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      const seq = seqAt[b]!.get(need[b]!);
      const clock = clockAt[b]!.get(need[b]!);
      if (seq === undefined || clock === undefined) {
        throw new Error(`txn ${i}: agent ${b}'s first ${need[b]} txns were never pushed alone`);
      }
      gates[a]!.allow(clientOf[b]!, seq);
      target.set(clientOf[b]!, clock);
    }
    const gate = gates[a]!;
    await until(
      `agent ${a} to hold the parents of txn ${i}`,
      () => {
        const sv = Y.decodeStateVector(Y.encodeStateVector(me.doc));
        // Clocks cover inserts; delivered seqs also cover pure deletions (no clock moves).
        return [...target].every(
          ([c, clock]) =>
            (sv.get(c) ?? 0) === clock &&
            (gate.delivered.get(c) ?? 0) >= (gate.allowed.get(c) ?? 0),
        );
      },
      CONVERGE_TIMEOUT_MS,
    );
    const text = me.doc.getText(TRACE_TEXT);
    me.doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del);
        if (ins.length > 0) text.insert(pos, ins);
      }
    });
    keystrokes += txn.patches.length;
    count[a]!++;
    // Push at every point another agent's txn will need exactly this prefix.
    if (cuts[a]!.has(count[a]!)) await flush(a);
    if (marks.has(i)) {
      for (let x = 0; x < n; x++) await flush(x);
      const oracle = new Y.Doc();
      for (const p of people) Y.applyUpdate(oracle, Y.encodeStateAsUpdate(p.provider.doc));
      await stamp(stamps, i, oracle.getText(TRACE_TEXT).toString());
    }
    options.onProgress?.(i + 1, trace.txns.length);
  }
  for (let x = 0; x < n; x++) await flush(x);
  return { keystrokes, pushes };
}

/**
 * For every txn, how many txns of each agent its history holds, and per agent
 * the prefix lengths some other agent's txn needs (where it must push alone).
 */
function planConcurrent(trace: ConcurrentTrace, n: number) {
  const needs: number[][] = [];
  const cuts = Array.from({ length: n }, () => new Set<number>());
  const count = new Array<number>(n).fill(0);
  const countAfter: number[] = [];
  for (const [i, txn] of trace.txns.entries()) {
    const need = new Array<number>(n).fill(0);
    for (const p of txn.parents) {
      if (p >= i) throw new Error(`txn ${i} has parent ${p} that is not earlier in the trace`);
      const pn = needs[p]!;
      for (let b = 0; b < n; b++) need[b] = Math.max(need[b]!, pn[b]!);
      const pa = trace.txns[p]!.agent;
      need[pa] = Math.max(need[pa]!, countAfter[p]!);
    }
    if (need[txn.agent] !== count[txn.agent]) {
      throw new Error(`txn ${i}: its history lacks some of agent ${txn.agent}'s own earlier txns`);
    }
    for (let b = 0; b < n; b++) if (b !== txn.agent && need[b]! > 0) cuts[b]!.add(need[b]!);
    needs.push(need);
    count[txn.agent]!++;
    countAfter[i] = count[txn.agent]!;
  }
  return { needs, cuts };
}

/** Record "the server state now includes txn i": wall-clock t, then let the clock move on. */
async function stamp(
  stamps: Array<{ txnIndex: number; t: number; expected: string }>,
  txnIndex: number,
  expected: string,
) {
  stamps.push({ txnIndex, t: Date.now(), expected });
  // The next append must carry a later `at` than t (ms resolution).
  await sleep(2);
}

async function logStats(engine: Engine, meetingId: Id<"meetings">) {
  let updatesStored = 0;
  let rowsStored = 0;
  let storedBytes = 0;
  let updateBytes = 0;
  for (const table of ["noteUpdates", "noteSegments"] as const) {
    let cursor: string | null = null;
    for (;;) {
      const page = (await engine.run("notes/stats:logStatsPage", { meetingId, table, cursor })) as {
        rows: number;
        updates: number;
        updateBytes: number;
        payloadBytes: number;
        continueCursor: string;
        isDone: boolean;
      };
      rowsStored += page.rows;
      updatesStored += page.updates;
      storedBytes += page.payloadBytes;
      updateBytes += page.updateBytes;
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
  }
  return { updatesStored, rowsStored, storedBytes, updateBytes };
}
