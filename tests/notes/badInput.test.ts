/**
 * The bad-input catalogue: every malformed, hostile or misdirected push is
 * refused with a coded result, nothing is stored, and the canonical state
 * (what `bootstrap` serves) stays byte-identical. Hang cases run under a
 * short test timeout (the bound), not a timed assertion.
 *
 * Property (random bytes): for any byte string up to 512 bytes, `push`
 * answers `{ok:false, code}` without throwing, and stores nothing.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import { toArrayBuffer } from "../../crdt/updates";
import { roomArgs } from "../harness/roomKey";
import { docFromState, type FixturePerson, makeMeeting } from "./fixtures";
import { type NotesWorld, notesWorld } from "./world";

/** yjs issue 687: 27-byte V2 payload that hangs `mergeUpdatesV2` / the V2 decoders. */
const YJS_687 = Uint8Array.from(
  Buffer.from("00010000000001000100010200001602000001fdffffffff7f0000", "hex"),
);
/** yjs issue 479: base64 "garbagedoc" looped forever in lib0's readVarUint. */
const YJS_479 = Uint8Array.from(Buffer.from("garbagedoc", "base64"));
/** yjs issue 498: a zero-length update looped forever. */
const YJS_498 = new Uint8Array(0);
/** lib0 issue 42: continuation bytes running off the end of the buffer. */
const LIB0_42 = Uint8Array.from([200, 200, 200, 200]);

type World = NotesWorld;

function world(): Promise<World> {
  return notesWorld((doc) => doc.getText("t").insert(0, "canonical text"));
}

async function canonical(w: World): Promise<{ rows: number; state: Uint8Array }> {
  const rows = (await w.t.run((ctx) => ctx.db.query("noteUpdates").collect())).length;
  const boot = await w.ann.as.query(api.notes.bootstrap, await roomArgs(w.ann.as, w.meetingId));
  if (!boot.ok) throw new Error(boot.message);
  // Canonical bytes: the V1 encoding of the served state, whichever encoding served it.
  return { rows, state: Y.encodeStateAsUpdate(docFromState(boot)) };
}

async function pushRaw(w: World, bytes: Uint8Array, who: FixturePerson = w.ann) {
  w.seq++;
  return await who.as.mutation(api.notes.push, {
    meetingId: w.meetingId,
    clientId: w.doc.clientID,
    clientSeq: w.seq,
    update: toArrayBuffer(bytes),
  });
}

async function expectRefused(w: World, bytes: Uint8Array, code: string) {
  const before = await canonical(w);
  const r = await pushRaw(w, bytes);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.code).toBe(code);
  const after = await canonical(w);
  expect(after.rows).toBe(before.rows);
  expect(after.state).toEqual(before.state);
}

function validUpdate(doc: Y.Doc, text: string): Uint8Array {
  const sv = Y.encodeStateVector(doc);
  const copy = new Y.Doc();
  copy.clientID = doc.clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  copy.getText("t").insert(copy.getText("t").length, text);
  return Y.encodeStateAsUpdate(copy, sv);
}

describe("bad input is refused with a code, stores nothing, leaves state identical", () => {
  test.each([
    ["yjs issue 687 (V2 run-length hang)", YJS_687],
    ["yjs issue 479 (garbage)", YJS_479],
    ["yjs issue 498 (empty)", YJS_498],
    ["lib0 issue 42 (varint off the end)", LIB0_42],
  ])("N1 N12 %s", { timeout: 5000 }, async (_name, bytes) => {
    const w = await world();
    await expectRefused(w, bytes, "VALIDATION_ERROR");
  });

  test("N12 a valid update in the V2 encoding is refused (V1 only)", {
    timeout: 5000,
  }, async () => {
    const w = await world();
    const d = new Y.Doc();
    d.clientID = w.doc.clientID;
    Y.applyUpdate(d, Y.encodeStateAsUpdate(w.doc));
    const sv = Y.encodeStateVector(d);
    d.getText("t").insert(0, "v2 ");
    await expectRefused(w, Y.encodeStateAsUpdateV2(d, sv), "VALIDATION_ERROR");
  });

  test("N1 N12 every truncation of a valid update is refused", { timeout: 20_000 }, async () => {
    const w = await world();
    const good = validUpdate(w.doc, " and more");
    for (let len = 0; len < good.byteLength; len++) {
      await expectRefused(w, good.slice(0, len), "VALIDATION_ERROR");
    }
  });

  test("N12 bit-flipped updates are refused, or stored only as a valid update of the sender", {
    timeout: 30_000,
  }, async () => {
    const w = await world();
    const good = validUpdate(w.doc, "xy");
    let refusedCount = 0;
    for (let bit = 0; bit < good.byteLength * 8; bit++) {
      const flipped = good.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const before = await canonical(w);
      const r = await pushRaw(w, flipped);
      const after = await canonical(w);
      if (!r.ok) {
        refusedCount++;
        expect(["VALIDATION_ERROR", "FORBIDDEN"]).toContain(r.code);
        expect(after.rows).toBe(before.rows);
        expect(after.state).toEqual(before.state);
      } else {
        // Accepted: it decoded, carries only the sender's client id, and the state still loads.
        expect(after.rows).toBe(before.rows + 1);
        const d = new Y.Doc();
        Y.applyUpdate(d, after.state); // V1 (see canonical)
        expect([...d.store.clients.keys()].every((id) => id === w.doc.clientID)).toBe(true);
      }
    }
    expect(refusedCount).toBeGreaterThan(0);
  });

  test("N12 an oversized update is refused", async () => {
    const w = await world();
    await expectRefused(w, validUpdate(w.doc, "x".repeat(300 * 1024)), "VALIDATION_ERROR");
  });

  test("N3 an update carrying another client's Yjs id is refused", async () => {
    const w = await world();
    const bobDoc = new Y.Doc();
    await w.bob.as.mutation(api.notes.registerClient, {
      meetingId: w.meetingId,
      clientId: bobDoc.clientID,
    });
    bobDoc.getText("t").insert(0, "bob's");
    // Ann pushes, under her own registered client id, structs authored as Bob's id.
    await expectRefused(w, Y.encodeStateAsUpdate(bobDoc), "FORBIDDEN");
  });

  test("N1 an update for another meeting is refused", async () => {
    const w = await world();
    const other = await makeMeeting(w.t, { zed: "host" });
    const before = await canonical(w);
    const r = await w.ann.as.mutation(api.notes.push, {
      meetingId: other.meetingId,
      clientId: w.doc.clientID,
      clientSeq: 99,
      update: toArrayBuffer(validUpdate(w.doc, "elsewhere")),
    });
    expect(r.ok === false && r.code).toBe("FORBIDDEN");
    expect(await canonical(w)).toEqual(before);
  });

  test("N1 random bytes are refused without throwing (property)", { timeout: 60_000 }, async () => {
    const w = await world();
    const before = await canonical(w);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 512 }), async (bytes) => {
        const r = await pushRaw(w, bytes);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 150, seed: 4242 },
    );
    expect(await canonical(w)).toEqual(before);
  });

  test("N1 a flood of bad pushes spends rate-limit tokens (refusals are results, not throws)", {
    timeout: 60_000,
  }, async () => {
    const w = await world();
    let limited = false;
    for (let i = 0; i < 400 && !limited; i++) {
      const r = await pushRaw(w, YJS_479);
      if (!r.ok && r.code === "RATE_LIMITED") limited = true;
    }
    expect(limited).toBe(true);
  });
});
