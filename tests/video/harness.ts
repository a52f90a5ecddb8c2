/**
 * Shared set-up of the paid-call tests: a fake GetStream on loopback, the
 * deployment's GetStream environment pointing at it, and a meeting of org
 * `acme` (on the plan asked for) from the core fixture.
 */
import { vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { waitFor } from "../ai/fakeOpenAi";
import { meetingFixture } from "../core/fixtures";
import type { TestBackend } from "../harness/convex";
import { type FakeGetStream, startFakeGetStream } from "./fakeGetStream";

export const KEY = "stream_key_test";
export const SECRET = "stream_secret_test_5xq2m8w7c3v9";

/**
 * For the embedded engine (it runs in this process and reads `process.env`):
 * start the fake and point the environment at it; `stop()` closes the fake and
 * clears the environment.
 */
export async function getStreamForEngine(): Promise<{
  fake: FakeGetStream;
  stop(): Promise<void>;
}> {
  const fake = await startFakeGetStream(KEY, SECRET);
  process.env.GETSTREAM_API_KEY = KEY;
  process.env.GETSTREAM_API_SECRET = SECRET;
  process.env.GETSTREAM_BASE_URL = fake.baseUrl;
  return {
    fake,
    async stop() {
      await fake.close();
      for (const k of ["GETSTREAM_API_KEY", "GETSTREAM_API_SECRET", "GETSTREAM_BASE_URL"])
        delete process.env[k];
    },
  };
}

/** Start the fake and point the deployment's environment at it (convex-test: stubbed env). */
export async function configureGetStream(): Promise<FakeGetStream> {
  const fake = await startFakeGetStream(KEY, SECRET);
  vi.stubEnv("GETSTREAM_API_KEY", KEY);
  vi.stubEnv("GETSTREAM_API_SECRET", SECRET);
  vi.stubEnv("GETSTREAM_BASE_URL", fake.baseUrl);
  // Why: the real backoff (1 s, 2 s, 4 s) and timeout (10 s) would make the suite slow; same code path.
  // 2 s, not less: on two loaded cores a loopback answer can take a few hundred ms, and a
  // timeout would count as a failure the test did not inject.
  vi.stubEnv("GETSTREAM_RETRY_BACKOFF_MS", "20");
  vi.stubEnv("GETSTREAM_TIMEOUT_MS", "2000");
  return fake;
}

export type Fixture = Awaited<ReturnType<typeof meetingFixture>>;

/** A scheduled meeting of org `acme` on `plan` (its people: see `tests/core/fixtures.ts`). */
export async function meetingOnPlan(plan: "free" | "pro"): Promise<Fixture> {
  const f = await meetingFixture();
  await setPlan(f.t, plan);
  return f;
}

/** Put org `acme` on `plan` (operator grant). */
export async function setPlan(t: TestBackend, plan: "free" | "pro"): Promise<void> {
  await t.mutation(internal.billing.operator.setPlanInternal, {
    orgExternalId: "org_acme",
    plan,
    operator: "test",
    reason: "paid call tests",
  });
}

/** Start the meeting as its host; the participant and observer join it. */
export async function startMeeting(f: Fixture, meetingId: Id<"meetings"> = f.meetingId) {
  const r = await f.clients.host.mutation(api.meetings.start, { meetingId });
  if (!r.ok) throw new Error(r.message);
  for (const c of ["participant", "observer"] as const)
    await f.clients[c].mutation(api.participants.join, { meetingId });
}

/** The meeting's paid call row, if any. */
export async function paidCall(t: TestBackend, meetingId: Id<"meetings">) {
  return await t.run(async (ctx) =>
    ctx.db
      .query("videoCalls")
      .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
      .unique(),
  );
}

/** Wait until the meeting's paid call is no longer pending. */
export async function settled(t: TestBackend, meetingId: Id<"meetings">) {
  return await waitFor(async () => {
    const row = await paidCall(t, meetingId);
    return row && row.status !== "pending" ? row : null;
  }, 20_000);
}

/** Another meeting of the same host, started, for circuit tests. */
export async function anotherMeeting(f: Fixture): Promise<Id<"meetings">> {
  const r = await f.clients.host.mutation(api.meetings.schedule, {
    title: "Another",
    scheduledAt: Date.now(),
    durationMinutes: 30,
    invitees: [{ userId: f.ids.participant, role: "participant" }],
  });
  if (!r.ok) throw new Error(r.message);
  const started = await f.clients.host.mutation(api.meetings.start, { meetingId: r.meetingId });
  if (!started.ok) throw new Error(started.message);
  return r.meetingId;
}
