/**
 * A paid meeting's room in real Chromium, through the embedded engine and the
 * production web build, with GetStream pointed at the loopback fake
 * (`tests/video/fakeGetStream.ts`): a meeting of a `pro` org gets its
 * GetStream call provisioned when it starts, the room offers the GetStream
 * call instead of the free mesh, and while GetStream says the call is being
 * recorded (a signed `call.recording_started` webhook to the engine's site)
 * everyone in the room sees the recording notice, gone again once it stops;
 * once the file is ready both see it listed with its download link.
 *
 * Not here: the SDK's media. GetStream's React SDK connects to GetStream's
 * edge and SFU, which no loopback fake stands in for.
 */
import { createHmac } from "node:crypto";
import { ConvexHttpClient } from "convex/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { DEMO_USERS } from "../../web/lib/devUsers";
import type { FakeGetStream } from "../video/fakeGetStream";
import { getStreamForEngine, KEY, SECRET } from "../video/harness";
import { callPerson, clientAs, launchCallChromium } from "./callHarness";
import { TEST_TIMEOUT, UI_TIMEOUT } from "./room";
import { type Stack, startStack } from "./stack";

const ORG = "org_e2e_paid";

let stack: Stack;
let fake: FakeGetStream;
let browser: Awaited<ReturnType<typeof launchCallChromium>>;

let getstream: Awaited<ReturnType<typeof getStreamForEngine>>;

beforeAll(async () => {
  getstream = await getStreamForEngine();
  fake = getstream.fake;
  stack = await startStack();
  browser = await launchCallChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await getstream?.stop();
});

/** A live meeting hosted by Ada as a member of a pro org, with Grace invited. */
async function paidMeeting(): Promise<Id<"meetings">> {
  const adaUser = DEMO_USERS.find((u) => u.name === "Ada Lovelace")!;
  const ada = new ConvexHttpClient(stack.engine.url);
  ada.setAuth(
    await stack.engine.mintDevToken({
      subject: adaUser.subject,
      name: adaUser.name,
      email: adaUser.email,
      orgId: ORG,
      role: "admin",
    }),
  );
  await ada.mutation(api.users.ensure, {});
  await stack.engine.run("billing/operator:setPlanInternal", {
    orgExternalId: ORG,
    plan: "pro",
    operator: "e2e",
    reason: "paid call browser test",
  });
  const grace = await clientAs(stack, "Grace Hopper");
  const graceId = (await grace.mutation(api.users.ensure, {}))._id;
  const r = await ada.mutation(api.meetings.schedule, {
    title: "Paid call test",
    scheduledAt: Date.now(),
    durationMinutes: 30,
    invitees: [{ userId: graceId, role: "participant" }],
  });
  if (!r.ok) throw new Error(r.message);
  const started = await ada.mutation(api.meetings.start, { meetingId: r.meetingId });
  if (!started.ok) throw new Error(started.message);
  return r.meetingId;
}

async function webhook(
  type: string,
  meetingId: string,
  id: string,
  extra: Record<string, unknown> = {},
) {
  const body = JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    call_cid: `default:${meetingId}`,
    ...extra,
  });
  const res = await fetch(`${stack.engine.siteUrl}/getstream/webhook`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": KEY,
      "x-webhook-id": id,
      "x-signature": createHmac("sha256", SECRET).update(body).digest("hex"),
    },
    body,
  });
  expect(res.status).toBe(200);
}

describe("a paid meeting's room", () => {
  it(
    "offers the GetStream call, shows everyone the recording notice while GetStream records, then lists the recording",
    async () => {
      const meetingId = await paidMeeting();
      await expect
        .poll(() => fake.calls.has(`default:${meetingId}`), { timeout: UI_TIMEOUT })
        .toBe(true);
      const people = [
        await callPerson(browser, stack.web.url, "Ada Lovelace"),
        await callPerson(browser, stack.web.url, "Grace Hopper"),
      ];
      try {
        for (const { page } of people) {
          await page.goto(`${stack.web.url}/meetings/${meetingId}`);
          const call = page.getByTestId("call");
          await expect
            .poll(() => call.getAttribute("data-status"), { timeout: UI_TIMEOUT })
            .toBe("paid");
          await page
            .getByRole("button", { name: "Join the call" })
            .waitFor({ timeout: UI_TIMEOUT });
          expect(await page.getByRole("button", { name: "Join with camera" }).count()).toBe(0);
          expect(await page.getByTestId("recording-notice").count()).toBe(0);
        }
        await webhook("call.recording_started", meetingId, "e2e-rec-1");
        for (const { page } of people)
          await page.getByTestId("recording-notice").waitFor({ timeout: UI_TIMEOUT });
        await webhook("call.recording_stopped", meetingId, "e2e-rec-2");
        for (const { page } of people)
          await page
            .getByTestId("recording-notice")
            .waitFor({ state: "detached", timeout: UI_TIMEOUT });
        // The file is ready: both see it listed with a download link.
        await webhook("call.recording_ready", meetingId, "e2e-rec-3", {
          call_recording: {
            filename: "paid-call.mp4",
            url: "https://cdn.getstream.test/paid-call.mp4?sig=1",
            start_time: new Date(Date.now() - 60_000).toISOString(),
            end_time: new Date().toISOString(),
          },
        });
        for (const { page } of people)
          await page
            .getByTestId("recordings")
            .getByRole("link", { name: "paid-call.mp4" })
            .waitFor({ timeout: UI_TIMEOUT });
      } finally {
        for (const { context } of people) await context.close();
      }
    },
    TEST_TIMEOUT,
  );
});
