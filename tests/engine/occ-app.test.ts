/**
 * Issue 8's conflict boundaries on the real `convex/` app, in the engine's
 * conflict-simulation mode, under concurrent load: appends to different
 * meetings never conflict with each other; appends never conflict with
 * projectors (projector runs may be retried when a new event of their own
 * meeting lands during their run — Convex retries scheduled mutations, and
 * the append is unaffected); appends to one meeting may conflict with each
 * other (per-meeting order, accepted by the design) but every one lands.
 *
 * Calls are started in one tick through `engine.run` so every append opens
 * its OCC window before the first one commits (the worst case Convex sees).
 */
import type { UserIdentity } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allProjectors } from "../../convex/projectors/registry";
import type { Engine } from "../../engine/engine";
import { occPerson, startOccAppEngine } from "./helpers";

/** Meetings appended to concurrently; enough to interleave, few enough for 2 cores. */
const MEETINGS = 6;

let engine: Engine;
beforeAll(async () => {
  engine = await startOccAppEngine();
  // As at start/deploy: create the projections' control rows before appends race.
  await engine.run("projections:ensureControls", {});
});
afterAll(async () => {
  await engine.close();
});

function person(n: number): UserIdentity {
  return occPerson(engine, `occ-host-${n}`, `Host ${n}`, "org_occ");
}

async function liveMeeting(host: UserIdentity, n: number): Promise<string> {
  await engine.run("users:ensure", {}, host);
  const scheduled = (await engine.run(
    "meetings:schedule",
    { title: `OCC ${n}`, scheduledAt: Date.now(), durationMinutes: 30, invitees: [] },
    host,
  )) as { ok: boolean; meetingId: string; message?: string };
  if (!scheduled.ok) throw new Error(scheduled.message);
  const started = (await engine.run(
    "meetings:start",
    { meetingId: scheduled.meetingId },
    host,
  )) as { ok: boolean };
  expect(started.ok).toBe(true);
  return scheduled.meetingId;
}

function append(host: UserIdentity, meetingId: string, key: string) {
  return engine.run(
    "transcripts:append",
    {
      meetingId,
      interim: false,
      text: `chunk ${key}`,
      confidence: 0.9,
      startMs: 0,
      endMs: 100,
      idempotencyKey: key,
    },
    host,
  ) as Promise<{ ok: boolean }>;
}

/**
 * Why: a kicked projector run chains within ms, but a caught-up run of a busy stream comes back
 * `lingerMs` later (up to the longest linger) before it goes idle; a quiet spell longer than
 * that means every run the appends kicked is done.
 */
const QUIET_MS = Math.max(...allProjectors().map((p) => p.lingerMs)) + 400;
/** Why: on a loaded machine the runs take longer; past this the assertions say what is left. */
const SETTLE_LIMIT_MS = 4 * QUIET_MS;

async function settle(): Promise<void> {
  // Let the projectors the appends kicked run to completion: until no commit lands for a while.
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let last = engine.stats().commits;
  for (;;) {
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const now = engine.stats().commits;
    if (now === last || Date.now() > deadline) return;
    last = now;
  }
}

describe("conflict boundaries of the real app (occ mode)", () => {
  it("P1 P2 appends to different meetings never conflict, and never conflict with projectors", {
    timeout: 180_000,
  }, async () => {
    const hosts = Array.from({ length: MEETINGS }, (_, n) => person(n));
    const meetings: string[] = [];
    for (const [n, host] of hosts.entries()) meetings.push(await liveMeeting(host, n));
    // Warm-up, one at a time: the first kick of each projection creates its
    // control row (kick.ts ensureControl), which every racing first append
    // would conflict on once — a one-off after deploy, not the steady state.
    for (const [n, host] of hosts.entries()) await append(host, meetings[n]!, `warm-m${n}`);
    await settle();
    const before = engine.occStats();
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        hosts.map((h, n) => append(h, meetings[n]!, `r${round}-m${n}`)),
      );
      expect(results.every((r) => r.ok)).toBe(true);
    }
    await settle();
    const after = engine.occStats();
    const appendConflicts =
      (after.byFunction["transcripts:append"] ?? 0) -
      (before.byFunction["transcripts:append"] ?? 0);
    expect(appendConflicts).toBe(0);
    // No append is ever refused because of a projector's writes (checkpoints,
    // views): the only conflicts left are projector runs whose open-ended tail
    // read met a new event of their meeting, which Convex retries (cost, not
    // failure) — never the other way round.
    // Counted over the racing rounds only (warm-up appends may meet a settle going idle).
    const grew = (a: Record<string, number>, b: Record<string, number>) =>
      Object.keys(a).filter((k) => (a[k] ?? 0) > (b[k] ?? 0));
    const conflictTables = grew(after.byTable, before.byTable);
    expect(conflictTables.every((t) => t.endsWith("Events"))).toBe(true);
    const conflicted = grew(after.byFunction, before.byFunction);
    expect(conflicted.every((fn) => fn.startsWith("projectors/"))).toBe(true);
    expect(after.failures).toBe(0);
    expect(after.checked).toBeGreaterThan(before.checked);
  });

  it("appends to one meeting may conflict but every one lands", async () => {
    const host = person(99);
    const meetingId = await liveMeeting(host, 99);
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => append(host, meetingId, `same-${i}`)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(engine.occStats().failures).toBe(0);
  });
});
