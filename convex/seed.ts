/**
 * Demo data for local development (`npm start` seeds it once through the
 * engine): three people with complete profiles (`profiles/demo.ts`), a live meeting with all of them joined, a short
 * transcript and a chat thread. Internal only. Idempotent: a second run finds
 * the meeting by its schedule key and returns it unchanged.
 *
 * The people match `web/lib/devUsers.ts` (`DEMO_USERS`), whose subjects the
 * local sign-in puts in its tokens; `issuer` must be the dev issuer's URL so
 * `tokenIdentifier` (`issuer|subject`) matches their sessions.
 */
import { v } from "convex/values";
import { toStoredChatEvent } from "../projections/events/chat";
import type { Doc, Id } from "./_generated/dataModel";
import { internalMutation, type MutationCtx } from "./_generated/server";
import { appendEvent } from "./lib/events";
import { runMeetingCommand, runSchedule } from "./meetings/lifecycle";
import { seedDemoProfile } from "./profiles/demo";
import { kickProjectors } from "./projectors/kick";
import { ingestChunks } from "./transcripts/ingest";

/** The demo people (kept equal to `DEMO_USERS` in web/lib/devUsers.ts). */
export const DEMO_PEOPLE = [
  {
    subject: "demo-ada",
    name: "Ada Lovelace",
    email: "ada@connvo.dev",
    headline: "Analyst of engines",
  },
  {
    subject: "demo-grace",
    name: "Grace Hopper",
    email: "grace@connvo.dev",
    headline: "Compiler pioneer",
  },
  {
    subject: "demo-alan",
    name: "Alan Turing",
    email: "alan@connvo.dev",
    headline: "Computing theorist",
  },
] as const;

const SEED_KEY = "seed:demo";

const LINES = [
  [0, "Welcome everyone, let's review the launch plan."],
  [1, "The engine benchmarks look good: transcripts keep up at ten chunks a second."],
  [2, "Action item: I will write the migration guide by Friday."],
  [0, "Great. Next topic: onboarding for new teams."],
] as const;

async function ensureDemoUser(
  ctx: MutationCtx,
  issuer: string,
  p: (typeof DEMO_PEOPLE)[number],
  now: number,
) {
  const tokenIdentifier = `${issuer}|${p.subject}`;
  const found = await ctx.db
    .query("users")
    .withIndex("by_token", (q) => q.eq("tokenIdentifier", tokenIdentifier))
    .unique();
  if (found) {
    // The demo people's emails are the seed's own: vouched for, so invitable by email.
    if (found.email === p.email && found.emailVerified !== true)
      await ctx.db.patch("users", found._id, { emailVerified: true });
    return found;
  }
  const id = await ctx.db.insert("users", {
    tokenIdentifier,
    subject: p.subject,
    issuer,
    email: p.email,
    emailVerified: true,
    name: p.name,
    createdAt: now,
    updatedAt: now,
  });
  await ctx.db.insert("profiles", { userId: id, headline: p.headline, updatedAt: now });
  return (await ctx.db.get("users", id))!;
}

function must<T extends { ok: boolean }>(r: T, what: string): T {
  if (!r.ok) throw new Error(`seed: ${what} failed: ${JSON.stringify(r)}`);
  return r;
}

/** Seed the demo (see the module comment). */
export const demo = internalMutation({
  args: { issuer: v.string() },
  returns: v.object({
    meetingId: v.id("meetings"),
    created: v.boolean(),
    users: v.array(v.object({ subject: v.string(), userId: v.id("users") })),
  }),
  handler: async (ctx, { issuer }) => {
    const now = Date.now();
    const users: Doc<"users">[] = [];
    for (const p of DEMO_PEOPLE) {
      const user = await ensureDemoUser(ctx, issuer, p, now);
      await seedDemoProfile(ctx, user._id, p.subject, p.headline, now);
      users.push(user);
    }
    const [ada, grace, alan] = users as [Doc<"users">, Doc<"users">, Doc<"users">];
    const userList = users.map((u) => ({ subject: u.subject, userId: u._id }));
    const existing = await ctx.db
      .query("meetings")
      .withIndex("by_host_scheduleKey", (q) => q.eq("hostId", ada._id).eq("scheduleKey", SEED_KEY))
      .first();
    if (existing) return { meetingId: existing._id, created: false, users: userList };

    const scheduled = must(
      await runSchedule(
        ctx,
        ada,
        {
          type: "Schedule",
          by: ada._id,
          at: now,
          title: "Connvo demo: launch planning",
          description: "A live demo meeting seeded for local development.",
          scheduledAt: now,
          durationMinutes: 45,
          invitees: [
            { userId: grace._id, role: "cohost" },
            { userId: alan._id, role: "participant" },
          ],
        },
        SEED_KEY,
      ),
      "schedule",
    );
    if (!scheduled.ok) throw new Error("unreachable");
    const meetingId: Id<"meetings"> = scheduled.meetingId;
    must(
      await runMeetingCommand(
        ctx,
        ada,
        meetingId,
        { type: "Start", by: ada._id, at: now },
        `${SEED_KEY}:start`,
      ),
      "start",
    );
    for (const u of [grace, alan]) {
      must(
        await runMeetingCommand(
          ctx,
          u,
          meetingId,
          { type: "Join", by: u._id, at: now },
          `${SEED_KEY}:join:${u._id}`,
        ),
        "join",
      );
    }
    for (const [i, [who, text]] of LINES.entries()) {
      const user = users[who]!;
      must(
        await ingestChunks({ ...ctx, user }, meetingId, [
          {
            text,
            confidence: 0.95,
            startMs: i * 6000,
            endMs: i * 6000 + 5000,
            isFinal: true,
            idempotencyKey: `${SEED_KEY}:t${i}`,
          },
        ]),
        "transcript",
      );
    }
    const chat = [
      [grace, "Slides are in the notes."],
      [alan, "Thanks! I'll add the benchmark numbers."],
    ] as const;
    for (const [i, [user, text]] of chat.entries()) {
      const messageId = `${user._id}:${SEED_KEY}:c${i}`;
      await appendEvent(
        ctx,
        "chatEvents",
        {
          meetingId,
          actor: user._id,
          idempotencyKey: messageId,
          ...toStoredChatEvent({
            type: "MessagePosted",
            at: now + i,
            messageId,
            authorId: user._id,
            text,
          }),
        },
        kickProjectors,
      );
    }
    return { meetingId, created: true, users: userList };
  },
});
