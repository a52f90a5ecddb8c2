/**
 * Prior history for a seeded meeting (issue 20 goal 2): `notes` note updates
 * and `chunks` final transcript chunks, written by the host through the real
 * public functions (`notes.push` one update per call, `transcripts.ingest` in
 * batches of 50) with the virtual wall clock moved at the modelled rates (so
 * rate limits hold), then the projectors are let catch up. The notes are
 * TipTap-shaped: paragraphs of text in the editor's fragment, a few
 * characters per update, a new paragraph every 20 updates.
 */
import * as Y from "yjs";
import type { startEngine } from "../../engine/engine";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import type { VirtualClock } from "../lib/virtual-clock";

type Engine = Awaited<ReturnType<typeof startEngine>>;
type Identity = Parameters<Engine["run"]>[2];

/** Why 50: `transcripts.ingest` takes at most 50 chunks per call (`MAX_CHUNKS_PER_BATCH`). */
const CHUNK_BATCH = 50;
/** Why 20: a paragraph of ~60–80 characters, as notes are typed. */
const UPDATES_PER_PARAGRAPH = 20;
/**
 * Why 250: the projectors catch up after this many pushes, as they do in a live meeting (the
 * notes snapshot trails the log by a couple of seconds). Seeding faster than they fold would
 * leave every push checking its update against the whole log since the last snapshot: quadratic
 * (10,000 updates took 28 minutes that way).
 */
const SETTLE_EVERY = 250;
/** Upper bound on waiting for every projector to catch up after seeding. */
const CATCH_UP_MAX_MS = 300_000;

/** The Yjs client id the host's seeding doc uses (fixed: runs are comparable). */
export const HISTORY_CLIENT_ID = 424_242;

function check(what: string, r: unknown): void {
  const x = r as { ok?: boolean; message?: string };
  if (x && x.ok === false) throw new Error(`${what}: ${x.message ?? "refused"}`);
}

type ProjectionStatus = { name?: string; read: { meetings: number; caughtUp: number } };

/** Wait until every projection reports every meeting caught up (or the bound passes). */
export async function waitForProjectors(engine: Engine, adminToken: string): Promise<boolean> {
  const t0 = Date.now();
  for (;;) {
    let all: ProjectionStatus[] = [];
    try {
      all = (await engine.run("projections:status", { adminToken })) as ProjectionStatus[];
    } catch {
      return false;
    }
    if (all.every((p) => p.read.caughtUp >= p.read.meetings)) return true;
    if (Date.now() - t0 > CATCH_UP_MAX_MS) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Seed a meeting's prior history; returns the seconds it took. `settle` lets the projectors
 * catch up (called every {@link SETTLE_EVERY} pushes).
 */
export async function seedHistory(
  engine: Engine,
  clock: VirtualClock,
  meetingId: string,
  host: Identity,
  history: { notes: number; chunks: number },
  settle: () => Promise<unknown>,
): Promise<number> {
  const t0 = performance.now();
  // Interleaved in slices, as a meeting accumulates them.
  const slices = 10;
  for (let s = 0; s < slices; s++) {
    const n = Math.floor(history.notes / slices) + (s < history.notes % slices ? 1 : 0);
    const c = Math.floor(history.chunks / slices) + (s < history.chunks % slices ? 1 : 0);
    await seedNotesSlice(engine, clock, meetingId, host, n, s === 0, settle);
    await seedChunksSlice(engine, clock, meetingId, host, c);
  }
  return (performance.now() - t0) / 1000;
}

/** Slices share one doc and sequence per meeting. */
const notesState = new Map<string, { doc: Y.Doc; seq: number; text: Y.XmlText | null }>();
const chunkState = new Map<string, number>();

async function seedNotesSlice(
  engine: Engine,
  clock: VirtualClock,
  meetingId: string,
  host: Identity,
  count: number,
  first: boolean,
  settle: () => Promise<unknown>,
): Promise<void> {
  if (first) {
    check(
      "registerClient",
      await engine.run("notes:registerClient", { meetingId, clientId: HISTORY_CLIENT_ID }, host),
    );
    const doc = new Y.Doc({ gc: false });
    doc.clientID = HISTORY_CLIENT_ID;
    notesState.set(meetingId, { doc, seq: 0, text: null });
  }
  const st = notesState.get(meetingId)!;
  const fragment = st.doc.getXmlFragment(NOTES_FRAGMENT);
  for (let k = 0; k < count; k++) {
    const seq = ++st.seq;
    if (seq % SETTLE_EVERY === 0) await settle();
    const sv = Y.encodeStateVector(st.doc);
    st.doc.transact(() => {
      if (st.text === null || seq % UPDATES_PER_PARAGRAPH === 1) {
        const p = new Y.XmlElement("paragraph");
        st.text = new Y.XmlText();
        p.insert(0, [st.text]);
        fragment.insert(fragment.length, [p]);
      }
      st.text.insert(st.text.length, `w${seq} `);
    });
    const update = Y.encodeStateAsUpdate(st.doc, sv);
    clock.advance(100);
    check(
      `push ${seq}`,
      await engine.run(
        "notes:push",
        {
          meetingId,
          clientId: HISTORY_CLIENT_ID,
          clientSeq: seq,
          update: update.buffer.slice(update.byteOffset, update.byteOffset + update.byteLength),
        },
        host,
      ),
    );
  }
}

async function seedChunksSlice(
  engine: Engine,
  clock: VirtualClock,
  meetingId: string,
  host: Identity,
  count: number,
): Promise<void> {
  const from = chunkState.get(meetingId) ?? 0;
  chunkState.set(meetingId, from + count);
  for (let i = from; i < from + count; i += CHUNK_BATCH) {
    const chunks = [];
    for (let j = i; j < Math.min(from + count, i + CHUNK_BATCH); j++) {
      chunks.push({
        text: `prior chunk ${j} about the roadmap and the budget`,
        confidence: 0.9,
        startMs: j * 100,
        endMs: j * 100 + 100,
        isFinal: true,
        idempotencyKey: `prior-${j}`,
      });
    }
    clock.advance(2_500);
    check(`ingest ${i}`, await engine.run("transcripts:ingest", { meetingId, chunks }, host));
  }
}
