/**
 * Erasure on the embedded engine (issue 18): the real `convex/` app with a
 * data directory. Piadora writes notes, speaks and chats in Hana's live
 * meeting, then erases herself; once the run is done and the search fan-out
 * has caught up, the engine is closed (which compacts its journal into the
 * snapshot) and no file of the data directory holds her name, email or the
 * words she typed, while Hana's words are still there.
 *
 * Before compaction the journal still holds earlier versions of rewritten
 * documents (the engine's history, like Convex's own): README "Erasure" says so.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { UserIdentity } from "convex/server";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type Engine, startEngine } from "../../engine/engine";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import { tempDataDir } from "./helpers";

const MARKERS = ["Piadora", "piadora@example.org", "walrus", "narwhal", "okapi"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A file's text plus every `{"$bytes": …}` value decoded (Yjs updates, blobs are bytes). */
function readable(file: string): { text: string; bytes: string } {
  const text = readFileSync(file, "latin1");
  let bytes = "";
  for (const m of text.matchAll(/"\$bytes":"([A-Za-z0-9+/=]*)"/g))
    bytes += `${Buffer.from(m[1]!, "base64").toString("latin1")}\n`;
  return { text, bytes };
}

async function until<T>(what: string, probe: () => Promise<T | null>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let engine: Engine | null = null;
afterAll(async () => {
  await engine?.close();
});

describe("erasure on the engine's data directory", () => {
  it("leaves none of the person's name, email or words in any file once the journal is compacted", async () => {
    const dataDir = tempDataDir();
    engine = await startEngine({ port: 0, dataDir, logLevel: "silent", crons: false });
    const e = engine;
    const who = (subject: string, name: string, email: string): UserIdentity =>
      ({ ...e.devIdentity(subject), name, email, emailVerified: true }) as UserIdentity;
    const hana = who("subject-h1", "Hana Host", "hana.host@example.org");
    const pia = who("subject-p7", "Piadora Quill", "piadora@example.org");
    const piaId = ((await e.run("users:ensure", {}, pia)) as { _id: string })._id;
    await e.run("users:ensure", {}, hana);
    const scheduled = (await e.run(
      "meetings:schedule",
      {
        title: "Engine erasure",
        scheduledAt: Date.now(),
        durationMinutes: 30,
        invitees: [{ userId: piaId, role: "participant" }],
      },
      hana,
    )) as { ok: boolean; meetingId: string };
    const meetingId = scheduled.meetingId;
    await e.run("meetings:start", { meetingId }, hana);
    await e.run("participants:join", { meetingId }, pia);

    const write = async (as: UserIdentity, line: string, base?: Uint8Array) => {
      const doc = new Y.Doc();
      if (base) Y.applyUpdate(doc, base);
      await e.run("notes:registerClient", { meetingId, clientId: doc.clientID }, as);
      const before = Y.encodeStateVector(doc);
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(line)]);
      doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
      const update = Y.encodeStateAsUpdate(doc, before);
      await e.run(
        "notes:push",
        { meetingId, clientId: doc.clientID, clientSeq: 1, update: update.slice().buffer },
        as,
      );
      return Y.encodeStateAsUpdate(doc);
    };
    const state = await write(pia, "the walrus agenda");
    await write(hana, "hana keeps the budget", state);
    await e.run(
      "transcripts:append",
      {
        meetingId,
        interim: false,
        text: "the narwhal numbers",
        confidence: 0.9,
        startMs: 0,
        endMs: 900,
        idempotencyKey: "p1",
      },
      pia,
    );
    await e.run("chat:send", { meetingId, text: "okapi link", idempotencyKey: "c1" }, pia);
    await e.run("chat:send", { meetingId, text: "hana says hi", idempotencyKey: "c2" }, hana);
    await until("the notes view", async () => {
      const n = (await e.run("meetingNotes:get", { meetingId }, hana)) as { text: string } | null;
      return n?.text.includes("walrus") && n.text.includes("hana keeps") ? n : null;
    });

    await e.run("erasure:eraseMe", { confirm: "erase my data" }, pia);
    await until("the erasure", async () => {
      const s = (await e.run("erasure:status", {}, pia)) as { phase: string } | null;
      return s?.phase === "done" ? s : null;
    });
    await until("search to forget her words", async () => {
      const hits = (await e.run("search:meetings", { query: "walrus" }, hana)) as unknown[];
      return hits.length === 0 ? true : null;
    });
    const notes = (await e.run("meetingNotes:get", { meetingId }, hana)) as { text: string };
    expect(notes.text).toContain("hana keeps the budget");
    expect(notes.text).not.toContain("walrus");

    await e.close();
    engine = null;
    const hits: string[] = [];
    let hanasInBytes = 0;
    for (const file of filesUnder(dataDir)) {
      const { text, bytes } = readable(file);
      for (const m of MARKERS)
        if (text.includes(m) || bytes.includes(m)) hits.push(`${file}: ${m}`);
      // Hana's characters sit in the note log's Yjs bytes: the decoding sees inside them.
      if (bytes.includes("hana keeps the budget")) hanasInBytes++;
    }
    expect(hits).toEqual([]);
    expect(hanasInBytes).toBeGreaterThan(0);
  }, 120_000);
});
