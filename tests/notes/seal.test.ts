/**
 * Sealing and the log reader: older updates move into segments (each keeping
 * its commitTs, time, author and client), and `readNoteUpdates` yields every
 * update exactly once in commit order — also when sealing runs between two
 * pages of a reader.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { api, internal } from "../../convex/_generated/api";
import { type NoteCursor, readNoteUpdates } from "../../convex/lib/noteLog";
import { PUSH_LIMIT_ENV } from "../../convex/notes/push";
import { RAW_TAIL_KEEP } from "../../convex/notes/seal";
import { retentionStep } from "../../convex/retentionSteps";
import { toArrayBuffer } from "../../crdt/updates";
import { makeConvex } from "../harness/convex";
import { roomArgs } from "../harness/roomKey";
import { docFromState, makeMeeting } from "./fixtures";

// Hundreds of pushes back to back: a replay, not a person typing.
beforeAll(() => {
  process.env[PUSH_LIMIT_ENV] = "off";
});
afterAll(() => {
  delete process.env[PUSH_LIMIT_ENV];
});

/** A meeting with ann (host) and bob, each with a Yjs doc whose client id is registered. */
async function twoWriters() {
  const t = makeConvex();
  const { meetingId, people } = await makeMeeting(t, { ann: "host", bob: "participant" });
  const docs = { ann: new Y.Doc(), bob: new Y.Doc() };
  for (const [name, doc] of Object.entries(docs)) {
    await people[name]!.as.mutation(api.notes.registerClient, {
      meetingId,
      clientId: doc.clientID,
    });
  }
  return { t, meetingId, people, docs };
}

