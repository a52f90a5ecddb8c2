/**
 * Loader for the editing traces in `/work/shared/data/traces` (format in that
 * folder's README): gzipped JSON, sequential `{startContent, endContent, txns:
 * [{time, patches: [[pos, delCount, insText], ...]}]}`. One txn = one
 * keystroke (one Yjs transaction) everywhere in the benchmarks.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import * as Y from "yjs";
import { TRACE_TEXT } from "../../projections/meetingNotes/document";

/**
 * The Y.Text the benchmarks type traces into: the same `trace` field
 * `scripts/trace.ts` writes and the meetingNotes projection reads.
 */
export const TRACE_FIELD = TRACE_TEXT;

/**
 * The Yjs client id traces are typed with: fixed, so every process (the bench,
 * the engine child) produces byte-identical updates for the same keystrokes.
 */
export const TRACE_CLIENT_ID = 1_000_003;

/** One patch: at `pos` delete `del` characters, then insert `ins`. */
export type Patch = readonly [pos: number, del: number, ins: string];

/** A sequential editing trace. */
export type SequentialTrace = {
  name: string;
  startContent: string;
  endContent: string;
  txns: { time?: string | number; patches: Patch[] }[];
};

/** Where the traces live; `BENCH_TRACES_DIR` overrides (e.g. a fresh clone with shared/ elsewhere). */
export function tracesDir(root: string): string {
  const fromEnv = process.env.BENCH_TRACES_DIR;
  if (fromEnv) return fromEnv;
  const candidates = [
    join(root, "..", "shared", "data", "traces"),
    "/work/shared/data/traces",
    join(root, "shared", "data", "traces"),
  ];
  return candidates.find((d) => existsSync(d)) ?? candidates[0]!;
}

function isPatch(p: unknown): p is Patch {
  return (
    Array.isArray(p) &&
    p.length === 3 &&
    typeof p[0] === "number" &&
    typeof p[1] === "number" &&
    typeof p[2] === "string"
  );
}

/** Load and validate a sequential trace by name (e.g. `automerge-paper`). */
export function loadSequentialTrace(dir: string, name: string): SequentialTrace {
  const path = join(dir, `${name}.json.gz`);
  if (!existsSync(path)) {
    throw new Error(
      `trace ${name} not found at ${path}; set BENCH_TRACES_DIR to the traces folder`,
    );
  }
  const parsed: unknown = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8"));
  if (typeof parsed !== "object" || parsed === null || !("txns" in parsed)) {
    throw new Error(`trace ${name}: not a sequential trace (no txns)`);
  }
  const o = parsed as { startContent?: unknown; endContent?: unknown; txns: unknown };
  if (!Array.isArray(o.txns) || typeof o.endContent !== "string") {
    throw new Error(`trace ${name}: txns must be an array and endContent a string`);
  }
  const txns: SequentialTrace["txns"] = [];
  for (const [i, t] of o.txns.entries()) {
    const patches: unknown = (t as { patches?: unknown }).patches;
    if (!Array.isArray(patches) || !patches.every(isPatch)) {
      throw new Error(`trace ${name}: txn ${i} has malformed patches`);
    }
    txns.push({ patches });
  }
  return {
    name,
    startContent: typeof o.startContent === "string" ? o.startContent : "",
    endContent: o.endContent,
    txns,
  };
}

/** Apply one txn's patches to a Y.Text (caller owns the transaction). */
export function applyTxnToYText(text: Y.Text, patches: readonly Patch[]): void {
  for (const [pos, del, ins] of patches) {
    if (del > 0) text.delete(pos, del);
    if (ins.length > 0) text.insert(pos, ins);
  }
}

/** Apply a txn's patches to a plain string (the model the Yjs replay must match). */
export function applyTxnToString(s: string, patches: readonly Patch[]): string {
  let out = s;
  for (const [pos, del, ins] of patches) out = out.slice(0, pos) + ins + out.slice(pos + del);
  return out;
}

/** A trace typed into a Y.Doc: the doc, its per-keystroke V1 updates and the expected text. */
export type TypedTrace = {
  doc: Y.Doc;
  updates: Uint8Array[];
  /** Text after the replayed prefix (equals `endContent` for a full replay). */
  text: string;
  keystrokes: number;
};

/**
 * Type the first `limit` keystrokes of `trace` into a fresh Y.Doc (text field
 * `field`), one transaction per keystroke, capturing each V1 update.
 * Verifies the result: against `endContent` for a full replay, else against a
 * string model (cheap enough for the quick prefix).
 */
export function typeTrace(trace: SequentialTrace, limit: number, field = TRACE_FIELD): TypedTrace {
  const n = Math.min(limit, trace.txns.length);
  const doc = new Y.Doc();
  doc.clientID = TRACE_CLIENT_ID;
  const text = doc.getText(field);
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  if (trace.startContent) doc.transact(() => text.insert(0, trace.startContent));
  for (let i = 0; i < n; i++) {
    const txn = trace.txns[i]!;
    doc.transact(() => applyTxnToYText(text, txn.patches));
  }
  const got = text.toString();
  let expected: string;
  if (n === trace.txns.length) {
    expected = trace.endContent;
  } else {
    expected = trace.startContent;
    for (let i = 0; i < n; i++) expected = applyTxnToString(expected, trace.txns[i]!.patches);
  }
  if (got !== expected) {
    throw new Error(`trace ${trace.name}: Yjs replay of ${n} keystrokes diverged from the model`);
  }
  return { doc, updates, text: got, keystrokes: n };
}

/** The characters the trace inserts, in order (the insert-only typing workload for latency runs). */
export function insertedChars(trace: SequentialTrace, max: number): string {
  let out = "";
  for (const txn of trace.txns) {
    for (const [, , ins] of txn.patches) {
      out += ins;
      if (out.length >= max) return out.slice(0, max);
    }
  }
  return out;
}
