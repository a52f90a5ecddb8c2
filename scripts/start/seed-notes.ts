/**
 * Puts a few lines in the demo meeting's notes, as its host would type them:
 * through the public notes API with a development token (notes are Yjs
 * updates from a registered client, so the seed goes the same way as an
 * editor). Skipped when the notes already have content.
 */
import { ConvexHttpClient } from "convex/browser";
import * as Y from "yjs";
import { fetchRoomKey } from "../../bench/lib/client-transports";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import type { DevUser } from "../../web/lib/devUsers";

/** What the host has written before anyone opens the demo. */
const NOTES = [
  "Agenda: launch date, pricing page, what the demo shows.",
  "Decision: ship the collaborative notes first; replay follows.",
  "To do: share the benchmark numbers before Friday.",
];

/** Mints a token for `user` with `mint` and writes the demo notes as them (once). */
export async function seedNotes(
  url: string,
  mint: (user: DevUser) => Promise<string>,
  user: DevUser,
  meetingId: Id<"meetings">,
): Promise<"written" | "present"> {
  const client = new ConvexHttpClient(url);
  client.setAuth(await mint(user));
  await client.mutation(api.users.ensure, {});
  const roomKey = await fetchRoomKey(client, meetingId);
  const current = await client.query(api.notes.bootstrap, { meetingId, roomKey });
  if (!current.ok) throw new Error(`reading the demo notes was refused: ${current.message}`);
  const existing = new Y.Doc();
  // The server may answer its own snapshots in the V2 encoding.
  if (current.encoding === "v2") Y.applyUpdateV2(existing, new Uint8Array(current.update));
  else Y.applyUpdate(existing, new Uint8Array(current.update));
  const hasContent = existing.getXmlFragment(NOTES_FRAGMENT).length > 0;
  existing.destroy();
  if (hasContent) return "present";

  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  for (const line of NOTES) {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(line)]);
    fragment.push([p]);
  }
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const reg = await client.mutation(api.notes.registerClient, {
    meetingId,
    clientId: doc.clientID,
  });
  if (!reg.ok) throw new Error(`registering the seed's notes client was refused: ${reg.message}`);
  const pushed = await client.mutation(api.notes.push, {
    meetingId,
    clientId: doc.clientID,
    clientSeq: reg.lastSeq + 1,
    update: update.buffer.slice(
      update.byteOffset,
      update.byteOffset + update.byteLength,
    ) as ArrayBuffer,
  });
  if (!pushed.ok) throw new Error(`pushing the demo notes was refused: ${pushed.message}`);
  return "written";
}
