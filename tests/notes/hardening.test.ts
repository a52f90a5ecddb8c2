/**
 * Regression tests of the notes findings of issue 12, one per finding, plus
 * the bad-update fuzzer extended to what matters (N12, N14):
 *
 * Invariant (bit flips of a TipTap edit): every flipped update the server
 * accepts applies on a fresh client and on the current state, the state
 * renders in the view, and every connected provider keeps applying later
 * edits, its own later edits still reaching the server.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { api, internal } from "../../convex/_generated/api";
import { NotesProvider } from "../../crdt/provider";
import { toArrayBuffer, validateUpdate } from "../../crdt/updates";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import { deriveNotes } from "../../projections/meetingNotes/notesView";
import { roomArgs } from "../harness/roomKey";
import { docFromState } from "./fixtures";
import { TestHub, TestLink } from "./testTransport";
import { type NotesWorld, notesWorld } from "./world";

/** The update of `fn`'s changes to `doc`. */
function edit(doc: Y.Doc, fn: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  fn();
  return Y.encodeStateAsUpdate(doc, before);
}

/** A paragraph holding `text`, appended to the TipTap fragment of `doc`. */
function paragraph(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  const f = doc.getXmlFragment(NOTES_FRAGMENT);
  f.insert(f.length, [p]);
}

type World = NotesWorld;

function world(): Promise<World> {
  return notesWorld((doc) => paragraph(doc, "Agenda: launch"));
}

async function push(w: World, bytes: Uint8Array, seq?: number) {
  if (seq === undefined) w.seq++;
  return await w.ann.as.mutation(api.notes.push, {
    meetingId: w.meetingId,
    clientId: w.doc.clientID,
    clientSeq: seq ?? w.seq,
    update: toArrayBuffer(bytes),
  });
}

/** A live provider of the meeting's notes over `transport` (short coalescing for tests). */
function provider(w: World, transport: TestLink["transport"]): NotesProvider {
  return new NotesProvider({ meetingId: w.meetingId, transport, coalesceMs: 5 });
}

async function served(w: World): Promise<Y.Doc> {
  const boot = await w.bob.as.query(api.notes.bootstrap, await roomArgs(w.bob.as, w.meetingId));
  if (!boot.ok) throw new Error(boot.message);
  return docFromState(boot);
}

async function rows(w: World): Promise<number> {
  return (await w.t.run((ctx) => ctx.db.query("noteUpdates").collect())).length;
}

