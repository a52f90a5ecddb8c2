/**
 * Server functions of the notes sync through convex-test: register, push,
 * pull, duplicates, access, bootstrap, resync, server edits, sealing.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { api, internal } from "../../convex/_generated/api";
import { toArrayBuffer } from "../../crdt/updates";
import { makeConvex } from "../harness/convex";
import { roomArgs } from "../harness/roomKey";
import { docFromState, makeMeeting } from "./fixtures";

function edit(doc: Y.Doc, fn: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  fn();
  return Y.encodeStateAsUpdate(doc, before);
}

describe("notes server", () => {
  test("N2 N10 push stores once, pull returns in commit order, duplicates are acknowledged", async () => {
    const t = makeConvex();
    const { meetingId, people } = await makeMeeting(t, { ann: "host", bob: "participant" });
    const doc = new Y.Doc();
    const reg = await people.ann!.as.mutation(api.notes.registerClient, {
      meetingId,
      clientId: doc.clientID,
    });
    expect(reg).toEqual({ ok: true, lastSeq: 0 });
    const u1 = edit(doc, () => doc.getText("t").insert(0, "hello"));
    const u2 = edit(doc, () => doc.getText("t").insert(5, " world"));
    const args = (seq: number, u: Uint8Array) => ({
      meetingId,
      clientId: doc.clientID,
      clientSeq: seq,
      update: toArrayBuffer(u),
    });
    expect(await people.ann!.as.mutation(api.notes.push, args(1, u1))).toEqual({
      ok: true,
      status: "stored",
    });
    expect(await people.ann!.as.mutation(api.notes.push, args(1, u1))).toEqual({
      ok: true,
      status: "duplicate",
    });
    await people.ann!.as.mutation(api.notes.push, args(2, u2));
    const bobRoom = await roomArgs(people.bob!.as, meetingId);
    const pulled = await people.bob!.as.query(api.notes.pull, { ...bobRoom, after: null });
    if (!pulled.ok) throw new Error(pulled.message);
    expect(pulled.updates).toHaveLength(2);
    expect(pulled.done).toBe(true);
    const replica = new Y.Doc();
    for (const u of pulled.updates) Y.applyUpdate(replica, new Uint8Array(u.update));
    expect(replica.getText("t").toString()).toBe("hello world");
    const again = await people.bob!.as.query(api.notes.pull, { ...bobRoom, after: pulled.cursor });
    expect(again.ok && again.updates.length).toBe(0);
    const rows = await t.run((ctx) => ctx.db.query("noteUpdates").collect());
    expect(rows).toHaveLength(2);
  });

  test("N1 observers and outsiders cannot push; outsiders cannot pull", async () => {
    const t = makeConvex();
    const { meetingId, people } = await makeMeeting(t, {
      ann: "host",
      obs: "observer",
      eve: "outsider",
    });
    const doc = new Y.Doc();
    await people.obs!.as.mutation(api.notes.registerClient, { meetingId, clientId: doc.clientID });
    const u = edit(doc, () => doc.getText("t").insert(0, "x"));
    const r = await people.obs!.as.mutation(api.notes.push, {
      meetingId,
      clientId: doc.clientID,
      clientSeq: 1,
      update: toArrayBuffer(u),
    });
    expect(r.ok === false && r.code).toBe("FORBIDDEN");
    // An outsider gets no room key, and a made-up one opens nothing.
    const key = await people.eve!.as.query(api.rooms.access, { meetingId });
    expect(key.ok === false && key.code).toBe("FORBIDDEN");
    const p = await people.eve!.as.query(api.notes.pull, {
      meetingId,
      roomKey: "A".repeat(22),
      after: null,
    });
    expect(p.ok === false && p.code).toBe("FORBIDDEN");
    expect(await t.run((ctx) => ctx.db.query("noteUpdates").collect())).toHaveLength(0);
  });

  test("N3 a client id registered to someone else is refused (CONFLICT, then FORBIDDEN on push)", async () => {
    const t = makeConvex();
    const { meetingId, people } = await makeMeeting(t, { ann: "host", bob: "participant" });
    const doc = new Y.Doc();
    await people.ann!.as.mutation(api.notes.registerClient, { meetingId, clientId: doc.clientID });
    const stolen = await people.bob!.as.mutation(api.notes.registerClient, {
      meetingId,
      clientId: doc.clientID,
    });
    expect(stolen.ok === false && stolen.code).toBe("CONFLICT");
    const u = edit(doc, () => doc.getText("t").insert(0, "forged"));
    const r = await people.bob!.as.mutation(api.notes.push, {
      meetingId,
      clientId: doc.clientID,
      clientSeq: 1,
      update: toArrayBuffer(u),
    });
    expect(r.ok === false && r.code).toBe("FORBIDDEN");
  });

  test("N11 bootstrap and resync answer the state and the Yjs diff", async () => {
    const t = makeConvex();
    const { meetingId, people } = await makeMeeting(t, { ann: "host", bob: "participant" });
    const doc = new Y.Doc();
    await people.ann!.as.mutation(api.notes.registerClient, { meetingId, clientId: doc.clientID });
    let seq = 0;
    const half = new Y.Doc();
    for (const word of ["alpha ", "beta ", "gamma ", "delta"]) {
      const u = edit(doc, () => doc.getText("t").insert(doc.getText("t").length, word));
      if (seq < 2) Y.applyUpdate(half, u);
      seq++;
      await people.ann!.as.mutation(api.notes.push, {
        meetingId,
        clientId: doc.clientID,
        clientSeq: seq,
        update: toArrayBuffer(u),
      });
    }
    const bobRoom = await roomArgs(people.bob!.as, meetingId);
    const boot = await people.bob!.as.query(api.notes.bootstrap, bobRoom);
    if (!boot.ok) throw new Error(boot.message);
    const fresh = docFromState(boot);
    expect(fresh.getText("t").toString()).toBe("alpha beta gamma delta");
    const rs = await people.bob!.as.query(api.notes.resync, {
      ...bobRoom,
      stateVector: toArrayBuffer(Y.encodeStateVector(half)),
    });
    if (!rs.ok) throw new Error(rs.message);
    const expected = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(half));
    expect(rs.update.byteLength).toBeLessThanOrEqual(expected.byteLength);
    if (rs.encoding === "v2") Y.applyUpdateV2(half, new Uint8Array(rs.update));
    else Y.applyUpdate(half, new Uint8Array(rs.update));
    expect(half.getText("t").toString()).toBe("alpha beta gamma delta");
  });

  test("N13 server-side edits are ordinary events", async () => {
    const t = makeConvex();
    const { meetingId, people } = await makeMeeting(t, { ann: "host" });
    const server = new Y.Doc();
    const u = edit(server, () => server.getText("t").insert(0, "Summary: ok"));
    const r = await t.mutation(internal.notes.appendServerUpdate, {
      meetingId,
      actor: "system:ai",
      clientId: server.clientID,
      update: toArrayBuffer(u),
    });
    expect(r).toEqual({ ok: true, status: "stored" });
    const room = await roomArgs(people.ann!.as, meetingId);
    const p = await people.ann!.as.query(api.notes.pull, { ...room, after: null });
    expect(p.ok && p.updates.length).toBe(1);
    const row = await t.run((ctx) => ctx.db.query("noteUpdates").first());
    expect(row?.actor).toBe("system:ai");
  });

  test("N13 importing text appends paragraphs to the current document as one server event", async () => {
    const t = makeConvex();
    const { meetingId, people } = await makeMeeting(t, { ann: "host" });
    const doc = new Y.Doc();
    await people.ann!.as.mutation(api.notes.registerClient, { meetingId, clientId: doc.clientID });
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText("typed by Ann")]);
    doc.getXmlFragment("default").push([p]);
    await people.ann!.as.mutation(api.notes.push, {
      meetingId,
      clientId: doc.clientID,
      clientSeq: 1,
      update: toArrayBuffer(Y.encodeStateAsUpdate(doc)),
    });
    const r = await t.mutation(internal.notes.importText, {
      meetingId,
      actor: "system:import",
      text: "Imported line 1\nImported line 2",
    });
    expect(r).toEqual({ ok: true, status: "stored" });
    const boot = await people.ann!.as.query(
      api.notes.bootstrap,
      await roomArgs(people.ann!.as, meetingId),
    );
    if (!boot.ok) throw new Error(boot.message);
    const texts = docFromState(boot)
      .getXmlFragment("default")
      .toArray()
      .map((n) => (n instanceof Y.XmlElement ? n.toArray().map(String).join("") : ""));
    expect(texts).toEqual(["typed by Ann", "Imported line 1", "Imported line 2"]);
    const rows = await t.run((ctx) => ctx.db.query("noteUpdates").collect());
    expect(rows.map((row) => row.actor)).toEqual([people.ann!.userId, "system:import"]);
  });
});
