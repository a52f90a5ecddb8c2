/**
 * Concurrent starts of one paid meeting provision its GetStream call exactly
 * once, under real optimistic concurrency: the embedded engine in its
 * conflict-simulation mode (as Convex raises and retries conflicts), with
 * every start fired in one tick so each opens its transaction before the
 * first commits. The loopback fake GetStream counts the calls created.
 */
import type { UserIdentity } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { waitFor } from "../ai/fakeOpenAi";
import { occPerson, startOccAppEngine } from "../engine/helpers";
import type { FakeGetStream } from "./fakeGetStream";
import { getStreamForEngine } from "./harness";

/** Why 4: enough to interleave on two cores, few enough to stay quick. */
const STARTS = 4;

let engine: Engine;
let fake: FakeGetStream;
let getstream: Awaited<ReturnType<typeof getStreamForEngine>>;
beforeAll(async () => {
  getstream = await getStreamForEngine();
  fake = getstream.fake;
  engine = await startOccAppEngine();
  await engine.run("projections:ensureControls", {});
});
afterAll(async () => {
  await engine?.close();
  await getstream?.stop();
});

describe("concurrent starts of a paid meeting (engine, OCC)", () => {
  it("provision the GetStream call exactly once", async () => {
    const host: UserIdentity = occPerson(engine, "paid-host", "Paula Host", "org_paid_occ");
    // Host and co-hosts start at once: each spends their own rate-limit tokens, so the
    // transactions meet only on the meeting (one person firing many starts in one tick would
    // conflict on their rate-limit row first, which is not what this test is about).
    const cohosts = Array.from({ length: STARTS - 1 }, (_, i) =>
      occPerson(engine, `paid-cohost-${i}`, `Cohost ${i}`, "org_paid_occ"),
    );
    await engine.run("users:ensure", {}, host);
    const cohostIds: string[] = [];
    for (const c of cohosts)
      cohostIds.push(((await engine.run("users:ensure", {}, c)) as { _id: string })._id);
    await engine.run("billing/operator:setPlanInternal", {
      orgExternalId: "org_paid_occ",
      plan: "pro",
      operator: "test",
      reason: "concurrent starts",
    });
    const scheduled = (await engine.run(
      "meetings:schedule",
      {
        title: "Paid OCC",
        scheduledAt: Date.now(),
        durationMinutes: 30,
        invitees: cohostIds.map((userId) => ({ userId, role: "cohost" })),
      },
      host,
    )) as { ok: boolean; meetingId: string; message?: string };
    if (!scheduled.ok) throw new Error(scheduled.message);
    const meetingId = scheduled.meetingId;
    const settledStarts = await Promise.allSettled(
      [host, ...cohosts].map((who, i) =>
        engine.run("meetings:start", { meetingId, idempotencyKey: `start-${i}` }, who),
      ),
    );
    const starts = settledStarts.flatMap((s) =>
      s.status === "fulfilled" ? [s.value as { ok: boolean; events?: string[] }] : [],
    );
    // One start decided the meeting's start; the others were refused (or, past the retries,
    // lost their conflict, as on Convex). Either way they wrote nothing.
    expect(starts.filter((s) => s.ok && (s.events?.length ?? 0) > 0)).toHaveLength(1);
    for (const s of settledStarts)
      if (s.status === "rejected") expect(String(s.reason)).toMatch(/OccConflict|changed while/);
    const info = await waitFor(async () => {
      const r = (await engine.run("rtcSessions:callInfo", { meetingId }, host)) as {
        paidCall: string;
        provider: string;
      };
      return r.paidCall === "ready" ? r : null;
    });
    expect(info.provider).toBe("stream");
    const creates = fake.requests.filter((r) => r.path.startsWith("/api/v2/video/call/"));
    expect(creates).toHaveLength(1);
    expect(fake.calls.size).toBe(1);
  }, 120_000);
});
