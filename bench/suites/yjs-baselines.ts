/**
 * Raw Yjs baselines (the physical limits our numbers are divided by), all on
 * the same automerge-paper prefix the other suites use:
 * - load of its own encoded V1 state into a fresh doc (cold-open limit);
 * - replay of the raw per-keystroke update log (what naive event sourcing does;
 *   also the compaction reference in updates/s);
 * - V1 update bytes per keystroke and encoded state sizes (storage reference);
 * - state-vector diff for a half-synced client (reconnect limit).
 */

import * as Y from "yjs";
import { perSecond, summarize } from "../lib/stats";
import type { Suite, SuiteContext, SuiteOutput } from "../lib/suite";
import { repeat, repeatWithSetup } from "../lib/timing";
import { TRACE_FIELD } from "../lib/trace";

/** Load a V1 state into a fresh doc and read the text (a "ready client doc"). */
export function loadState(state: Uint8Array, field = TRACE_FIELD): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const s = doc.getText(field).toString();
  doc.destroy();
  return s;
}

/** Apply every update, in order, to a fresh doc, one applyUpdate per row. */
export function replayLog(updates: readonly Uint8Array[], field = TRACE_FIELD): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  const s = doc.getText(field).toString();
  doc.destroy();
  return s;
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const { typed, sizes } = ctx;
  const n = typed.keystrokes;
  const stateV1 = Y.encodeStateAsUpdate(typed.doc);
  const stateV2 = Y.encodeStateAsUpdateV2(typed.doc);
  const updateSizes = typed.updates.map((u) => u.byteLength);
  const totalUpdateBytes = updateSizes.reduce((a, b) => a + b, 0);
  const sizeSummary = summarize(updateSizes);

  ctx.progress(`yjs: load V1 state (${stateV1.byteLength} B) × ${sizes.fastRuns}`);
  const loadV1 = summarize(
    await repeat(sizes.fastRuns, 2, () => {
      if (loadState(stateV1) !== typed.text) throw new Error("V1 load diverged");
    }),
  );
  const loadV2 = summarize(
    await repeat(sizes.fastRuns, 1, () => {
      const doc = new Y.Doc();
      Y.applyUpdateV2(doc, stateV2);
      if (doc.getText(TRACE_FIELD).toString() !== typed.text) throw new Error("V2 load diverged");
      doc.destroy();
    }),
  );

  ctx.progress(`yjs: replay ${n} keystroke updates × ${sizes.slowRuns}`);
  const replay = summarize(
    await repeat(sizes.slowRuns, 1, () => {
      if (replayLog(typed.updates) !== typed.text) throw new Error("log replay diverged");
    }),
  );
  const replayRate = perSecond(typed.updates.length, replay.median);

  ctx.progress("yjs: state-vector diff for a half-synced client");
  const half = new Y.Doc();
  const halfCount = Math.floor(typed.updates.length / 2);
  for (let i = 0; i < halfCount; i++) Y.applyUpdate(half, typed.updates[i]!);
  const halfState = Y.encodeStateAsUpdate(half);
  half.destroy();
  let diffBytes = 0;
  const reconnectOnly = summarize(
    await repeatWithSetup(
      sizes.fastRuns,
      1,
      () => {
        const client = new Y.Doc();
        Y.applyUpdate(client, halfState);
        return client;
      },
      (client) => {
        const sv = Y.encodeStateVector(client);
        const diff = Y.encodeStateAsUpdate(typed.doc, sv);
        diffBytes = diff.byteLength;
        Y.applyUpdate(client, diff);
        if (client.getText(TRACE_FIELD).toString() !== typed.text) throw new Error("diff diverged");
        client.destroy();
      },
    ),
  );

  ctx.baselines.yjs = {
    keystrokes: n,
    stateV1Bytes: stateV1.byteLength,
    stateV2Bytes: stateV2.byteLength,
    updateBytesPerKeystroke: totalUpdateBytes / n,
    loadV1Ms: loadV1,
    replayMs: replay,
    replayUpdatesPerSec: replayRate,
    reconnectDiffBytes: diffBytes,
    reconnectMs: reconnectOnly,
  };

  return {
    status: "measured",
    notMeasured: [],
    headlines: [],
    charts: [
      {
        kind: "bar",
        id: "yjs-throughput",
        title: "Raw Yjs: updates applied per second (log replay)",
        unit: "updates/s",
        bars: [{ label: "Y.applyUpdate per keystroke row", value: replayRate }],
      },
    ],
    tables: [
      {
        title: `Raw Yjs on automerge-paper (${n.toLocaleString("en-US")} keystrokes, ${typed.text.length.toLocaleString("en-US")} chars)`,
        columns: ["measure", "median", "p95", "p99", "unit"],
        rows: [
          ["load own V1 state → ready doc", loadV1.median, loadV1.p95, loadV1.p99, "ms"],
          ["load own V2 state → ready doc", loadV2.median, loadV2.p95, loadV2.p99, "ms"],
          ["replay raw keystroke log", replay.median, replay.p95, replay.p99, "ms"],
          ["replay throughput", replayRate, null, null, "updates/s"],
          ["reconnect: SV + diff + apply (half-synced)", reconnectOnly.median, null, null, "ms"],
          ["reconnect diff size", diffBytes, null, null, "B"],
          [
            "V1 update per keystroke",
            sizeSummary.mean,
            sizeSummary.p95,
            sizeSummary.p99,
            "B (mean)",
          ],
          ["encoded state V1", stateV1.byteLength, null, null, "B"],
          ["encoded state V2", stateV2.byteLength, null, null, "B"],
        ],
        method:
          "The trace prefix is typed into one Y.Doc, one transaction per keystroke, capturing each V1 update " +
          "(verified against the trace's text). Load: a fresh Y.Doc applies the encoded state and reads the text " +
          `(${sizes.fastRuns} timed runs after warm-up). Replay: a fresh doc applies every keystroke update in order ` +
          `(${sizes.slowRuns} runs). Reconnect: a client holding the first half of the updates sends its state vector; ` +
          "the diff is encoded from the full doc and applied (timed: state vector, diff, apply). " +
          "Update sizes: mean/p95/p99 of the per-keystroke V1 updates.",
      },
    ],
    data: {
      keystrokes: n,
      chars: typed.text.length,
      stateV1Bytes: stateV1.byteLength,
      stateV2Bytes: stateV2.byteLength,
      updateBytes: sizeSummary,
      updateBytesTotal: totalUpdateBytes,
      loadV1Ms: loadV1,
      loadV2Ms: loadV2,
      replayMs: replay,
      replayUpdatesPerSec: replayRate,
      reconnectDiffBytes: diffBytes,
      reconnectMs: reconnectOnly,
    },
  };
}

/** The raw Yjs baseline suite. */
export const yjsBaselinesSuite: Suite = {
  id: "yjs",
  title: "Raw Yjs baselines",
  baseline: true,
  run,
};
