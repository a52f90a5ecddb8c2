/**
 * One live meeting at the design rates, in-process, for a bounded span of
 * real time: 2 typists pushing coalesced notes, 10 transcript chunks/s,
 * cursor presence, projectors draining between ticks, and all 5 participants'
 * live queries re-run whenever their data changed (what Convex's reactivity
 * does). Every call's cost is recorded; the capacity suite projects them.
 */

import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import { CostRecorder, type FunctionCost } from "../lib/cost-recorder";
import { drainScheduled, makeInprocConvex } from "../lib/inproc";
import { LIVE_MODEL, PUSH_ROUND_TRIP_MS } from "../lib/live-model";
import { toArrayBuffer } from "../lib/notes-workload";
import type { Cell } from "../lib/report-types";
import { seedMeeting } from "../lib/seed";
import type { Suite, SuiteContext, SuiteOutput } from "../lib/suite";
import { sleep } from "../lib/timing";
import { insertedChars, TRACE_FIELD } from "../lib/trace";
import { fmt } from "../report/format";

/** Why 250 ms: the pacing grain; each typist makes `PUSHES_PER_TICK` pushes per tick. */
const TICK_MS = 250;
const PUSHES_PER_TICK = Math.max(
  1,
  Math.round((LIVE_MODEL.notePushesPerTypistPerSec * TICK_MS) / 1000),
);

