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
import { fetchRoomKey } from "../lib/client-transports";
import { CostRecorder, type FunctionCost } from "../lib/cost-recorder";
import { drainScheduled, makeInprocConvex } from "../lib/inproc";
import { LIVE_MODEL, PUSH_ROUND_TRIP_MS } from "../lib/live-model";
import { toArrayBuffer } from "../lib/notes-workload";
import type { Cell } from "../lib/report-types";
import { seedMeeting } from "../lib/seed";
import { settleAll, sparseCycle } from "../lib/sparse-cycle";
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
  /**
   * Modelled seconds of the meeting (ticks × tick length): what calls/s divide by, so a
   * machine that falls behind its ticks does not flatter the rates.
   */
  modelledSeconds: number;
  /** Real seconds the workload took (≥ the modelled span when ticks overran). */
  realSeconds: number;
  ticks: number;
  costs: FunctionCost[];
  /** What one isolated event sets off on the quiet meeting (`lib/sparse-cycle.ts`), per function. */
  sparse: { note: FunctionCost[]; chunk: FunctionCost[] };
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
    /** One push of `keysPerPush` keystrokes typed at the end of the typist's text. */
    const pushKeys = async (ty: (typeof typists)[number]) => {
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
    };
    /** Chunk `n` from the speaker it rotates to (2 of 3 interim, 3 chunks an utterance). */
    const appendChunk = async (n: number, interim = n % 3 !== 0) => {
      const speaker = people[n % people.length]!;
      const startMs = n * 100;
      const r = await speaker.as.mutation(api.transcripts.append, {
        meetingId,
        interim,
        text: `chunk ${n} of what was said`,
        confidence: 0.9,
        startMs,
        endMs: startMs + 100,
        utteranceId: `u${Math.floor(n / 3)}`,
        idempotencyKey: `live-${n}`,
      });
      if (!r.ok) throw new Error(`transcript append: ${JSON.stringify(r)}`);
    };
    const subs = [];
    for (const p of people) {
      const roomKey = await fetchRoomKey(p.as, meetingId);
      subs.push({ p, roomKey, notesCursor: null as { ts: bigint } | null, nextSeq: 1 });
    }
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
        for (let push = 0; push < PUSHES_PER_TICK; push++) await pushKeys(ty);
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
        await appendChunk(chunkN);
        appended++;
      }
      await drainScheduled(t);
      // Reactivity: every participant's live queries whose data changed this tick re-run.
      for (const s of subs) {
        const pull = await s.p.as.query(api.notes.pull, {
          meetingId,
          roomKey: s.roomKey,
          after: s.notesCursor,
        });
        if (pull.ok) s.notesCursor = pull.cursor;
        await s.p.as.query(api.presence.list, { meetingId, roomKey: s.roomKey });
        if (appended > 0) {
          const st = await s.p.as.query(api.transcripts.stream, {
            meetingId,
            roomKey: s.roomKey,
            fromSequence: s.nextSeq,
          });
          s.nextSeq = st.nextSequence;
          await s.p.as.query(api.meetingState.get, { meetingId, roomKey: s.roomKey });
        }
      }
    }
    rec.deactivate();
    ctx.costs.deactivate();
    const realSeconds = (performance.now() - t0) / 1000;
    // The global load's shape: one isolated event at a time on the now quiet meeting.
    ctx.progress("live meeting: isolated events (a note push, a final chunk)");
    await settleAll(t);
    const sparse = {
      note: await sparseCycle(t, () => pushKeys(typists[0]!)),
      // A final chunk: it moves every view an interim does and more (talk time, search).
      chunk: await sparseCycle(t, () => appendChunk(chunkN + 3 - (chunkN % 3), false)),
    };
    // Rates per second of the modelled meeting, not of this machine's (possibly late) clock.
    const elapsed = (ticks * TICK_MS) / 1000;
    const costs = rec.costs();
    const callsPerSecond: Record<string, number> = {};
    for (const c of costs) callsPerSecond[c.path] = c.calls / elapsed;
    const data: LiveMeetingData = {
      modelledSeconds: elapsed,
      realSeconds,
      ticks,
      costs,
      sparse,
      callsPerSecond,
    };
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
          title: `One live meeting at design rates (${fmt(elapsed)} s modelled, ${LIVE_MODEL.participants} people)`,
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
            `(${overruns} of ${ticks} ticks ran more than a tick late; the run took ${fmt(realSeconds)} s of real time). ` +
            `Calls/s divide by the modelled time (${ticks} ticks × ${TICK_MS} ms = ${fmt(elapsed)} s), not the real ` +
            "elapsed time, so a machine that falls behind does not flatter the rates; a late tick still folds its " +
            "projector work into fewer, larger runs, which the run's late-tick count shows. Per tick: " +
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