describe("issue 12 findings (notes)", () => {
  test("N12 finding 2: a number put into the TipTap fragment is refused", async () => {
    const w = await world();
    const d = new Y.Doc();
    Y.applyUpdate(d, Y.encodeStateAsUpdate(w.doc));
    d.clientID = w.doc.clientID;
    // The fragment's root used as an array: a number where only editor nodes may be.
    const bad = edit(d, () => d.getArray(NOTES_FRAGMENT).insert(0, [42]));
    expect(bad.byteLength).toBeLessThan(40);
    const before = await rows(w);
    const r = await push(w, bad);
    expect(r.ok === false && r.code).toBe("VALIDATION_ERROR");
    expect(await rows(w)).toBe(before);
    expect(deriveNotes(await served(w)).text).toBe("Agenda: launch");
  });

  test("N12 finding 2: 5,000 nested XML elements are refused", async () => {
    const w = await world();
    const d = new Y.Doc();
    Y.applyUpdate(d, Y.encodeStateAsUpdate(w.doc));
    d.clientID = w.doc.clientID;
    const bad = edit(d, () => {
      let parent: Y.XmlFragment = d.getXmlFragment(NOTES_FRAGMENT);
      for (let i = 0; i < 5000; i++) {
        const el = new Y.XmlElement("blockquote");
        parent.insert(parent.length, [el]);
        parent = el;
      }
    });
    const r = await push(w, bad);
    expect(r.ok === false && r.code).toBe("VALIDATION_ERROR");
    expect(r.ok === false && r.message).toMatch(/deeper/);
  });

  test("N12 an unknown node, an unknown mark and text outside a textblock are refused", async () => {
    const w = await world();
    const attempts = [
      (d: Y.Doc) => d.getXmlFragment(NOTES_FRAGMENT).insert(0, [new Y.XmlElement("script")]),
      (d: Y.Doc) => {
        const p = new Y.XmlElement("paragraph");
        const x = new Y.XmlText();
        p.insert(0, [x]);
        d.getXmlFragment(NOTES_FRAGMENT).insert(0, [p]);
        x.insert(0, "x", { blink: true });
      },
      (d: Y.Doc) => d.getXmlFragment(NOTES_FRAGMENT).insert(0, [new Y.XmlText("loose")]),
    ];
    for (const make of attempts) {
      const d = new Y.Doc();
      Y.applyUpdate(d, Y.encodeStateAsUpdate(w.doc));
      d.clientID = w.doc.clientID;
      const r = await push(
        w,
        edit(d, () => make(d)),
      );
      expect(r.ok === false && r.code).toBe("VALIDATION_ERROR");
    }
    // A valid TipTap edit (a heading with a bold run) goes through.
    const good = edit(w.doc, () => {
      const h = new Y.XmlElement("heading");
      h.setAttribute("level", "2" as never);
      const x = new Y.XmlText();
      h.insert(0, [x]);
      w.doc.getXmlFragment(NOTES_FRAGMENT).insert(1, [h]);
      x.insert(0, "Risks", { bold: true });
    });
    expect(await push(w, good)).toEqual({ ok: true, status: "stored" });
  });

  test("N2 finding 5: a reused (clientId, clientSeq) with other bytes is CONFLICT, the same bytes duplicate", async () => {
    const w = await world();
    const u = edit(w.doc, () => paragraph(w.doc, "second"));
    expect(await push(w, u)).toEqual({ ok: true, status: "stored" });
    expect(await push(w, u, w.seq)).toEqual({ ok: true, status: "duplicate" });
    const other = edit(w.doc, () => paragraph(w.doc, "third"));
    const r = await push(w, other, w.seq);
    expect(r.ok === false && r.code).toBe("CONFLICT");
    expect(deriveNotes(await served(w)).text).toBe("Agenda: launch\nsecond");
  });

  test("N2 a retry that changes nothing is duplicate even when it holds others' stored structs", async () => {
    const w = await world();
    const imported = await w.t.mutation(internal.notes.importText, {
      meetingId: w.meetingId,
      actor: "system:import",
      text: "Imported",
    });
    expect(imported).toEqual({ ok: true, status: "stored" });
    const before = await rows(w);
    // The whole served state (the server edit's client id included) re-sent under a used key.
    const whole = Y.encodeStateAsUpdate(await served(w));
    expect(await push(w, whole, w.seq)).toEqual({ ok: true, status: "duplicate" });
    expect(await rows(w)).toBe(before);
    // Under a new key the foreign structs are still refused (N3).
    const fresh = await push(w, whole);
    expect(fresh.ok === false && fresh.code).toBe("FORBIDDEN");
  });

  test("N3 finding 8: client id -0 is 0, never a second registration", async () => {
    const w = await world();
    const zero = await w.ann.as.mutation(api.notes.registerClient, {
      meetingId: w.meetingId,
      clientId: 0,
    });
    expect(zero).toEqual({ ok: true, lastSeq: 0 });
    const minusZero = await w.bob.as.mutation(api.notes.registerClient, {
      meetingId: w.meetingId,
      clientId: -0,
    });
    expect(minusZero.ok === false && minusZero.code).toBe("CONFLICT");
    const regs = await w.t.run((ctx) => ctx.db.query("noteClients").collect());
    expect(regs.filter((r) => r.clientId === 0)).toHaveLength(1);
    expect(regs.some((r) => Object.is(r.clientId, -0))).toBe(false);
  });

  test("N13 finding 4: server edits work while the state holds another client's pending structs", async () => {
    const w = await world();
    // Ann stores an update whose dependency never arrives: it waits in every state.
    const d = new Y.Doc();
    Y.applyUpdate(d, Y.encodeStateAsUpdate(w.doc));
    d.clientID = w.doc.clientID;
    edit(d, () => paragraph(d, "lost"));
    const orphan = edit(d, () => paragraph(d, "waits"));
    expect(await push(w, orphan)).toEqual({ ok: true, status: "stored" });
    expect((await served(w)).store.pendingStructs).not.toBeNull();
    const r = await w.t.mutation(internal.notes.importText, {
      meetingId: w.meetingId,
      actor: "system:import",
      text: "Imported",
    });
    expect(r).toEqual({ ok: true, status: "stored" });
    expect(deriveNotes(await served(w)).text).toBe("Agenda: launch\nImported");
  });

  test("N12 finding 3: a bit flip that passes a scratch doc but throws on the state is refused", async () => {
    const w = await world();
    const good = edit(w.doc, () => {
      const x = (w.doc.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      x.insert(6, " and");
    });
    const state = Y.encodeStateAsUpdate(await served(w));
    const throwing: Uint8Array[] = [];
    for (let bit = 0; bit < good.byteLength * 8; bit++) {
      const f = good.slice();
      f[bit >> 3]! ^= 1 << (bit & 7);
      if (!validateUpdate(f).ok) continue;
      const copy = new Y.Doc();
      Y.applyUpdate(copy, state);
      try {
        Y.applyUpdate(copy, f);
      } catch {
        throwing.push(f);
      }
    }
    // The finding needs such updates to exist for this edit; each is refused, nothing stored.
    expect(throwing.length).toBeGreaterThan(0);
    const before = await rows(w);
    for (const f of throwing) {
      const r = await push(w, f);
      expect(r.ok === false && r.code).toBe("VALIDATION_ERROR");
    }
    expect(await rows(w)).toBe(before);
  });
});

describe("bad-update fuzzer: accepted means safe for every reader (N12, N14)", () => {
  test("N12 N14 every accepted bit flip applies fresh and on the state, renders, and providers go on", {
    timeout: 120_000,
  }, async () => {
    const w = await world();
    const hub = new TestHub();
    const a = provider(w, new TestLink(hub, w.ann.as).transport);
    const b = provider(w, new TestLink(hub, w.bob.as).transport);
    const errors: string[] = [];
    b.on("error", (e) => errors.push(e.code));
    await a.connect();
    await b.connect();
    const good = edit(w.doc, () => {
      const x = (w.doc.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      x.insert(0, "New ");
    });
    let accepted = 0;
    for (let bit = 0; bit < good.byteLength * 8; bit++) {
      const f = good.slice();
      f[bit >> 3]! ^= 1 << (bit & 7);
      const r = await push(w, f);
      if (!r.ok) {
        expect(["VALIDATION_ERROR", "FORBIDDEN"]).toContain(r.code);
        continue;
      }
      accepted++;
      // Applies on a fresh client (bootstrap) and renders in the view.
      const fresh = await served(w);
      expect(() => deriveNotes(fresh)).not.toThrow();
    }
    expect(accepted).toBeGreaterThan(0);
    // Every connected provider still applies later edits, and its own edits reach the server.
    paragraph(a.doc, "from Ann after the fuzz");
    await a.flush();
    await hub.deliver();
    await new Promise((r) => setTimeout(r, 0));
    paragraph(b.doc, "from Bob after the fuzz");
    await b.flush();
    await hub.deliver();
    await new Promise((r) => setTimeout(r, 0));
    const text = deriveNotes(await served(w)).text;
    expect(text).toContain("from Ann after the fuzz");
    expect(text).toContain("from Bob after the fuzz");
    expect(deriveNotes(b.doc).text).toContain("from Ann after the fuzz");
    expect(deriveNotes(a.doc).text).toContain("from Bob after the fuzz");
    expect(errors).not.toContain("APPLY_FAILED");
    a.destroy();
    b.destroy();
  });

  test("N14 finding 3: a provider that cannot apply a delivered update resyncs and goes on", async () => {
    const w = await world();
    const hub = new TestHub();
    const a = provider(w, new TestLink(hub, w.ann.as).transport);
    const bLink = new TestLink(hub, w.bob.as);
    const b = provider(w, bLink.transport);
    const resyncs: string[] = [];
    const errors: string[] = [];
    b.on("resync", (why) => resyncs.push(why));
    b.on("error", (e) => errors.push(e.code));
    // Once armed, Bob's first delivery of an update he was not sent before carries bytes his
    // doc cannot apply (a truncated update). Answers may re-send updates he holds (pullPolicy.ts).
    const sent = new Set<bigint>();
    let armed = false;
    let corrupted = 0;
    bLink.filterPull = (answer) => {
      if (!answer.ok) return answer;
      const updates = answer.updates.map((u) => {
        if (!armed || sent.has(u.ts) || corrupted > 0) return u;
        corrupted++;
        return { ...u, update: toArrayBuffer(new Uint8Array(u.update).slice(0, 9)) };
      });
      for (const u of answer.updates) sent.add(u.ts);
      return { ...answer, updates };
    };
    await a.connect();
    await b.connect();
    await hub.deliver();
    await new Promise((r) => setTimeout(r, 10));
    armed = true;
    paragraph(a.doc, "one");
    await a.flush();
    await hub.deliver();
    await new Promise((r) => setTimeout(r, 10));
    await hub.deliver();
    expect(corrupted).toBe(1);
    expect(errors).toContain("APPLY_FAILED");
    expect(resyncs).toContain("apply-failed");
    // The resync brought the real update; later remote edits keep arriving ...
    expect(deriveNotes(b.doc).text).toContain("one");
    paragraph(a.doc, "two");
    await a.flush();
    await hub.deliver();
    await new Promise((r) => setTimeout(r, 0));
    expect(deriveNotes(b.doc).text).toContain("two");
    // ... and Bob's own edits still reach the server.
    paragraph(b.doc, "Bob after");
    await b.flush();
    expect(deriveNotes(await served(w)).text).toContain("Bob after");
    a.destroy();
    b.destroy();
  });
});
