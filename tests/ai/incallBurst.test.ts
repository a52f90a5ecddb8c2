/**
 * The in-call limit under load, through the embedded engine with the real
 * Convex clients and its OCC conflict mode: a burst of triggers from every
 * participant yields exactly one generation per 30 s window; the refused
 * ones answer RATE_LIMITED with the wait; no mutation fails for good; and
 * while a window holds, further bursts cause no conflicts at all (the slot
 * is read, not written). The granted trigger's job runs under the action
 * retrier component inside the engine and its prompt reaches the room.
 */
import type { ConvexClient } from "convex/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import { type Engine, startEngine } from "../../engine/engine";
import { signedInClient, tempDataDir } from "../engine/helpers";
import { waitFor } from "./fakeOpenAi";

/** Why: a full room of a Connvo call is under a dozen people; each sends a few triggers at once. */
const CLIENTS = 10;
const TRIGGERS_PER_CLIENT = 3;

let engine: Engine;
const clients: ConvexClient[] = [];

beforeAll(async () => {
  engine = await startEngine({
    port: 0,
    dataDir: tempDataDir(),
    logLevel: "silent",
    crons: false,
    occ: true,
  });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await engine.close();
});

function signedIn(subject: string, name: string): Promise<ConvexClient> {
  return signedInClient(engine, clients, subject, name);
}

describe("in-call prompts: one per 30 s per meeting, under a burst", () => {
  it("grants one trigger of a burst from every client, conflict-free while the window holds", async () => {
    const people: ConvexClient[] = [];
    for (let i = 0; i < CLIENTS; i++) people.push(await signedIn(`burst-${i}`, `Person ${i}`));
    const ids = [];
    for (const p of people.slice(1)) ids.push((await p.mutation(api.users.ensure, {}))._id);
    const host = people[0]!;
    const s = await host.mutation(api.meetings.schedule, {
      title: "Burst",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: ids.map((userId) => ({ userId, role: "participant" as const })),
    });
    if (!s.ok) throw new Error(s.message);
    const meetingId = s.meetingId;
    expect(await host.mutation(api.meetings.start, { meetingId })).toMatchObject({ ok: true });
    for (const p of people.slice(1))
      expect(await p.mutation(api.participants.join, { meetingId })).toMatchObject({ ok: true });

    const before = engine.occStats();
    const burst = async () =>
      await Promise.all(
        people.flatMap((p) =>
          Array.from({ length: TRIGGERS_PER_CLIENT }, () =>
            p.mutation(api.ai.prompts.trigger, { meetingId, reason: "request" }),
          ),
        ),
      );
    const first = await burst();
    const granted = first.filter((r) => r.ok);
    expect(granted).toHaveLength(1);
    for (const r of first.filter((x) => !x.ok)) {
      expect(r).toMatchObject({ ok: false, code: "RATE_LIMITED" });
      if (!r.ok) expect(r.retryAfterMs).toBeGreaterThan(25_000);
    }
    const mid = engine.occStats();
    expect(mid.checked).toBeGreaterThan(before.checked); // the conflict mode saw these commits
    expect(mid.failures - before.failures).toBe(0);
    // Conflicts are bounded by the racers of the window's opening, never one per trigger.
    expect(
      (mid.byFunction["ai/prompts:trigger"] ?? 0) - (before.byFunction["ai/prompts:trigger"] ?? 0),
    ).toBeLessThan(CLIENTS * TRIGGERS_PER_CLIENT);

    const second = await burst();
    expect(second.filter((r) => r.ok)).toHaveLength(0);
    const after = engine.occStats();
    expect(
      (after.byFunction["ai/prompts:trigger"] ?? 0) - (mid.byFunction["ai/prompts:trigger"] ?? 0),
    ).toBe(0);
    expect(after.failures - before.failures).toBe(0);

    // The job ran under the retrier component inside the engine; its prompt reaches every client.
    const list = await waitFor(async () => {
      const r = await people[3]!.query(api.ai.prompts.list, { meetingId, kind: "incall" });
      return r.prompts.length > 0 ? r : null;
    });
    expect(list.prompts).toHaveLength(1);
    expect(list.prompts[0]!.provider).toBe("local-templates");
    expect(list.prompts[0]!.trigger).toBe("request");
  }, 60_000);
});