describe("sealing", () => {
  test("N10 the log reads the same, exactly once and in order, before, during and after sealing", {
    timeout: 120_000,
  }, async () => {
    const { t, meetingId, people, docs } = await twoWriters();
    const total = RAW_TAIL_KEEP + 300;
    const pushed: Array<{ clientId: number; clientSeq: number }> = [];
    const seqs = { ann: 0, bob: 0 };
    const shared = new Y.Doc();
    for (let i = 0; i < total; i++) {
      const name = i % 3 === 0 ? "bob" : "ann";
      const doc = docs[name];
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(shared));
      const sv = Y.encodeStateVector(doc);
      doc.getText("t").insert(0, `${i % 10}`);
      const u = Y.encodeStateAsUpdate(doc, sv);
      Y.applyUpdate(shared, u);
      seqs[name]++;
      const r = await people[name]!.as.mutation(api.notes.push, {
        meetingId,
        clientId: doc.clientID,
        clientSeq: seqs[name],
        update: toArrayBuffer(u),
      });
      expect(r.ok).toBe(true);
      pushed.push({ clientId: doc.clientID, clientSeq: seqs[name] });
    }
    await t.finishInProgressScheduledFunctions();
    const readAll = async (pageSize: number, sealAfterFirstPage: boolean) => {
      const seen: Array<{ clientId: number; clientSeq: number; actor: string }> = [];
      let cursor: NoteCursor | null = null;
      let first = true;
      for (;;) {
        const after = cursor;
        // t.run returns Convex values only: drop the bytes (checked via bootstrap below).
        const page = await t.run(async (ctx) => {
          const r = await readNoteUpdates(ctx, meetingId, after, pageSize);
          return {
            done: r.done,
            updates: r.updates.map(({ update: _u, ...rest }) => rest),
          };
        });
        for (const u of page.updates)
          seen.push({ clientId: u.clientId, clientSeq: u.clientSeq, actor: u.actor });
        if (page.updates.length > 0) cursor = page.updates[page.updates.length - 1]!.cursor;
        if (first && sealAfterFirstPage) {
          first = false;
          await t.mutation(internal.notes.seal.sealMeeting, { meetingId });
        }
        if (page.done) break;
      }
      return seen;
    };
    const expected = pushed.map((p) => `${p.clientId}:${p.clientSeq}`);
    const key = (s: { clientId: number; clientSeq: number }) => `${s.clientId}:${s.clientSeq}`;
    expect((await readAll(97, true)).map(key)).toEqual(expected);
    const segments = await t.run((ctx) => ctx.db.query("noteSegments").collect());
    const raw = await t.run((ctx) => ctx.db.query("noteUpdates").collect());
    expect(segments.length).toBeGreaterThan(0);
    expect(raw.length).toBe(RAW_TAIL_KEEP);
    expect(segments.reduce((n, s) => n + s.count, 0) + raw.length).toBe(total);
    const after = await readAll(1000, false);
    expect(after.map(key)).toEqual(expected);
    expect(
      after.every(
        (s) =>
          s.actor === (s.clientId === docs.bob.clientID ? people.bob!.userId : people.ann!.userId),
      ),
    ).toBe(true);
    // Bounded by a commitTs inside a sealed segment: exactly the updates up to it, none skipped.
    const all = await t.run(async (ctx) => {
      const r = await readNoteUpdates(ctx, meetingId, null, 10_000);
      return r.updates.map((u) => u.cursor.ts);
    });
    const firstSegment = segments.sort((a, b) => (a.toTs < b.toTs ? -1 : 1))[0]!;
    const inside = all.filter((ts) => ts < firstSegment.toTs);
    expect(inside.length).toBeGreaterThan(2);
    for (const until of [inside[1]!, inside[inside.length - 1]!]) {
      for (const pageSize of [1, 1000]) {
        const bounded: bigint[] = [];
        let from: NoteCursor | null = null;
        for (;;) {
          const start = from;
          const page = await t.run(async (ctx) => {
            const r = await readNoteUpdates(ctx, meetingId, start, pageSize, until);
            return { done: r.done, ts: r.updates.map((u) => u.cursor.ts) };
          });
          bounded.push(...page.ts);
          if (page.ts.length > 0) from = { ts: page.ts[page.ts.length - 1]! };
          if (page.done) break;
        }
        expect(bounded).toEqual(all.filter((ts) => ts <= until));
      }
    }
    // Duplicates of sealed updates are still acknowledged, not stored again.
    const again = await people.ann!.as.mutation(api.notes.push, {
      meetingId,
      clientId: docs.ann.clientID,
      clientSeq: 1,
      update: toArrayBuffer(Y.encodeStateAsUpdate(docs.ann)),
    });
    expect(again).toEqual({ ok: true, status: "duplicate" });
    // The state served after sealing is the same document.
    const boot = await people.bob!.as.query(
      api.notes.bootstrap,
      await roomArgs(people.bob!.as, meetingId),
    );
    if (!boot.ok) throw new Error(boot.message);
    const d = docFromState(boot);
    expect(d.getText("t").toString()).toBe(shared.getText("t").toString());
  });

  test("N2 a client whose every update was sealed still knows its acknowledged clientSeq", {
    timeout: 120_000,
  }, async () => {
    const { t, meetingId, people, docs } = await twoWriters();
    const seqs = { ann: 0, bob: 0 };
    const type = async (name: "ann" | "bob", text: string, seq = seqs[name] + 1) => {
      const doc = docs[name];
      const sv = Y.encodeStateVector(doc);
      doc.getText("t").insert(0, text);
      seqs[name] = Math.max(seqs[name], seq);
      return await people[name]!.as.mutation(api.notes.push, {
        meetingId,
        clientId: doc.clientID,
        clientSeq: seq,
        update: toArrayBuffer(Y.encodeStateAsUpdate(doc, sv)),
      });
    };
    for (let i = 0; i < 3; i++) expect(await type("ann", `a${i}`)).toMatchObject({ ok: true });
    const annLast = toArrayBuffer(Y.encodeStateAsUpdate(docs.ann));
    for (let i = 0; i < RAW_TAIL_KEEP + 5; i++) {
      expect(await type("bob", `${i % 10}`)).toMatchObject({ ok: true });
    }
    await t.finishInProgressScheduledFunctions();
    await t.mutation(internal.notes.seal.sealMeeting, { meetingId });
    const annId = docs.ann.clientID;
    const annRaw = await t.run(async (ctx) =>
      (await ctx.db.query("noteUpdates").collect()).filter((r) => r.clientId === annId),
    );
    expect(annRaw).toEqual([]);
    // Sealing raised the registration's floor; a reload resumes after it.
    const reg = await people.ann!.as.mutation(api.notes.registerClient, {
      meetingId,
      clientId: annId,
    });
    expect(reg).toEqual({ ok: true, lastSeq: 3 });
    // A retry of a sealed push is a duplicate; new content under a sealed key is CONFLICT.
    const retry = await people.ann!.as.mutation(api.notes.push, {
      meetingId,
      clientId: annId,
      clientSeq: 3,
      update: annLast,
    });
    expect(retry).toEqual({ ok: true, status: "duplicate" });
    expect(await type("ann", "other", 2)).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await type("ann", "next", 4)).toEqual({ ok: true, status: "stored" });
    const bobReg = await people.bob!.as.mutation(api.notes.registerClient, {
      meetingId,
      clientId: docs.bob.clientID,
    });
    // Bob's newest updates are still raw: his acknowledged sequence comes from them.
    expect(bobReg).toEqual({ ok: true, lastSeq: RAW_TAIL_KEEP + 5 });
    // Compaction (retention, erasure) deletes the raw rows too: the floors keep retries known.
    const bobLast = toArrayBuffer(Y.encodeStateAsUpdate(docs.bob));
    for (;;) {
      const step = await t.run((ctx) => retentionStep(ctx, "noteUpdates", meetingId, 500, false));
      if (step.finished) break;
    }
    expect(await t.run(async (ctx) => (await ctx.db.query("noteUpdates").collect()).length)).toBe(
      0,
    );
    const bobRetry = await people.bob!.as.mutation(api.notes.push, {
      meetingId,
      clientId: docs.bob.clientID,
      clientSeq: RAW_TAIL_KEEP + 5,
      update: bobLast,
    });
    expect(bobRetry).toEqual({ ok: true, status: "duplicate" });
    expect(await type("ann", "after", 5)).toEqual({ ok: true, status: "stored" });
    expect(await type("ann", "again", 4)).toMatchObject({ ok: false, code: "CONFLICT" });
  });
});
