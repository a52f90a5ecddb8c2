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
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { PUSH_LIMIT_ENV } from "../../convex/notes/push";
import { NotesProvider } from "../../crdt/provider";
import { type Engine, startEngine } from "../../engine/engine";
import { TRACE_TEXT } from "../../projections/meetingNotes/document";
import { connectAgents, logStats } from "./agents";
import { replayConcurrent } from "./concurrent";
import { convexClientTransport, Gate } from "./gatedTransport";
import { CONVERGE_TIMEOUT_MS, type Person, type Stamp, stamp, until } from "./steps";
import { applyPatches, loadTrace, type SequentialTrace } from "./traceFile";

/** Why 50: 200 keys/s (the design's benchmark typist) × the provider's 250 ms window. */
export const DEFAULT_KEYS_PER_WINDOW = 50;
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

/** SHA-256 hex of a string's UTF-8 bytes. */
export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
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
    const stamps: Stamp[] = [];
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
      process.stderr.write(`provider ${i}: ${e.code} ${e.message}\n`);
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
  stamps: Stamp[],
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
