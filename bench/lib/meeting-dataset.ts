/**
 * A long meeting built through the real functions, in-process, at the design
 * rates (virtual clock): one typist pushing the trace 2 keystrokes per
 * 250 ms, and 10 transcript chunks/s from the other participants. Used by
 * the projection throughput and timeline suites.
 */
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { CostRecorder } from "./cost-recorder";
import { drainScheduled, type InprocConvex, makeInprocConvex, SETTLE_MS } from "./inproc";
import { LIVE_MODEL } from "./live-model";
import { toArrayBuffer } from "./notes-workload";
import { type BenchPerson, seedMeeting } from "./seed";
import type { TypedTrace } from "./trace";
import { VirtualClock } from "./virtual-clock";

/** Why 250 ms: one coalesced push per tick, like the provider. */
const TICK_MS = 250;

/** The built meeting. */
export type MeetingDataset = {
  t: InprocConvex;
  meetingId: Id<"meetings">;
  people: BenchPerson[];
  noteEvents: number;
  transcriptEvents: number;
  firstAt: number;
  lastAt: number;
  clock: VirtualClock;
};

/** Build a meeting of about `events` events (notes pushes + transcript chunks). */
export async function buildMeetingDataset(
  root: string,
  typed: TypedTrace,
  events: number,
  recorder: CostRecorder,
  progress: (m: string) => void,
): Promise<MeetingDataset> {
  const t = await makeInprocConvex(root);
  const clock = new VirtualClock().install();
  const { meetingId, people } = await seedMeeting(t, LIVE_MODEL.participants, "ds");
  const writer = people[0]!.as;
  const clientId = typed.doc.clientID;
  const reg = await writer.mutation(api.notes.registerClient, { meetingId, clientId });
  if (!reg.ok) throw new Error(`registerClient: ${JSON.stringify(reg)}`);
  const perTick = (LIVE_MODEL.transcriptChunksPerSec * TICK_MS) / 1000;
  const firstAt = Date.now();
  let notes = 0;
  let chunks = 0;
  let seq = 0;
  let debt = 0;
  let k = 0;
  recorder.activate();
  try {
    while (notes + chunks < events) {
      clock.advance(TICK_MS);
      if (k < typed.updates.length) {
        const group = typed.updates.slice(k, k + LIVE_MODEL.keysPerPush);
        k += group.length;
        const r = await writer.mutation(api.notes.push, {
          meetingId,
          clientId,
          clientSeq: ++seq,
          update: toArrayBuffer(group.length === 1 ? group[0]! : Y.mergeUpdates(group)),
        });
        if (!r.ok) throw new Error(`push: ${JSON.stringify(r)}`);
        notes++;
      }
      debt += perTick;
      while (debt >= 1 && notes + chunks < events) {
        debt -= 1;
        chunks++;
        const speaker = people[1 + (chunks % (people.length - 1))]!;
        const startMs = chunks * 100;
        const r = await speaker.as.mutation(api.transcripts.append, {
          meetingId,
          interim: false,
          text: `sentence ${chunks} about the roadmap and the budget`,
          confidence: 0.9,
          startMs,
          endMs: startMs + 100,
          idempotencyKey: `ds-${chunks}`,
        });
        if (!r.ok) throw new Error(`append: ${JSON.stringify(r)}`);
      }
      if ((notes + chunks) % 1000 < 4) progress(`dataset: ${notes + chunks}/${events} events`);
    }
    await drainScheduled(t, SETTLE_MS);
  } finally {
    recorder.deactivate();
  }
  return {
    t,
    meetingId,
    people,
    noteEvents: notes,
    transcriptEvents: chunks,
    firstAt,
    lastAt: Date.now(),
    clock,
  };
}
