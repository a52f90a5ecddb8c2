/**
 * The live load of issue 20 goal 2 on one meeting through the engine: a few
 * writers make `writesPerSec` writes in all (alternately a note update through
 * `notes.push` and a final chunk through `transcripts.append`), while every
 * other person holds what the meeting room subscribes to — the notes pull
 * (bootstrap, then `notes.pull` after its aligned cursor, moved one window
 * at a time as the provider does), the live transcript
 * (`transcripts.stream` after its last sequence, re-subscribing per answer),
 * the room's views (`meetings.get`, `participants.list`,
 * `meetingState.get`) and the transcript pane (`transcriptSegments.list`
 * following `nextIndex`), all the room's live views with the meeting's room key
 * (fetched once through `rooms.access`, which each subscriber also holds, as
 * the web app does). Timed: each write's acknowledgement (the
 * mutation's promise, which resolves once its commit is visible) and each
 * write's arrival at each subscriber.
 */
import { performance } from "node:perf_hooks";
import type { ConvexClient } from "convex/browser";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { alignedCursor, followAnswer } from "../../crdt/pullPolicy";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import { fetchRoomKey } from "./client-transports";
import { appendFinalChunk, engineClient } from "./engine-clients";
import { follow } from "./follow";
import { sleep } from "./timing";

/** What one load run measured. */
export type GrowthRun = {
  seconds: number;
  subscribers: number;
  writers: number;
  sent: { notes: number; chunks: number };
  /** Acknowledgement times (send → promise resolved), ms, by kind. */
  ack: { notes: number[]; chunks: number[] };
  /** Arrival delay per (subscriber, write), ms, by kind. */
  delay: { notes: number[]; chunks: number[] };
  expected: number;
  missing: number;
  refused: Record<string, number>;
  failed: number;
  /** Subscription errors during the run (counted, not thrown). */
  subscriptionErrors: number;
};

/** Subscription errors (e.g. a query re-run before a reconnected client re-authenticated); counted, never thrown. */
let subscriptionErrors = 0;
const onSubscriptionError = () => {
  subscriptionErrors++;
};

/** How long subscribers may lag after the last write before a delivery counts as missing. */
const DRAIN_MS = 10_000;
type MeetingId = Id<"meetings">;

/**
 * Follow `notes.pull` from `bootstrap`'s cursor, as the provider does (the subscription on
 * the aligned cursor, `crdt/pullPolicy.ts`); calls `onUpdate(clientId, seq)` once per update.
 */
async function followNotes(
  client: ConvexClient,
  meetingId: MeetingId,
  roomKey: string,
  onUpdate: (clientId: number, seq: number) => void,
): Promise<() => void> {
  const boot = await client.query(api.notes.bootstrap, { meetingId, roomKey });
  if (!boot.ok) throw new Error(`bootstrap refused: ${boot.code}`);
  let cursor = boot.cursor;
  let subscribed = alignedCursor(cursor);
  return follow(
    client,
    api.notes.pull,
    () => ({ meetingId, roomKey, after: subscribed }),
    (r) => {
      if (!r.ok) return false;
      const next = followAnswer(r, cursor, subscribed);
      for (const u of next.fresh) onUpdate(u.clientId, u.clientSeq);
      cursor = next.cursor;
      if (next.moveTo === undefined) return false;
      subscribed = next.moveTo;
      return true;
    },
    onSubscriptionError,
  );
}

/** Follow `transcripts.stream` from `from` (re-subscribing after each answer that moves it); calls `onChunk(text)`. */
function followTranscript(
  client: ConvexClient,
  meetingId: MeetingId,
  roomKey: string,
  from: number,
  onChunk: (text: string) => void,
): () => void {
  return follow(
    client,
    api.transcripts.stream,
    () => ({ meetingId, roomKey, fromSequence: from }),
    (r) => {
      for (const c of r.chunks) onChunk(c.text);
      if (r.nextSequence <= from) return false;
      from = r.nextSequence;
      return true;
    },
    onSubscriptionError,
  );
}

/** The room's other subscriptions (load only): views, and the transcript pane following its last page. */
function holdRoomViews(client: ConvexClient, meetingId: MeetingId, roomKey: string): () => void {
  const unsubs = [
    client.onUpdate(api.rooms.access, { meetingId }, () => {}, onSubscriptionError),
    client.onUpdate(api.meetings.get, { meetingId }, () => {}, onSubscriptionError),
    client.onUpdate(api.participants.list, { meetingId }, () => {}, onSubscriptionError),
    client.onUpdate(api.meetingState.get, { meetingId, roomKey }, () => {}, onSubscriptionError),
  ];
  let from = 0;
  const stopPane = follow(
    client,
    api.transcriptSegments.list,
    () => ({ meetingId, roomKey, fromIndex: from }),
    (r) => {
      if (r.nextIndex === null || r.nextIndex <= from) return false;
      from = r.nextIndex;
      return true;
    },
    onSubscriptionError,
  );
  return () => {
    stopPane();
    for (const u of unsubs) u();
  };
}

/** One writer's notes: its own paragraph in the editor's fragment, a few characters per update. */
function noteWriter(clientId: number) {
  const doc = new Y.Doc({ gc: false });
  doc.clientID = clientId;
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  let text: Y.XmlText | null = null;
  return (marker: string): ArrayBuffer => {
    const sv = Y.encodeStateVector(doc);
    doc.transact(() => {
      if (!text) {
        const p = new Y.XmlElement("paragraph");
        text = new Y.XmlText();
        p.insert(0, [text]);
        fragment.insert(0, [p]);
      }
      text.insert(text.length, `${marker} `);
    });
    const u = Y.encodeStateAsUpdate(doc, sv);
    return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
  };
}