/** Results the capacity suite reads. */
export type LiveMeetingData = {
  /** Real seconds the workload took (≥ the planned span when ticks overran). */
  virtualSeconds: number;
  ticks: number;
  costs: FunctionCost[];
  /** Calls per second, by function path (what one meeting costs the deployment). */
  callsPerSecond: Record<string, number>;
};

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const seconds = ctx.sizes.liveSeconds;
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  const t = await makeInprocConvex(ctx.root);
  const rec = new CostRecorder();
  try {
    const { meetingId, people } = await seedMeeting(t, LIVE_MODEL.participants, "live");
    const typists = people.slice(0, LIVE_MODEL.typists).map((p) => {
      const doc = new Y.Doc();
      return { p, doc, text: doc.getText(TRACE_FIELD), seq: 0 };
    });
    for (const ty of typists) {
      const r = await ty.p.as.mutation(api.notes.registerClient, {
        meetingId,
        clientId: ty.doc.clientID,
      });
      if (!r.ok) throw new Error(`registerClient: ${JSON.stringify(r)}`);
    }
    const chars = insertedChars(
      ctx.trace,
      ticks * PUSHES_PER_TICK * LIVE_MODEL.keysPerPush * LIVE_MODEL.typists + 10,
    );
    let charAt = 0;
    const subs = people.map((p) => ({ p, notesCursor: null as { ts: bigint } | null, nextSeq: 1 }));
    const chunkPerTick = (LIVE_MODEL.transcriptChunksPerSec * TICK_MS) / 1000;
    const presenceEvery = Math.max(
      1,
      Math.round(1000 / LIVE_MODEL.presencePerTypistPerSec / (TICK_MS / 2)),
    );
    let chunkDebt = 0;
    let chunkN = 0;
    let presenceClock = 0;
    rec.activate();
    ctx.costs.activate();
    ctx.progress(`live meeting: ${seconds} s at design rates (${ticks} ticks, real time)`);
    // Real time, not a virtual clock: projectors debounce their kicks on real timers
    // (kickDelayMs), so only real pacing gives their real call rates.
    const t0 = performance.now();
    let overruns = 0;
    for (let tick = 0; tick < ticks; tick++) {
      const due = t0 + tick * TICK_MS;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      else if (wait < -TICK_MS) overruns++;
      for (const ty of typists) {
        for (let push = 0; push < PUSHES_PER_TICK; push++) {
          const parts: Uint8Array[] = [];
          const h = (u: Uint8Array) => parts.push(u);
          ty.doc.on("update", h);
          for (let k = 0; k < LIVE_MODEL.keysPerPush; k++) {
            ty.doc.transact(() => ty.text.insert(ty.text.length, chars[charAt++ % chars.length]!));
          }
          ty.doc.off("update", h);
          const update = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
          const r = await ty.p.as.mutation(api.notes.push, {
            meetingId,
            clientId: ty.doc.clientID,
            clientSeq: ++ty.seq,
            update: toArrayBuffer(update),
          });
          if (!r.ok) throw new Error(`push: ${JSON.stringify(r)}`);
        }
        // Cursor presence, throttled like the awareness bridge (two halves of a tick ≈ 200 ms).
        for (let half = 0; half < 2; half++) {
          if (++presenceClock % presenceEvery !== 0) continue;
          const pr = await ty.p.as.mutation(api.presence.set, {
            meetingId,
            clientId: ty.doc.clientID,
            clock: presenceClock,
            state: JSON.stringify({
              user: ty.p.name,
              cursor: { anchor: ty.text.length, head: ty.text.length },
            }),
          });
          if (!pr.ok) throw new Error(`presence: ${JSON.stringify(pr)}`);
        }
      }
      chunkDebt += chunkPerTick;
      let appended = 0;
      while (chunkDebt >= 1) {
        chunkDebt -= 1;
        chunkN++;
        const speaker = people[chunkN % people.length]!;
        const startMs = chunkN * 100;
        const r = await speaker.as.mutation(api.transcripts.append, {
          meetingId,
          interim: chunkN % 3 !== 0,
          text: `chunk ${chunkN} of what was said`,
          confidence: 0.9,
          startMs,
          endMs: startMs + 100,
          utteranceId: `u${Math.floor(chunkN / 3)}`,
          idempotencyKey: `live-${chunkN}`,
        });
        if (!r.ok) throw new Error(`transcript append: ${JSON.stringify(r)}`);
        appended++;
      }
      await drainScheduled(t);
      // Reactivity: every participant's live queries whose data changed this tick re-run.
      for (const s of subs) {
        const pull = await s.p.as.query(api.notes.pull, { meetingId, after: s.notesCursor });
        if (pull.ok) s.notesCursor = pull.cursor;
        await s.p.as.query(api.presence.list, { meetingId });
        if (appended > 0) {
          const st = await s.p.as.query(api.transcripts.stream, {
            meetingId,
            fromSequence: s.nextSeq,
          });
          s.nextSeq = st.nextSequence;
          await s.p.as.query(api.meetingState.get, { meetingId });
        }
      }
    }
    rec.deactivate();
    ctx.costs.deactivate();
    const elapsed = Math.max(seconds, (performance.now() - t0) / 1000);
    const costs = rec.costs();
    const callsPerSecond: Record<string, number> = {};
    for (const c of costs) callsPerSecond[c.path] = c.calls / elapsed;
    const data: LiveMeetingData = { virtualSeconds: elapsed, ticks, costs, callsPerSecond };
    ctx.shared.live = data;
    const rows: Cell[][] = costs.map((c) => [
      c.path,
      c.kind,
      c.calls / elapsed,
      c.documentsRead.mean,
      c.documentsWritten.mean,
      c.bytesRead.mean,
      c.bytesWritten.mean,
      c.wallMs.median,
      c.wallMs.p95,
      c.cpuMs.mean,
    ]);
    return {
      status: "measured",
      notMeasured: [],
      headlines: [],
      charts: [],
      tables: [
        {
          title: `One live meeting at design rates (${fmt(elapsed)} s, ${LIVE_MODEL.participants} people)`,
          columns: [
            "function",
            "kind",
            "calls/s",
            "docs read",
            "docs written",
            "bytes read",
            "bytes written",
            "median ms",
            "p95 ms",
            "CPU ms (mean)",
          ],
          rows,
          method:
            `In-process (convex-test, transaction limits on), paced in real time in ${TICK_MS} ms ticks ` +
            `(${overruns} of ${ticks} ticks ran more than a tick late; calls/s divide by the real elapsed time). Per tick: ` +
            `${LIVE_MODEL.typists} typists each make ${PUSHES_PER_TICK} pushes of ${LIVE_MODEL.keysPerPush} keystroke(s) (8 keys/s, ` +
            `one push per ${PUSH_ROUND_TRIP_MS} ms round trip, N17), send ` +
            `cursor presence at ≤ ${LIVE_MODEL.presencePerTypistPerSec}/s, and ${LIVE_MODEL.transcriptChunksPerSec} transcript ` +
            "chunks/s are appended (2 of 3 interim); scheduled work (projectors, sealing) drains; then each of the 5 " +
            "participants re-runs the live queries whose data changed (notes.pull after its cursor, presence.list, and on " +
            "new chunks transcripts.stream + meetingState.get). Costs come from convex-test's per-transaction metrics " +
            "(documents/bytes read and written are means per call); ms are wall time per call in-process (no network, no " +
            "database I/O), CPU ms from process.cpuUsage.",
        },
      ],
      data: data as unknown as Record<string, unknown>,
    };
  } finally {
    rec.deactivate();
    ctx.costs.deactivate();
  }
}

/** The live-meeting workload suite. */
export const liveMeetingSuite: Suite = {
  id: "live",
  title: "Per-call cost: one live meeting at the design rates (in-process)",
  run,
};
