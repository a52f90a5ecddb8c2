/**
 * The notes provider against the real functions (convex-test): two clients
 * co-edit, no echo, duplicates and lost acknowledgements, offline edits,
 * pending dependencies and the forced resync.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { NotesProvider } from "../../crdt/provider";
import { toArrayBuffer } from "../../crdt/updates";
import { makeConvex, type TestBackend } from "../harness/convex";
import { roomArgs } from "../harness/roomKey";
import { makeMeeting } from "./fixtures";
import { TestHub, TestLink } from "./testTransport";

async function setup(names: string[]) {
  const t = makeConvex();
  const roles = Object.fromEntries(
    names.map((n, i) => [n, i === 0 ? ("host" as const) : ("participant" as const)]),
  );
  const { meetingId, people } = await makeMeeting(t, roles);
  const hub = new TestHub();
  const make = (name: string, opts: { pendingTimeoutMs?: number } = {}) => {
    const link = new TestLink(hub, people[name]!.as);
    const provider = new NotesProvider({
      meetingId,
      transport: link.transport,
      coalesceMs: 5,
      ...opts,
    });
    return { link, provider };
  };
  return { t, meetingId, hub, make, people };
}

async function settle(hub: TestHub, providers: NotesProvider<Id<"meetings">>[]) {
  for (let i = 0; i < 3; i++) {
    for (const p of providers) await p.flush();
    await hub.deliver();
    await new Promise((r) => setTimeout(r, 0));
  }
}

async function rowCount(t: TestBackend) {
  return (await t.run((ctx) => ctx.db.query("noteUpdates").collect())).length;
}

describe("NotesProvider over convex-test", () => {
  test("N6 two clients co-edit and converge; remote updates are not echoed", async () => {
    const { t, hub, make } = await setup(["ann", "bob"]);
    const a = make("ann");
    const b = make("bob");
    await a.provider.connect();
    await b.provider.connect();
    a.provider.doc.getText("t").insert(0, "Hello");
    await settle(hub, [a.provider, b.provider]);
    b.provider.doc.getText("t").insert(5, " world");
    await settle(hub, [a.provider, b.provider]);
    expect(a.provider.doc.getText("t").toString()).toBe("Hello world");
    expect(b.provider.doc.getText("t").toString()).toBe("Hello world");
    // One row per local change: nothing was pushed back by the receiving side.
    expect(await rowCount(t)).toBe(2);
    expect(a.link.pushes + b.link.pushes).toBe(2);
    expect(a.provider.synced && b.provider.synced).toBe(true);
    expect(a.provider.hasUnsyncedChanges).toBe(false);
  });

  test("N2 N5 a lost acknowledgement is retried and acknowledged as a duplicate, stored once", async () => {
    const { t, hub, make } = await setup(["ann", "bob"]);
    const a = make("ann");
    const b = make("bob");
    await a.provider.connect();
    await b.provider.connect();
    a.link.dropNextAck = true;
    a.provider.doc.getText("t").insert(0, "once");
    await settle(hub, [a.provider, b.provider]);
    await new Promise((r) => setTimeout(r, 250));
    await settle(hub, [a.provider, b.provider]);
    expect(a.link.pushes).toBe(2);
    expect(await rowCount(t)).toBe(1);
    expect(b.provider.doc.getText("t").toString()).toBe("once");
    expect(a.provider.hasUnsyncedChanges).toBe(false);
  });

  test("N5 edits made offline are pushed on reconnect and merge with concurrent edits", async () => {
    const { hub, make } = await setup(["ann", "bob"]);
    const a = make("ann");
    const b = make("bob");
    await a.provider.connect();
    await b.provider.connect();
    a.provider.doc.getText("t").insert(0, "base ");
    await settle(hub, [a.provider, b.provider]);
    a.provider.disconnect();
    a.link.online = false;
    a.provider.doc.getText("t").insert(5, "offline-A ");
    b.provider.doc.getText("t").insert(0, "online-B ");
    await settle(hub, [b.provider]);
    expect(a.provider.hasUnsyncedChanges).toBe(true);
    a.link.online = true;
    await a.provider.connect();
    await settle(hub, [a.provider, b.provider]);
    const text = a.provider.doc.getText("t").toString();
    expect(b.provider.doc.getText("t").toString()).toBe(text);
    expect(text).toContain("offline-A");
    expect(text).toContain("online-B");
  });

  test("N8 an update stored before its dependency waits in clients and converges when it arrives", async () => {
    const { meetingId, hub, make, people } = await setup(["ann", "bob"]);
    const b = make("bob");
    await b.provider.connect();
    const ann = people.ann!.as;
    const source = new Y.Doc();
    await ann.mutation(api.notes.registerClient, { meetingId, clientId: source.clientID });
    source.getText("t").insert(0, "first ");
    const d1 = Y.encodeStateAsUpdate(source);
    const sv1 = Y.encodeStateVector(source);
    source.getText("t").insert(6, "second");
    const d2 = Y.encodeStateAsUpdate(source, sv1);
    const push = (seq: number, u: Uint8Array) =>
      ann.mutation(api.notes.push, {
        meetingId,
        clientId: source.clientID,
        clientSeq: seq,
        update: toArrayBuffer(u),
      });
    expect(await push(1, d2)).toEqual({ ok: true, status: "stored" });
    await hub.deliver();
    expect(b.provider.doc.store.pendingStructs).not.toBeNull();
    expect(b.provider.doc.getText("t").toString()).toBe("");
    expect(await push(2, d1)).toEqual({ ok: true, status: "stored" });
    await hub.deliver();
    expect(b.provider.doc.store.pendingStructs).toBeNull();
    expect(b.provider.doc.getText("t").toString()).toBe("first second");
  });

  test("N8 a dependency missing for too long triggers a resync that fills the gap", async () => {
    const { hub, make } = await setup(["ann", "bob"]);
    const a = make("ann");
    const b = make("bob", { pendingTimeoutMs: 30 });
    await a.provider.connect();
    await b.provider.connect();
    const resyncs: string[] = [];
    b.provider.on("resync", (why) => resyncs.push(why));
    // Bob's next pull answer loses its first update (a lost delivery).
    let dropped = 0;
    b.link.filterPull = (answer) => {
      if (!answer.ok || answer.updates.length === 0 || dropped > 0) return answer;
      dropped++;
      return { ...answer, updates: answer.updates.slice(1) };
    };
    hub.autoDeliver = false;
    a.provider.doc.getText("t").insert(0, "first ");
    await a.provider.flush();
    a.provider.doc.getText("t").insert(6, "second");
    await a.provider.flush();
    await hub.deliver();
    expect(dropped).toBe(1);
    expect(b.provider.doc.store.pendingStructs).not.toBeNull();
    // More lands on the server before the resync, so the resync moves Bob's cursor.
    a.provider.doc.getText("t").insert(12, " mid");
    await a.provider.flush();
    await new Promise((r) => setTimeout(r, 120));
    expect(resyncs).toContain("pending-timeout");
    expect(b.provider.doc.store.pendingStructs).toBeNull();
    expect(b.provider.doc.getText("t").toString()).toBe("first second mid");
    // Live updates keep flowing after the resync (the subscription follows the new cursor).
    a.provider.doc.getText("t").insert(16, " third");
    await a.provider.flush();
    await hub.deliver();
    await new Promise((r) => setTimeout(r, 0));
    await hub.deliver();
    expect(b.provider.doc.getText("t").toString()).toBe("first second mid third");
  });

  test("N9 the transport's connection drives offline and reconnect; the unsynced count follows", async () => {
    const { t, meetingId, hub, people } = await setup(["ann", "bob"]);
    const link = new TestLink(hub, people.ann!.as);
    const a = new NotesProvider({ meetingId, transport: link.withConnection(), coalesceMs: 5 });
    const b = new NotesProvider({
      meetingId,
      transport: new TestLink(hub, people.bob!.as).transport,
      coalesceMs: 5,
    });
    const states: string[] = [];
    a.on("sync", (s) => states.push(`${s.state}:${s.unsynced}`));
    await a.connect();
    await b.connect();
    await settle(hub, [a, b]);
    expect(a.syncState).toEqual({ state: "saved", unsynced: 0 });
    link.setConnected(false);
    expect(a.status).toBe("offline");
    a.doc.getText("t").insert(0, "one ");
    a.doc.getText("t").insert(4, "two");
    expect(a.syncState).toEqual({ state: "offline", unsynced: 2 });
    await new Promise((r) => setTimeout(r, 20));
    expect(await rowCount(t)).toBe(0);
    // Back online: the provider reconnects by itself and pushes what was typed.
    link.setConnected(true);
    await new Promise((r) => setTimeout(r, 0));
    await settle(hub, [a, b]);
    expect(a.status).toBe("live");
    expect(b.doc.getText("t").toString()).toBe("one two");
    expect(a.syncState).toEqual({ state: "saved", unsynced: 0 });
    expect(states).toContain("offline:2");
    // An explicit disconnect is not undone by the connection returning.
    a.disconnect();
    link.setConnected(false);
    link.setConnected(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(a.status).toBe("offline");
    a.destroy();
    b.destroy();
  });

  test("N16 a subscription that errors takes the provider offline, and it comes back by itself", async () => {
    const { hub, make } = await setup(["ann", "bob"]);
    const a = make("ann");
    const b = make("bob");
    const errors: string[] = [];
    a.provider.on("error", (e) => errors.push(e.code));
    await a.provider.connect();
    await b.provider.connect();
    a.link.failNextPull = new Error("[CONVEX Q(notes:pull)] Server Error");
    await hub.deliver();
    expect(a.provider.status).toBe("offline");
    expect(errors).toContain("NETWORK");
    // Edits on both sides while a is out.
    a.provider.doc.getText("t").insert(0, "from ann ");
    b.provider.doc.getText("t").insert(0, "from bob");
    await settle(hub, [b.provider]);
    // No transport connection event comes: the provider retries on its own timer.
    const deadline = Date.now() + 10_000;
    while (a.provider.status !== "live" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(a.provider.status).toBe("live");
    await settle(hub, [a.provider, b.provider]);
    const text = a.provider.doc.getText("t").toString();
    expect(text).toContain("from ann");
    expect(text).toContain("from bob");
    expect(b.provider.doc.getText("t").toString()).toBe(text);
    a.provider.destroy();
    b.provider.destroy();
  });

  test("N16 an explicit disconnect cancels the retry", async () => {
    const { hub, make } = await setup(["ann"]);
    const a = make("ann");
    await a.provider.connect();
    a.link.failNextPull = new Error("Server Error");
    await hub.deliver();
    expect(a.provider.status).toBe("offline");
    a.provider.disconnect();
    await new Promise((r) => setTimeout(r, 1200));
    expect(a.provider.status).toBe("offline");
    a.provider.destroy();
  });
  test("N17 an idle live provider sends an edit at once; edits made while a push is in flight go as one", async () => {
    const { t, meetingId, people } = await setup(["ann"]);
    const link = new TestLink(new TestHub(), people.ann!.as);
    let release: (() => void) | null = null;
    let holding = false;
    const transport = {
      ...link.transport,
      push: async (args: Parameters<typeof link.transport.push>[0]) => {
        if (holding) await new Promise<void>((r) => (release = r));
        return link.transport.push(args);
      },
    };
    // The shipped 250 ms window: an edit that waited for it would not be pushed below.
    const p = new NotesProvider({ meetingId, transport });
    await p.connect();
    await p.flush(); // the push loop connect() started has gone quiet
    holding = true;
    const text = p.doc.getText("t");
    text.insert(0, "a");
    await new Promise((r) => setTimeout(r, 20));
    expect(release).not.toBeNull(); // the first keystroke is on its way, 230 ms before the window closes
    for (const ch of "bcdef") text.insert(text.length, ch);
    holding = false;
    (release as unknown as () => void)();
    await p.flush();
    expect(link.pushes).toBe(2); // "a", then "bcdef" folded into one push
    expect(await rowCount(t)).toBe(2);
    const boot = await people.ann!.as.query(
      api.notes.bootstrap,
      await roomArgs(people.ann!.as, meetingId),
    );
    if (!boot.ok) throw new Error(boot.message);
    const server = new Y.Doc();
    Y.applyUpdate(server, new Uint8Array(boot.update));
    expect(server.getText("t").toString()).toBe("abcdef");
    p.destroy();
  });
});
