/**
 * A meeting with two people for notes tests: Ann (host) holds a registered
 * raw Yjs writer whose first update (`seed`'s changes) is already stored;
 * Bob is a participant.
 */
import { expect } from "vitest";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { toArrayBuffer } from "../../crdt/updates";
import { makeConvex, type TestBackend } from "../harness/convex";
import { type FixturePerson, makeMeeting } from "./fixtures";

/** The meeting, its two people, and Ann's raw writer with its last used `clientSeq`. */
export type NotesWorld = {
  t: TestBackend;
  meetingId: Id<"meetings">;
  ann: FixturePerson;
  bob: FixturePerson;
  /** Ann's raw writer (a registered Yjs client of hers). */
  doc: Y.Doc;
  seq: number;
};

/** Build the world; `seed` edits Ann's doc and its update is pushed as `clientSeq` 1. */
export async function notesWorld(seed: (doc: Y.Doc) => void): Promise<NotesWorld> {
  const t = makeConvex();
  const { meetingId, people } = await makeMeeting(t, { ann: "host", bob: "participant" });
  const ann = people.ann!;
  const doc = new Y.Doc();
  await ann.as.mutation(api.notes.registerClient, { meetingId, clientId: doc.clientID });
  seed(doc);
  const r = await ann.as.mutation(api.notes.push, {
    meetingId,
    clientId: doc.clientID,
    clientSeq: 1,
    update: toArrayBuffer(Y.encodeStateAsUpdate(doc)),
  });
  expect(r).toEqual({ ok: true, status: "stored" });
  return { t, meetingId, ann, bob: people.bob!, doc, seq: 1 };
}
