/**
 * Transcript load through the engine: writers append chunks with
 * `transcripts.append` over their ConvexClient while subscribers hold a live
 * `transcripts.stream` (re-subscribing after their last sequence, as a live
 * client does); each chunk's arrival at each subscriber is timed.
 */
import { performance } from "node:perf_hooks";
import type { ConvexClient } from "convex/browser";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { fetchRoomKey } from "./client-transports";
import { appendFinalChunk, engineClient } from "./engine-clients";
import { follow } from "./follow";
import { sleep } from "./timing";

/** One meeting's people as the engine server seeded them. */
export type SeededMeeting = { meetingId: string; people: { token: string }[] };

/** What a load run measured. */
export type TranscriptRun = {
  meetings: number;
  seconds: number;
  sent: number;
  acked: number;
  refused: Record<string, number>;
  failed: number;
  /** Arrival delay per (subscriber, chunk), ms. */
  delays: number[];
  /** Chunks a subscriber never saw within the drain time. */
  missing: number;
};

/** How long subscribers may lag after the last chunk before it counts as missing. */
const DRAIN_MS = 10_000;

function subscribe(
  client: ConvexClient,
  meetingId: string,
  roomKey: string,
  onChunk: (text: string) => void,
): () => void {
  let from = 1;
  return follow(
    client,
    api.transcripts.stream,
    () => ({ meetingId: meetingId as Id<"meetings">, roomKey, fromSequence: from }),
    (r) => {
      for (const c of r.chunks) onChunk(c.text);
      if (r.chunks.length === 0 && r.nextSequence <= from) return false;
      from = r.nextSequence;
      return true;
    },
  );
}

/**
 * Run `seconds` of load on `meetings`: in each, the first `writers` people
 * append (open loop at `chunksPerSec` per meeting, or closed loop as fast as
 * answers come when `chunksPerSec` is null) and the other people subscribe.
 */
export async function transcriptLoad(opts: {
  url: string;
  meetings: SeededMeeting[];
  writers: number;
  chunksPerSec: number | null;
  seconds: number;
}): Promise<TranscriptRun> {
  const sendAt = new Map<string, number>();
  const delays: number[] = [];
  const refused: Record<string, number> = {};
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let expected = 0;
  let arrived = 0;
  const clients: ConvexClient[] = [];
  const stops: (() => void)[] = [];
  try {
    const setups = opts.meetings.map((m) => {
      const cs = m.people.map((p) => engineClient(opts.url, p.token));
      for (const c of cs) clients.push(c.client);
      return { m, cs };
    });
    await Promise.all(setups.flatMap((s) => s.cs.map((c) => c.authed)));
    for (const { m, cs } of setups) {
      for (const sub of cs.slice(opts.writers)) {
        const roomKey = await fetchRoomKey(sub.client, m.meetingId as Id<"meetings">);
        stops.push(
          subscribe(sub.client, m.meetingId, roomKey, (text) => {
            const t = sendAt.get(text);
            if (t !== undefined) {
              delays.push(performance.now() - t);
              arrived++;
            }
          }),
        );
      }
    }
    await sleep(200); // let the subscriptions establish
    const t0 = performance.now();
    const end = t0 + opts.seconds * 1000;
    const append = async (client: ConvexClient, meetingId: string, key: string) => {
      const startMs = Math.round(performance.now() - t0);
      sendAt.set(key, performance.now());
      sent++;
      try {
        const r = await appendFinalChunk(client, meetingId as Id<"meetings">, key, startMs);
        if (r.ok) {
          acked++;
          // Every subscriber of that meeting should see it.
          expected += Math.max(
            0,
            setups.find((s) => s.m.meetingId === meetingId)!.cs.length - opts.writers,
          );
        } else refused[r.code] = (refused[r.code] ?? 0) + 1;
      } catch {
        failed++;
      }
    };
    const loops = setups.flatMap(({ m, cs }, mi) =>
      cs.slice(0, opts.writers).map(async (w, wi) => {
        let i = 0;
        if (opts.chunksPerSec === null) {
          while (performance.now() < end)
            await append(w.client, m.meetingId, `m${mi}w${wi}c${i++} words`);
          return;
        }
        const interval = (1000 * opts.writers) / opts.chunksPerSec;
        const inflight: Promise<void>[] = [];
        for (let next = t0 + wi * (interval / opts.writers); next < end; next += interval) {
          const wait = next - performance.now();
          if (wait > 0.5) await sleep(wait);
          inflight.push(append(w.client, m.meetingId, `m${mi}w${wi}c${i++} words`));
        }
        await Promise.all(inflight);
      }),
    );
    await Promise.all(loops);
    const drainEnd = performance.now() + DRAIN_MS;
    while (arrived < expected && performance.now() < drainEnd) await sleep(20);
    return {
      meetings: opts.meetings.length,
      seconds: opts.seconds,
      sent,
      acked,
      refused,
      failed,
      delays,
      missing: Math.max(0, expected - arrived),
    };
  } finally {
    for (const s of stops) s();
    await Promise.all(clients.map((c) => c.close()));
  }
}
