/**
 * The notes provider across a room-key rotation (issue 20 goal 2), with the
 * web app's key handling (`web/lib/roomKey.ts`) over the real functions.
 *
 * Invariants:
 * - K1 when someone else is removed, a reader's pull moves to the new key
 *   whatever order the rotation's two answers arrive in (the old key's
 *   FORBIDDEN first, or the new key first): no error, no lost update, still live.
 * - K2 the removed person's provider gets FORBIDDEN and stops.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { NotesProvider } from "../../crdt/provider";
import type { NotesTransport, PullAnswer } from "../../crdt/transport";
import { keyedSubscription, RoomKeys, withRoomKey } from "../../web/lib/roomKey";
import { makeConvex } from "../harness/convex";
import { makeMeeting } from "./fixtures";
import { TestHub, TestLink } from "./testTransport";

type MeetingId = Id<"meetings">;

/** A subscription re-run by `hub.deliver()`, answering only when the answer changed. */
function hubWatch<A>(link: TestLink, run: () => Promise<A>, onAnswer: (a: A) => void): () => void {
  let last = "";
  const sub = {
    link,
    run: async () => {
      const a = await run();
      const key = JSON.stringify(a, (_, v) => (typeof v === "bigint" ? v.toString() : v));
      if (key === last) return;
      last = key;
      onAnswer(a);
    },
  };
  link.hub.subs.add(sub);
  queueMicrotask(() => {
    if (link.hub.subs.has(sub)) void sub.run();
  });
  return () => link.hub.subs.delete(sub);
}

/** The web app's notes transport shape (`convexNotesTransport`) over a test link. */
function keyedTransport(
  link: TestLink,
  meetingId: MeetingId,
  counts: { fetches: number },
): NotesTransport<MeetingId> {
  const as = link.as;
  const keys = new RoomKeys({
    watch: (onAnswer) => hubWatch(link, () => as.query(api.rooms.access, { meetingId }), onAnswer),
    fetch: () => {
      counts.fetches++;
      return as.query(api.rooms.access, { meetingId });
    },
    issue: () => as.mutation(api.rooms.issue, { meetingId }),
  });
  return {
    ...link.transport,
    bootstrap: (args) =>
      withRoomKey(keys, (roomKey) => as.query(api.notes.bootstrap, { ...args, roomKey })),
    resync: (args) =>
      withRoomKey(keys, (roomKey) => as.query(api.notes.resync, { ...args, roomKey })),
    subscribePull: (args, onResult) =>
      keyedSubscription(
        keys,
        (roomKey, onAnswer) =>
          hubWatch<PullAnswer>(
            link,
            () => as.query(api.notes.pull, { ...args, roomKey }),
            onAnswer,
          ),
        onResult,
      ),
  };
}

async function setup() {
  const t = makeConvex();
  const { meetingId, people } = await makeMeeting(t, {
    ann: "host",
    bob: "participant",
    carl: "participant",
  });
  const hub = new TestHub();
  hub.autoDeliver = false;
  const open = (name: string) => {
    const link = new TestLink(hub, people[name]!.as);
    const counts = { fetches: 0 };
    const transport = keyedTransport(link, meetingId, counts);
    const provider = new NotesProvider({ meetingId, transport, coalesceMs: 5 });
    const errors: string[] = [];
    provider.on("error", (e) => errors.push(e.code));
    return { link, provider, errors, counts };
  };
  return { t, meetingId, people, hub, open };
}

async function settle(hub: TestHub, providers: NotesProvider<MeetingId>[], order: number[] = []) {
  for (let i = 0; i < 4; i++) {
    for (const p of providers) await p.flush();
    await hub.deliver(order);
    await new Promise((r) => setTimeout(r, 0));
  }
}

const text = (p: NotesProvider<MeetingId>) => p.doc.getText("t").toString();

describe("notes across a room-key rotation", () => {
  // The three key watches are subscribed before the three pulls: order [] delivers the new
  // keys first; [3, 4, 5] swaps the pulls to the front, so the old key's FORBIDDEN comes
  // first (the readers then ask for the key again: counted, so the path is known to run).
  test.each([
    ["the new key first", []],
    ["the old key's refusal first", [3, 4, 5]],
  ])(
    "K1 K2 a removal moves the readers to the new key (%s) and stops the removed",
    async (_, order) => {
      const { t, meetingId, people, hub, open } = await setup();
      const ann = open("ann");
      const bob = open("bob");
      const carl = open("carl");
      for (const c of [ann, bob, carl]) await c.provider.connect();
      ann.provider.doc.getText("t").insert(0, "one");
      await settle(hub, [ann.provider, bob.provider, carl.provider]);
      expect(text(bob.provider)).toBe("one");
      expect(text(carl.provider)).toBe("one");
      const keyBefore = await t.run(async (ctx) => (await ctx.db.query("roomKeys").first())!.key);

      const r = await people.ann!.as.mutation(api.participants.remove, {
        meetingId,
        userId: people.carl!.userId,
      });
      expect(r.ok).toBe(true);
      const keyAfter = await t.run(async (ctx) => (await ctx.db.query("roomKeys").first())!.key);
      expect(keyAfter).not.toBe(keyBefore);
      await hub.deliver(order);
      const refusalFirst = order.length > 0;
      expect(bob.counts.fetches > 0).toBe(refusalFirst);
      await settle(hub, [ann.provider, bob.provider], order);
      ann.provider.doc.getText("t").insert(3, " two");
      await settle(hub, [ann.provider, bob.provider, carl.provider], order);

      expect(text(bob.provider)).toBe("one two");
      for (const reader of [ann, bob]) {
        expect(reader.errors).toEqual([]);
        expect(reader.provider.status).toBe("live");
      }
      expect(carl.errors).toContain("FORBIDDEN");
      expect(carl.provider.status).not.toBe("live");
      expect(text(carl.provider)).toBe("one");
      // The state Bob's key reads is the one Ann wrote.
      const boot = await people.bob!.as.query(api.notes.bootstrap, {
        meetingId,
        roomKey: keyAfter,
      });
      if (!boot.ok) throw new Error(boot.message);
      const served = new Y.Doc();
      Y.applyUpdate(served, new Uint8Array(boot.update));
      expect(served.getText("t").toString()).toBe("one two");
    },
  );
});
