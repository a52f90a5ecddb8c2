/**
 * Meeting content for the search, export and erasure tests: Pia (participant)
 * and Hana (host) each write a notes paragraph with their own Yjs client, say
 * a transcript line and post a chat line; projections drained.
 */
import { expect } from "vitest";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import { toArrayBuffer } from "../../convex/projectors/blobs";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import type { meetingFixture } from "../core/fixtures";
import { drain } from "../projections/fixtures";

export type Fixture = Awaited<ReturnType<typeof meetingFixture>>;
type Client = Fixture["clients"]["host"];

/** Write a paragraph into the notes as `who` with their own Yjs client. */
export async function writeNote(f: Fixture, who: Client, doc: Y.Doc, seq: number, line: string) {
  await who.mutation(api.notes.registerClient, { meetingId: f.meetingId, clientId: doc.clientID });
  const parts: Uint8Array[] = [];
  const on = (u: Uint8Array) => parts.push(u);
  doc.on("update", on);
  doc.transact(() => {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(line)]);
    const frag = doc.getXmlFragment(NOTES_FRAGMENT);
    frag.insert(frag.length, [p]);
  });
  doc.off("update", on);
  const r = await who.mutation(api.notes.push, {
    meetingId: f.meetingId,
    clientId: doc.clientID,
    clientSeq: seq,
    update: toArrayBuffer(Y.mergeUpdates(parts)),
  });
  expect(r).toMatchObject({ ok: true });
}

/** The content described above. */
export async function content(f: Fixture) {
  const pia = new Y.Doc();
  const hana = new Y.Doc();
  await writeNote(f, f.clients.participant, pia, 1, "Pia wrote the zebra plan");
  Y.applyUpdate(hana, Y.encodeStateAsUpdate(pia));
  await writeNote(f, f.clients.host, hana, 1, "Hana added the yak budget");
  for (const [who, text, key, at] of [
    ["participant", "I will draft the zebra memo", "t1", 1000],
    ["host", "thanks, yak numbers next", "t2", 4000],
  ] as const) {
    const r = await f.clients[who].mutation(api.transcripts.append, {
      meetingId: f.meetingId,
      interim: false,
      text,
      confidence: 0.9,
      startMs: at,
      endMs: at + 1500,
      idempotencyKey: key,
    });
    expect(r.ok).toBe(true);
  }
  await f.clients.participant.mutation(api.chat.send, {
    meetingId: f.meetingId,
    text: "pia chat line",
    idempotencyKey: "c1",
  });
  await f.clients.host.mutation(api.chat.send, {
    meetingId: f.meetingId,
    text: "hana chat line",
    idempotencyKey: "c2",
  });
  await drain(f.t);
}
