/**
 * Two providers co-edit the TipTap fragment through the real `ConvexClient`
 * and the embedded engine; an edit made while the engine is down (restart on
 * the same port and data dir) arrives after it comes back, once; the
 * server's `meetingNotes` view shows the converged text.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import { PUSH_LIMIT_ENV } from "../../convex/notes/push";
import { NotesProvider } from "../../crdt/provider";
import { type Engine, startEngine } from "../../engine/engine";
import { connectAgents } from "../../scripts/trace/agents";
import { convexClientTransport } from "../../scripts/trace/gatedTransport";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, pred: () => boolean | Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function paragraph(doc: Y.Doc, text: string) {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment("default").push([p]);
}
const paragraphs = (doc: Y.Doc) =>
  doc
    .getXmlFragment("default")
    .toArray()
    .map((n) =>
      n instanceof Y.XmlElement
        ? n
            .toArray()
            .map((c) => c.toString())
            .join("")
        : "",
    );

describe("notes through the embedded engine", () => {
  test("two clients co-edit, survive an engine restart, and the view converges", {
    timeout: 120_000,
  }, async () => {
    process.env[PUSH_LIMIT_ENV] = "off";
    const dataDir = mkdtempSync(join(tmpdir(), "notes-engine-"));
    const opts = { sitePort: null, dataDir, logLevel: "silent" as const, crons: false, occ: true };
    let engine: Engine = await startEngine({ port: 0, reset: true, ...opts });
    const port = Number(new URL(engine.url).port);
    const { meetingId, clients } = await connectAgents(engine, 2);
    const [a, b] = clients.map(
      (c) =>
        new NotesProvider({ meetingId, transport: convexClientTransport(c, null), coalesceMs: 20 }),
    ) as [NotesProvider<typeof meetingId>, NotesProvider<typeof meetingId>];
    try {
      await a.connect();
      await b.connect();
      paragraph(a.doc, "Agenda from Ann");
      paragraph(b.doc, "Notes from Bob");
      await Promise.all([a.flush(), b.flush()]);
      await until(
        "co-editing to converge",
        () => paragraphs(a.doc).length === 2 && paragraphs(b.doc).length === 2,
      );
      expect(paragraphs(a.doc)).toEqual(paragraphs(b.doc));

      await engine.close();
      paragraph(a.doc, "Typed while the server was down");
      await sleep(100);
      engine = await startEngine({ port, ...opts });
      await a.flush();
      await until("the offline edit to reach Bob", () => paragraphs(b.doc).length === 3);
      expect(paragraphs(b.doc)).toEqual(paragraphs(a.doc));
      const expected = paragraphs(a.doc).join("\n");
      await until("the meetingNotes view", async () => {
        const view = await clients[0]!.query(api.meetingNotes.get, { meetingId });
        return view?.text === expected;
      });
      const rows = (await engine.run("notes/stats:logStatsPage", {
        meetingId,
        table: "noteUpdates",
        cursor: null,
      })) as { updates: number };
      expect(rows.updates).toBe(3);
    } finally {
      a.destroy();
      b.destroy();
      for (const c of clients) await c.close();
      await engine.close();
      delete process.env[PUSH_LIMIT_ENV];
    }
  });
});
