/** The Resend client against a fake Resend on loopback: request shape, retries, failures. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { calendarInvite } from "../../convex/lib/calendarInvite";
import {
  base64Utf8,
  MAIL_RETRY,
  type MailMessage,
  readMailConfig,
  resendMailer,
} from "../../convex/lib/mailer";
import { ProviderError, withRetries } from "../../convex/lib/providerRetry";
import { type FakeResend, startFakeResend } from "./fakeResend";

let fake: FakeResend;
const KEY = "re_test_123";
const noSleep = { ...MAIL_RETRY, sleep: async () => {} };

beforeAll(async () => {
  fake = await startFakeResend(KEY);
});
afterAll(async () => {
  await fake.close();
});

function message(over: Partial<MailMessage> = {}): MailMessage {
  const ics = calendarInvite({
    uid: "m1@connvo",
    stamp: 0,
    start: 3_600_000,
    end: 7_200_000,
    title: "Café, planning",
    url: "http://localhost:3000/meetings/m1",
    organizer: { name: "Ada", email: "ada@example.com" },
    attendee: { email: "grace@example.com" },
  });
  return {
    from: "Connvo <meetings@connvo.dev>",
    to: "grace@example.com",
    subject: "Invitation: Café, planning",
    html: "<p>Join</p>",
    text: "Join",
    attachments: [
      {
        filename: "invite.ics",
        content: base64Utf8(ics),
        contentType: "text/calendar; method=REQUEST",
      },
    ],
    idempotencyKey: `mail-${Math.random()}`,
    ...over,
  };
}

function mailer(over: Record<string, string> = {}) {
  const settings = readMailConfig({ RESEND_API_KEY: KEY, RESEND_BASE_URL: fake.url, ...over });
  if (!settings) throw new Error("no settings");
  return resendMailer(settings);
}

describe("Resend mail client", () => {
  test("without RESEND_API_KEY there is no mailer (the dev mailbox is the default)", () => {
    expect(readMailConfig({})).toBeNull();
    expect(readMailConfig({ RESEND_API_KEY: "  " })).toBeNull();
    expect(readMailConfig({ RESEND_API_KEY: "k" })?.baseUrl).toBe("https://api.resend.com");
  });

  test("sends the shape Resend takes: bearer key, JSON, base64 .ics attachment that decodes to the invitation", async () => {
    const before = fake.delivered.length;
    const m = message();
    const { id } = await mailer().send(m);
    const got = fake.delivered.at(-1)!;
    expect(fake.delivered.length).toBe(before + 1);
    expect(got.id).toBe(id);
    expect(got).toMatchObject({
      from: m.from,
      to: ["grace@example.com"],
      subject: m.subject,
      html: "<p>Join</p>",
    });
    expect(got.attachments[0]!.filename).toBe("invite.ics");
    expect(got.attachments[0]!.contentType).toBe("text/calendar; method=REQUEST");
    const ics = Buffer.from(got.attachments[0]!.content, "base64").toString("utf8");
    expect(ics).toContain("SUMMARY:Café\\, planning");
    expect(ics).toContain("METHOD:REQUEST");
  });

  test("a wrong key is a permanent failure (401, not retried)", async () => {
    const calls = fake.statuses.length;
    const err = await withRetries(
      () => mailer({ RESEND_API_KEY: "wrong" }).send(message()),
      noSleep,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).status).toBe(401);
    expect((err as ProviderError).retryable).toBe(false);
    expect(fake.statuses.length).toBe(calls + 1);
  });

  test("a malformed mail is refused by the fake like Resend (422) and not retried", async () => {
    const err = await mailer()
      .send(message({ to: "not-an-address" }))
      .catch((e: unknown) => e);
    expect((err as ProviderError).status).toBe(422);
    expect((err as ProviderError).retryable).toBe(false);
  });

  test("429 (Retry-After) and 5xx are retried; the idempotency key delivers once", async () => {
    const before = fake.delivered.length;
    fake.failNext(429, 503);
    const sleeps: number[] = [];
    const r = await withRetries(() => mailer().send(message()), {
      ...MAIL_RETRY,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(r.attempts).toBe(3);
    expect(sleeps[0]).toBe(0); // Retry-After: 0
    expect(sleeps[1]).toBe(MAIL_RETRY.baseMs * 2);
    expect(fake.delivered.length).toBe(before + 1);
    const m = message();
    const a = await mailer().send(m);
    const b = await mailer().send(m);
    expect(b.id).toBe(a.id);
    expect(fake.delivered.length).toBe(before + 2);
  });

  test("a hung request times out and is retried; an outage longer than the retries fails", async () => {
    fake.failNext("hang");
    const r = await withRetries(() => mailer({ MAIL_TIMEOUT_MS: "300" }).send(message()), noSleep);
    expect(r.attempts).toBe(2);
    fake.failNext(500, 500, 500, 500);
    const err = await withRetries(() => mailer().send(message()), noSleep).catch((e: unknown) => e);
    expect((err as ProviderError).status).toBe(500);
    expect((err as ProviderError).retryable).toBe(true);
  });
});
