/**
 * Editing traces (josephg/editing-traces format, see
 * `../shared/data/traces/README.md`): loading, and the pure reference model
 * (apply patches to a string) used to check every replay.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** One patch: at `pos` delete `del` characters, then insert `ins`. */
export type Patch = [pos: number, del: number, ins: string];

/** A sequential trace: one author. */
export type SequentialTrace = {
  kind: "sequential";
  startContent: string;
  endContent: string;
  txns: Array<{ patches: Patch[] }>;
};

/** A concurrent trace: several agents; each txn applies to the state after its parents. */
export type ConcurrentTrace = {
  kind: "concurrent";
  endContent: string;
  numAgents: number;
  txns: Array<{ parents: number[]; agent: number; patches: Patch[] }>;
};

/** Either kind of trace. */
export type Trace = SequentialTrace | ConcurrentTrace;

/** Load a `.json.gz` (or plain `.json`) trace file. */
export function loadTrace(path: string): Trace {
  const raw = readFileSync(path);
  const text = (path.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  const data = JSON.parse(text) as Record<string, unknown>;
  if (data.kind === "concurrent") {
    return {
      kind: "concurrent",
      endContent: String(data.endContent),
      numAgents: Number(data.numAgents),
      txns: data.txns as ConcurrentTrace["txns"],
    };
  }
  return {
    kind: "sequential",
    startContent: String(data.startContent ?? ""),
    endContent: String(data.endContent),
    txns: data.txns as SequentialTrace["txns"],
  };
}

/** Apply one txn's patches to a string (positions are code points; ASCII traces). */
export function applyPatches(text: string, patches: readonly Patch[]): string {
  let out = text;
  for (const [pos, del, ins] of patches) out = out.slice(0, pos) + ins + out.slice(pos + del);
  return out;
}
