/**
 * The invitation mail through the whole path: `participants.invite` queues it,
 * `mail.deliver` (an action) sends it to a fake Resend on loopback, and the
 * outbox row records the outcome (sent with Resend's id, or failed with the error).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import { meetingFixture } from "../core/fixtures";
import { type FakeResend, startFakeResend } from "./fakeResend";

let fake: FakeResend;
const saved = { ...process.env };

beforeAll(async () => {
  fake = await startFakeResend("re_live_key");
  process.env.RESEND_API_KEY = "re_live_key";
  process.env.RESEND_BASE_URL = fake.url;
  process.env.MAIL_FROM = "Connvo <meetings@connvo.example>";
});
afterAll(async () => {
  for (const k of ["RESEND_API_KEY", "RESEND_BASE_URL", "MAIL_FROM"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await fake.close();
});

async function outbox(f: Awaited<ReturnType<typeof meetingFixture>>, to: string) {
  return await f.t.run(async (ctx) =>
    (await ctx.db.query("mailOutbox").collect()).filter((m) => m.to === to),
  );
}

describe("mail delivery through Resend (fake on loopback)", () => {
  test("an invitation is delivered with its .ics after a 429; the row records Resend's id", async () => {
    const f = await meetingFixture();
    fake.failNext(429);
    await f.clients.host.mutation(api.participants.invite, {
      meetingId: f.meetingId,
      email: "guest@outside.example",
      role: "participant",
    });
    expect((await outbox(f, "guest@outside.example"))[0]?.status).toBe("queued");
    await f.t.finishAllScheduledFunctions(() => {});
    const [row] = await outbox(f, "guest@outside.example");
    const got = fake.delivered.find((m) => m.to[0] === "guest@outside.example");
    expect(row).toMatchObject({ status: "sent", providerId: got?.id, attempts: 2 });
    expect(got?.from).toBe("Connvo <meetings@connvo.example>");
    expect(got?.idempotencyKey).toBe(`connvo-mail-${row!._id}`);
    const ics = Buffer.from(got!.attachments[0]!.content, "base64")
      .toString("utf8")
      .replace(/\r\n /g, "");
    expect(ics).toContain(`UID:${f.meetingId}@connvo`);
    expect(ics).toContain(
      "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:guest@outside.example",
    );
    // The provider is named where the mailbox is read.
    expect((await f.clients.host.query(api.mail.devMailbox, {})).provider).toBe("resend");
  });

  test("a permanent refusal (422) fails the mail with Resend's message and is not retried", async () => {
    const f = await meetingFixture();
    const before = fake.statuses.length;
    fake.failNext(422);
    await f.clients.host.mutation(api.participants.invite, {
      meetingId: f.meetingId,
      email: "refused@outside.example",
      role: "participant",
    });
    await f.t.finishAllScheduledFunctions(() => {});
    const [row] = await outbox(f, "refused@outside.example");
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row?.error).toContain("422");
    expect(fake.statuses.length).toBe(before + 1);
  });
});
