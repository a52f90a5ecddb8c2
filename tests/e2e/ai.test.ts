/**
 * AI assistance in real Chromium against the embedded engine (issue 16): a
 * person sees pre-call ideas from both people's profiles on the meeting page
 * before the call, asks for an in-call prompt in the live room and upvotes
 * it, and after the call reads insights whose action item names the right
 * person and links into the replay at the moment it was said.
 */
import { ConvexHttpClient } from "convex/browser";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { api } from "../../convex/_generated/api";
import { DEMO_USERS } from "../../web/lib/devUsers";
import { personIn, screenshot } from "./browser";
import { type Stack, startStack } from "./stack";

/** Why: generation runs in scheduled actions behind projectors; on a loaded 2-core run that takes seconds. */
const UI_TIMEOUT = 45_000;
const TEST_TIMEOUT = 180_000;

let stack: Stack;

async function client(who: (typeof DEMO_USERS)[number]): Promise<ConvexHttpClient> {
  const c = new ConvexHttpClient(stack.engine.url, { logger: false });
  c.setAuth(
    await stack.engine.mintDevToken({ subject: who.subject, name: who.name, email: who.email }),
  );
  await c.mutation(api.users.ensure, {});
  return c;
}

beforeAll(async () => {
  stack = await startStack();
  await stack.engine.run("seed:demo", { issuer: stack.engine.devIssuer });
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe("AI assistance in Chromium", () => {
  it(
    "shows pre-call ideas, an in-call prompt, and insight items linking into the replay",
    async () => {
      const ada = await client(DEMO_USERS[0]!);
      const grace = await client(DEMO_USERS[1]!);
      const graceUser = await grace.mutation(api.users.ensure, {});
      await ada.mutation(api.profiles.update, { interests: ["Compilers", "Open source"] });
      await grace.mutation(api.profiles.update, { interests: ["Compilers"] });
      await grace.mutation(api.profiles.update, {
        jobTitle: "Rear admiral",
        company: "US Navy",
      });
      const s = await ada.mutation(api.meetings.schedule, {
        title: "Compiler roadmap",
        scheduledAt: Date.now() + 3_600_000,
        durationMinutes: 30,
        invitees: [{ userId: graceUser._id, role: "participant" }],
      });
      if (!s.ok) throw new Error(s.message);
      const meetingId = s.meetingId;

      const { context, page } = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
      onTestFailed(async () => {
        if (!page.isClosed()) await screenshot(page, "failed-ai").catch(() => undefined);
      });
      try {
        // Before the call: ideas from both profiles.
        await page.goto(`${stack.web.url}/meetings/${meetingId}`);
        const ideas = page.getByTestId("precall-ideas");
        await ideas.getByTestId("precall-starter").first().waitFor({ timeout: UI_TIMEOUT });
        expect(await ideas.textContent()).toContain("Ada and Grace share an interest in Compilers");
        expect(await ideas.getByTestId("precall-agenda").count()).toBeGreaterThan(0);
        expect(await ideas.getByTestId("provider-note").textContent()).toContain(
          "local templates provider",
        );
        await screenshot(page, "ai-precall");

        // In the call: ask for a prompt, upvote it.
        expect(await ada.mutation(api.meetings.start, { meetingId })).toMatchObject({ ok: true });
        expect(await grace.mutation(api.participants.join, { meetingId })).toMatchObject({
          ok: true,
        });
        const said: [ConvexHttpClient, string][] = [
          [ada, "Welcome, Grace. The compiler roadmap needs an owner for the optimizer work."],
          [ada, "Grace, could you write the optimizer design doc by Friday?"],
          [grace, "Sure, I'll have a first draft of the design doc by then."],
          [ada, "We're going with the register allocator from the prototype."],
        ];
        for (const [i, [who, text]] of said.entries()) {
          const r = await who.mutation(api.transcripts.ingest, {
            meetingId,
            chunks: [
              {
                utteranceId: `e2e-${i}`,
                idempotencyKey: `e2e-${i}`,
                text,
                confidence: 0.9,
                startMs: i * 6000,
                endMs: i * 6000 + 4000,
                isFinal: true,
              },
            ],
          });
          expect(r.ok).toBe(true);
        }
        const prompts = page.getByTestId("incall-prompts");
        await prompts.waitFor({ timeout: UI_TIMEOUT });
        await prompts.getByTestId("ask-prompt").click();
        const prompt = prompts.getByTestId("incall-prompt").first();
        await prompt.waitFor({ timeout: UI_TIMEOUT });
        expect((await prompt.textContent())?.length ?? 0).toBeGreaterThan(20);
        await prompt.getByRole("button", { name: "Upvote" }).click();
        await prompt.getByText("▲ upvoted").waitFor({ timeout: UI_TIMEOUT });
        // Topic chips are key phrases, never filler words.
        const chips = await prompts.getByTestId("topic-chip").allTextContents();
        for (const c of chips)
          expect(["great", "next", "everyone", "the", "i'll"]).not.toContain(c);
        await screenshot(page, "ai-incall");

        // After the call: insights name Grace and link into the replay at that moment.
        expect(await ada.mutation(api.meetings.end, { meetingId })).toMatchObject({ ok: true });
        await page.goto(`${stack.web.url}/meetings/${meetingId}/insights`);
        const card = page.getByTestId("insights-card").first();
        await card.waitFor({ timeout: UI_TIMEOUT });
        // Ada is host: she opens Grace's insights from the participants list.
        await page.getByRole("button", { name: "Grace Hopper" }).click();
        const graceCard = page.getByRole("article", { name: "Insights for Grace Hopper" });
        const item = graceCard.getByTestId("action-item").first();
        await item.waitFor({ timeout: UI_TIMEOUT });
        expect(await item.textContent()).toContain("Write the optimizer design doc");
        expect(await item.getByTestId("action-owner").textContent()).toContain("Grace Hopper");
        expect(await graceCard.textContent()).not.toContain(String(graceUser._id));
        await screenshot(page, "ai-insights");
        const link = item.getByTestId("source-link");
        const href = await link.getAttribute("href");
        expect(href).toMatch(new RegExp(`/meetings/${meetingId}/replay\\?t=\\d+$`));
        const t = Number(href!.split("t=")[1]);
        await link.click();
        await page.waitForURL(/\/replay\?t=/, { timeout: UI_TIMEOUT });
        const scrubber = page.getByTestId("scrubber");
        await scrubber.waitFor({ timeout: UI_TIMEOUT });
        await expect
          .poll(async () => Math.abs(Number(await scrubber.inputValue()) - t), {
            timeout: UI_TIMEOUT,
          })
          .toBeLessThanOrEqual(100);
        expect(Number(await scrubber.getAttribute("max"))).toBeGreaterThan(t);
        await screenshot(page, "ai-replay-at-item");
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT,
  );
});
