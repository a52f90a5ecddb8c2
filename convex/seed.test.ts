/** The demo seed: a live meeting the demo people can open, idempotent. */
import { expect, test } from "vitest";
import { makeConvex } from "../tests/harness/convex";
import { roomArgs } from "../tests/harness/roomKey";
import { api, internal } from "./_generated/api";

const ISSUER = "http://127.0.0.1:3210/dev-auth";

test("seed.demo creates a live meeting with transcript and chat, once", async () => {
  const t = makeConvex();
  const first = await t.mutation(internal.seed.demo, { issuer: ISSUER });
  const again = await t.mutation(internal.seed.demo, { issuer: ISSUER });
  expect(first.created).toBe(true);
  expect(again).toEqual({ ...first, created: false });
  const grace = t.withIdentity({
    subject: "demo-grace",
    issuer: ISSUER,
    tokenIdentifier: `${ISSUER}|demo-grace`,
  });
  const mine = await grace.query(api.meetings.listMine, {});
  expect(mine.live.map((m) => [m._id, m.myRole, m.myStatus])).toEqual([
    [first.meetingId, "cohost", "joined"],
  ]);
  const transcript = await grace.query(api.transcripts.stream, {
    ...(await roomArgs(grace, first.meetingId)),
  });
  expect(transcript.chunks).toHaveLength(4);
  expect(await grace.query(api.chat.list, { meetingId: first.meetingId })).toHaveLength(2);
  // Seeded words are personal data like any other: sealed at rest under their author's key.
  const stored = await t.run(async (ctx) => ({
    chat: await ctx.db.query("chatEvents").collect(),
    transcript: await ctx.db.query("transcriptEvents").collect(),
  }));
  expect(stored.chat.map((r) => r.piiSeal !== undefined)).toEqual([true, true]);
  expect(
    JSON.stringify(stored.chat, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
  ).not.toContain("Slides are in the notes");
  expect(stored.transcript.every((r) => r.piiSeal !== undefined)).toBe(true);
  expect(await grace.query(api.participants.list, { meetingId: first.meetingId })).toHaveLength(3);
  // The demo people are onboarded, so "Meet someone" works at once.
  const profile = await grace.query(api.profiles.mine, {});
  expect(profile).toMatchObject({ onboarded: true, missing: [] });
  expect(profile.public.interests.map((i) => i.key)).toEqual([
    "developer-tools",
    "education",
    "open-source",
  ]);
  expect(
    (await grace.query(api.profiles.interestCatalogue, { prefix: "mat" })).map((i) => i.label),
  ).toEqual(["Mathematics"]);
});
