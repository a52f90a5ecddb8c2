/**
 * The concurrent replay with three agents whose branches interleave on the
 * server: agent 2's txn needs agent 1's edit but not agent 0's, which the
 * server stored first. The gate must hand agent 2 exactly agent 1's edit
 * (holding agent 0's back until a txn needs it), not wait behind agent 0's.
 * The expected text comes from plain Yjs docs (client ids rising with the
 * agent index, as the replay assigns them) fed the same causal history.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { TRACE_TEXT } from "../../projections/meetingNotes/document";
import { replayTrace } from "../../scripts/trace/replay";
import type { ConcurrentTrace } from "../../scripts/trace/traceFile";

type Txn = ConcurrentTrace["txns"][number];

/**
 * What Yjs makes of the txns when every agent holds exactly each txn's
 * parents: one doc per agent (its own edits stay its own), fed the parents'
 * states before each of its txns.
 */
function oracle(numAgents: number, txns: Txn[]): string {
  const docs = Array.from({ length: numAgents }, (_, i) => {
    const d = new Y.Doc();
    d.clientID = 1 + i;
    return d;
  });
  const after: Uint8Array[] = [];
  for (const txn of txns) {
    const doc = docs[txn.agent]!;
    for (const p of txn.parents) Y.applyUpdate(doc, after[p]!);
    const text = doc.getText(TRACE_TEXT);
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del);
        if (ins.length > 0) text.insert(pos, ins);
      }
    });
    after.push(Y.encodeStateAsUpdate(doc));
  }
  const all = new Y.Doc();
  for (const u of after) Y.applyUpdate(all, u);
  return all.getText(TRACE_TEXT).toString();
}

describe("concurrent replay gate", () => {
  test("three agents: an allowed edit is not held behind another agent's earlier one", {
    timeout: 300_000,
  }, async () => {
    const txns: Txn[] = [
      { agent: 0, parents: [], patches: [[0, 0, "A"]] },
      { agent: 1, parents: [], patches: [[0, 0, "B"]] },
      // Agent 2 holds B only (A is on the server already, before B).
      { agent: 2, parents: [1], patches: [[1, 0, "C"]] },
      // Then it merges A in and appends.
      { agent: 2, parents: [0, 2], patches: [[3, 0, "D"]] },
      { agent: 1, parents: [3], patches: [[0, 0, "E"]] },
      { agent: 0, parents: [4], patches: [[5, 0, "F"]] },
    ];
    const endContent = oracle(3, txns);
    expect(endContent).toHaveLength(6);
    const trace: ConcurrentTrace = { kind: "concurrent", numAgents: 3, endContent, txns };
    const file = join(mkdtempSync(join(tmpdir(), "trace-gate-")), "three.json");
    writeFileSync(file, JSON.stringify(trace));
    const { result } = await replayTrace({ file, checkpoints: 1 });
    expect(result).toMatchObject({
      clients: 3,
      endContentMatches: true,
      clientsConverged: true,
      projectionMatches: true,
    });
  });
});
