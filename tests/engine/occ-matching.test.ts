/**
 * Matching under the engine's conflict mode (Convex's optimistic concurrency,
 * simulated): several cycles started at once race over the same waiting
 * people, and then both people of every proposal accept at the same moment
 * (one of them twice, as a resent click) while another cycle runs. Nobody
 * ends in two pending proposals, and every accepted match has exactly one
 * meeting with both people in it; no mutation fails for good.
 */
import type { UserIdentity } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { profileOf } from "../matching/people";
import { startOccAppEngine } from "./helpers";

/** People in the queue: enough for several proposals per cycle, few enough for 2 cores. */
const PEOPLE = 10;

let engine: Engine;
beforeAll(async () => {
  engine = await startOccAppEngine();
});
afterAll(async () => {
  await engine.close();
});

type Status = {
  entry: { status: string } | null;
  proposal: { _id: string; other: { userId: string } } | null;
  recent: { _id: string; status: string; meetingId: string | null }[];
};

function who(n: number): UserIdentity {
  return {
    ...engine.devIdentity(`occ-match-${n}`),
    name: `Match ${n}`,
    org_id: "org_occ",
  } as UserIdentity;
}

async function waitUntil(pred: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const status = (n: number) => engine.run("matching:status", {}, who(n)) as Promise<Status>;

describe("matching in conflict mode", () => {
  it("racing cycles and accepts: one proposal per person, one meeting per accepted match", async () => {
    const people = Array.from({ length: PEOPLE }, (_, n) => n);
    for (const n of people) {
      const r = (await engine.run(
        "profiles:update",
        { ...profileOf(`Match ${n}`), completeOnboarding: true },
        who(n),
      )) as { ok: boolean };
      expect(r.ok).toBe(true);
    }
    const now = Date.now();
    await Promise.all(
      people.map((n) =>
        engine.run(
          "matching:enter",
          { window: { start: now, end: now + 4 * 3_600_000 }, durationMinutes: 30 },
          who(n),
        ),
      ),
    );
    // The entries' embeds run now and kick a cycle; three more start at once, forced, racing it.
    await Promise.all(
      [1, 2, 3].map((i) =>
        engine.run("matching/cycle:start", { reason: `race ${i}`, force: true }),
      ),
    );
    // Someone embedded after the racing cycles began waits for a later cycle: start one a second.
    await waitUntil(async () => {
      const all = await Promise.all(people.map(status));
      if (all.every((s) => s.entry?.status === "proposed")) return true;
      await engine.run("matching/cycle:start", { reason: "catch up", force: true });
      await new Promise((r) => setTimeout(r, 1000));
      return false;
    });
    const all = await Promise.all(people.map(status));
    const pending = new Map<string, number[]>();
    for (const [n, s] of all.entries()) {
      const id = s.proposal!._id;
      pending.set(id, [...(pending.get(id) ?? []), n]);
    }
    // Every proposal has exactly its two people, so nobody is in two.
    expect([...pending.values()].every((ns) => ns.length === 2)).toBe(true);
    expect(pending.size).toBe(PEOPLE / 2);
    // Both accept at once (one twice), while another cycle runs.
    await Promise.all([
      engine.run("matching/cycle:start", { reason: "during accepts", force: true }),
      ...[...pending].flatMap(([proposalId, [a, b]]) => [
        engine.run("matching:respond", { proposalId, accept: true }, who(a!)),
        engine.run("matching:respond", { proposalId, accept: true }, who(b!)),
        engine.run("matching:respond", { proposalId, accept: true }, who(a!)),
      ]),
    ]);
    for (const [proposalId, [a, b]] of pending) {
      const meetingIds = new Set<string>();
      for (const n of [a!, b!]) {
        const s = await status(n);
        const p = s.recent.find((x) => x._id === proposalId);
        expect(p?.status).toBe("accepted");
        meetingIds.add(p!.meetingId!);
        const mine = (await engine.run("meetings:listMine", {}, who(n))) as {
          upcoming: { _id: string; title: string }[];
        };
        expect(mine.upcoming.filter((m) => m.title.startsWith("Connvo match"))).toHaveLength(1);
        expect(mine.upcoming.map((m) => m._id)).toContain(p!.meetingId);
      }
      expect(meetingIds.size).toBe(1);
      const participants = (await engine.run(
        "participants:list",
        { meetingId: [...meetingIds][0] },
        who(a!),
      )) as {
        userId: string;
      }[];
      expect(participants).toHaveLength(2);
    }
    const occ = engine.occStats();
    expect(occ.failures).toBe(0);
    expect(occ.checked).toBeGreaterThan(0);
  }, 120_000);
});
