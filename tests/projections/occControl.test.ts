/**
 * Finding 1 (engine OCC simulation): the first appends that race after a
 * deploy must not conflict on a shared `projectionControl` row. Appends only
 * read control rows (created by `projections:ensureControls` at start, or
 * scheduled by an append that finds one missing), so first appends to
 * different meetings, started in one tick with no warm-up, never conflict.
 */
import type { UserIdentity } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { occPerson, startOccAppEngine } from "../engine/helpers";

/** Meetings appended to concurrently; enough to interleave, few enough for 2 cores. */
const MEETINGS = 5;

let engine: Engine;
beforeAll(async () => {
  engine = await startOccAppEngine();
});
afterAll(async () => {
  await engine.close();
});

function person(n: number): UserIdentity {
  return occPerson(engine, `occ-control-${n}`, `Host ${n}`, "org_occ_control");
}

/**
 * Wait until no commit happened for `quietMs`: the projector runs and other
 * scheduled work of earlier steps have settled. A run settling while an append
 * reads its run flag is a documented, retried conflict (see `kick.ts`); the
 * races measured here are the appends' own.
 */
async function quiet(quietMs = 300, maxMs = 60_000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = engine.stats().commits;
  let since = Date.now();
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 25));
    const now = engine.stats().commits;
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
  throw new Error("the engine never went quiet");
}

async function scheduled(host: UserIdentity, n: number): Promise<string> {
  await engine.run("users:ensure", {}, host);
  const r = (await engine.run(
    "meetings:schedule",
    { title: `Control ${n}`, scheduledAt: Date.now(), durationMinutes: 30, invitees: [] },
    host,
  )) as { ok: boolean; meetingId: string; message?: string };
  if (!r.ok) throw new Error(r.message);
  return r.meetingId;
}

describe("control rows under racing first appends (occ mode)", () => {
  it("P1 first appends after a fresh deploy never conflict on projectionControl", async () => {
    const hosts = Array.from({ length: MEETINGS }, (_, n) => person(n));
    const meetings: string[] = [];
    for (const [n, host] of hosts.entries()) meetings.push(await scheduled(host, n));
    await quiet();
    const before = engine.occStats();
    // Every meeting's first lifecycle append, all in one tick.
    const results = (await Promise.all(
      hosts.map((h, n) => engine.run("meetings:start", { meetingId: meetings[n] }, h)),
    )) as { ok: boolean }[];
    expect(results.every((r) => r.ok)).toBe(true);
    await quiet();
    const after = engine.occStats();
    const startConflicts =
      (after.byFunction["meetings:start"] ?? 0) - (before.byFunction["meetings:start"] ?? 0);
    expect(startConflicts).toBe(0);
    // Only scheduled work (the idempotent ensure, runs reading the new row) may retry, once.
    expect(Object.keys(after.byFunction).every((fn) => fn.endsWith("(scheduled)"))).toBe(true);
    expect(after.failures).toBe(0);
    // After start/deploy ran ensureControls (idempotent), racing first transcript
    // appends (projections never kicked for that stream yet) touch no control row.
    await engine.run("projections:ensureControls", {});
    await quiet();
    const mid = engine.occStats();
    const appended = (await Promise.all(
      hosts.map((h, n) =>
        engine.run(
          "transcripts:append",
          {
            meetingId: meetings[n],
            interim: false,
            text: `first chunk ${n}`,
            confidence: 0.9,
            startMs: 0,
            endMs: 100,
            idempotencyKey: `first-${n}`,
          },
          h,
        ),
      ),
    )) as { ok: boolean }[];
    expect(appended.every((r) => r.ok)).toBe(true);
    await quiet();
    const end = engine.occStats();
    expect(end.byTable.projectionControl ?? 0).toBe(mid.byTable.projectionControl ?? 0);
    expect(
      (end.byFunction["transcripts:append"] ?? 0) - (mid.byFunction["transcripts:append"] ?? 0),
    ).toBe(0);
    expect(end.failures).toBe(0);
  });
});