/**
 * Run `seconds` of load on one meeting: `people[0..writers)` write, the rest
 * subscribe. `fromSequence` is the transcript sequence the live stream starts
 * at (prior chunks + 1); `clientIdBase` makes the writers' Yjs ids unique.
 */
export async function growthLoad(opts: {
  url: string;
  meetingId: string;
  people: { token: string }[];
  writers: number;
  writesPerSec: number;
  seconds: number;
  fromSequence: number;
  /** Where live speech starts on the meeting's clock (after the prior chunks). */
  startMsBase: number;
  clientIdBase: number;
}): Promise<GrowthRun> {
  const meetingId = opts.meetingId as MeetingId;
  const sendAt = new Map<string, number>();
  const run: GrowthRun = {
    seconds: opts.seconds,
    subscribers: opts.people.length - opts.writers,
    writers: opts.writers,
    sent: { notes: 0, chunks: 0 },
    ack: { notes: [], chunks: [] },
    delay: { notes: [], chunks: [] },
    expected: 0,
    missing: 0,
    refused: {},
    failed: 0,
    subscriptionErrors: 0,
  };
  const errorsBefore = subscriptionErrors;
  let arrived = 0;
  const clients: ConvexClient[] = [];
  const stops: (() => void)[] = [];
  const arrive = (kind: "notes" | "chunks", key: string) => {
    const t = sendAt.get(key);
    if (t === undefined) return;
    run.delay[kind].push(performance.now() - t);
    arrived++;
  };
  try {
    const cs = opts.people.map((p) => engineClient(opts.url, p.token));
    for (const c of cs) clients.push(c.client);
    await Promise.all(cs.map((c) => c.authed));
    const writers = cs.slice(0, opts.writers);
    const subs = cs.slice(opts.writers);
    // Subscribers join a few at a time (as people do), so setup does not time out.
    for (let i = 0; i < subs.length; i += 10) {
      await Promise.all(
        subs.slice(i, i + 10).map(async ({ client }) => {
          const roomKey = await fetchRoomKey(client, meetingId);
          stops.push(
            await followNotes(client, meetingId, roomKey, (id, seq) =>
              arrive("notes", `${id}:${seq}`),
            ),
          );
          stops.push(
            followTranscript(client, meetingId, roomKey, opts.fromSequence, (t) =>
              arrive("chunks", t),
            ),
          );
          stops.push(holdRoomViews(client, meetingId, roomKey));
        }),
      );
    }
    const ids = writers.map((_, i) => opts.clientIdBase + i);
    await Promise.all(
      writers.map(async ({ client }, i) => {
        const r = await client.mutation(api.notes.registerClient, { meetingId, clientId: ids[i]! });
        if (!r.ok) throw new Error(`registerClient refused: ${r.code}`);
      }),
    );
    await sleep(500); // let the subscriptions settle
    const t0 = performance.now();
    const end = t0 + opts.seconds * 1000;
    const count = (r: { ok: boolean; code?: string }) => {
      if (r.ok) {
        run.expected += run.subscribers;
        return true;
      }
      const code = r.code ?? "?";
      run.refused[code] = (run.refused[code] ?? 0) + 1;
      return false;
    };
    const write = async (
      client: ConvexClient,
      wi: number,
      k: number,
      note: () => ArrayBuffer,
      seq: number,
    ) => {
      const t = performance.now();
      try {
        if ((k + wi) % 2 === 0) {
          run.sent.notes++;
          sendAt.set(`${ids[wi]}:${seq}`, t);
          const r = await client.mutation(api.notes.push, {
            meetingId,
            clientId: ids[wi]!,
            clientSeq: seq,
            update: note(),
          });
          if (count(r)) run.ack.notes.push(performance.now() - t);
        } else {
          run.sent.chunks++;
          const key = `live w${wi} c${k} ${opts.clientIdBase}`;
          sendAt.set(key, t);
          const startMs = opts.startMsBase + Math.round(t - t0);
          const r = await appendFinalChunk(client, meetingId, key, startMs);
          if (count(r)) run.ack.chunks.push(performance.now() - t);
        }
      } catch {
        run.failed++;
      }
    };
    const interval = (1000 * opts.writers) / opts.writesPerSec;
    await Promise.all(
      writers.map(async ({ client }, wi) => {
        const nextNote = noteWriter(ids[wi]!);
        const inflight: Promise<void>[] = [];
        let seq = 0;
        let k = 0;
        for (let next = t0 + wi * (interval / opts.writers); next < end; next += interval) {
          const wait = next - performance.now();
          if (wait > 0.5) await sleep(wait);
          const isNote = (k + wi) % 2 === 0;
          inflight.push(write(client, wi, k++, () => nextNote(`n${seq}`), isNote ? ++seq : seq));
        }
        await Promise.all(inflight);
      }),
    );
    const drainEnd = performance.now() + DRAIN_MS;
    while (arrived < run.expected && performance.now() < drainEnd) await sleep(20);
    run.missing = Math.max(0, run.expected - arrived);
    run.subscriptionErrors = subscriptionErrors - errorsBefore;
    return run;
  } finally {
    for (const s of stops) s();
    await Promise.all(clients.map((c) => c.close()));
  }
}
