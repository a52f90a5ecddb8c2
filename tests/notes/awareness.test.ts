/**
 * Awareness through the presence table: a cursor/name set on one client's
 * awareness appears on the other's, disappears when it leaves, and nobody
 * can publish presence for a Yjs client id registered to someone else.
 */
import { describe, expect, test } from "vitest";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import { AwarenessBridge } from "../../crdt/awareness";
import { makeConvex } from "../harness/convex";
import { makeMeeting } from "./fixtures";
import { TestHub, TestLink } from "./testTransport";

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

/** A meeting of Ann (host) and Bob, each with a link to the backend and a Y.Doc. */
async function annAndBob() {
  const t = makeConvex();
  const { meetingId, people } = await makeMeeting(t, { ann: "host", bob: "participant" });
  const hub = new TestHub();
  const links = {
    ann: new TestLink(hub, people.ann!.as),
    bob: new TestLink(hub, people.bob!.as),
  };
  return { meetingId, hub, links, docs: { ann: new Y.Doc(), bob: new Y.Doc() } };
}

describe("awareness bridge", () => {
  test("states travel through presence rows and vanish on leave", async () => {
    const { meetingId, hub, links, docs } = await annAndBob();
    for (const n of ["ann", "bob"] as const) {
      await links[n].transport.registerClient({ meetingId, clientId: docs[n].clientID });
    }
    const aw = { ann: new Awareness(docs.ann), bob: new Awareness(docs.bob) };
    const bridges = {
      ann: new AwarenessBridge({
        meetingId,
        awareness: aw.ann,
        transport: links.ann.presence,
        throttleMs: 5,
      }),
      bob: new AwarenessBridge({
        meetingId,
        awareness: aw.bob,
        transport: links.bob.presence,
        throttleMs: 5,
      }),
    };
    aw.ann.setLocalStateField("user", { name: "Ann", color: "#f00" });
    await tick();
    await bridges.ann.publish();
    await hub.deliver();
    await tick();
    expect(aw.bob.getStates().get(docs.ann.clientID)).toEqual({
      user: { name: "Ann", color: "#f00" },
    });
    await bridges.ann.destroy();
    await hub.deliver();
    await tick();
    expect(aw.bob.getStates().has(docs.ann.clientID)).toBe(false);
    await bridges.bob.destroy();
  });

  test("presence for someone else's client id is refused", async () => {
    const t = makeConvex();
    const { meetingId, people } = await makeMeeting(t, { ann: "host", bob: "participant" });
    const doc = new Y.Doc();
    await people.ann!.as.mutation(api.notes.registerClient, { meetingId, clientId: doc.clientID });
    const r = await people.bob!.as.mutation(api.presence.set, {
      meetingId,
      clientId: doc.clientID,
      clock: 1,
      state: JSON.stringify({ user: { name: "not Ann" } }),
    });
    expect(r.ok === false && r.code).toBe("FORBIDDEN");
    const big = await people.ann!.as.mutation(api.presence.set, {
      meetingId,
      clientId: doc.clientID,
      clock: 1,
      state: "x".repeat(5000),
    });
    expect(big.ok === false && big.code).toBe("VALIDATION_ERROR");
  });
  test("a publish refused before the Yjs client is registered is retried, not left for the heartbeat", async () => {
    const { meetingId, hub, links, docs } = await annAndBob();
    const aw = { ann: new Awareness(docs.ann), bob: new Awareness(docs.bob) };
    const bob = new AwarenessBridge({
      meetingId,
      awareness: aw.bob,
      transport: links.bob.presence,
    });
    // Ann's page opens its bridge before the provider has registered her client (as on a reload).
    aw.ann.setLocalStateField("user", { name: "Ann", color: "#f00" });
    const ann = new AwarenessBridge({
      meetingId,
      awareness: aw.ann,
      transport: links.ann.presence,
      throttleMs: 5,
      heartbeatMs: 3_600_000, // only a retry, not a heartbeat, can bring her back in this test
    });
    await tick(50); // the first publish has been refused (FORBIDDEN: not registered)
    await links.ann.transport.registerClient({ meetingId, clientId: docs.ann.clientID });
    const shown = async () => {
      await hub.deliver();
      return aw.bob.getStates().has(docs.ann.clientID);
    };
    const deadline = Date.now() + 5000;
    while (!(await shown()) && Date.now() < deadline) await tick(25);
    expect(aw.bob.getStates().get(docs.ann.clientID)).toEqual({
      user: { name: "Ann", color: "#f00" },
    });
    await ann.destroy();
    await bob.destroy();
  });
});
