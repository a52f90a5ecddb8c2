/**
 * What pre-call generation reads (internal): the meeting, its people's
 * profiles (the public part of issue 17's profile: display name, headline,
 * job title, company, bio, interests, skills, what they want to learn and
 * their mentoring/collaboration flags) and their shared history — the
 * insights of earlier ended meetings between two or more of the same people.
 *
 * A profile's `goals` are private to its owner (`tables/profileFields.ts`)
 * and pre-call ideas are shown to everyone in the meeting, so they are not
 * read here; the public "wants to learn" items and flags stand in.
 */
import { v } from "convex/values";
import type { PrecallInput, PrecallPerson, SharedMeeting } from "../../projections/prompts/types";
import type { Doc, Id } from "../_generated/dataModel";
import { internalQuery, type QueryCtx } from "../_generated/server";
import { readVersionOf } from "../projectors/control";

/** Why: ideas for a call are about its first dozen people; bounds every read below. */
export const MAX_PEOPLE = 12;
/** Why: interests a person picked; the catalogue caps what anyone shows. */
const MAX_INTERESTS = 20;
/** Why: each person's recent meetings are enough to find the ones shared with these people. */
const MEETINGS_PER_PERSON = 50;
/** Why: the last three shared meetings are what a starter can refer to. */
const MAX_HISTORY = 3;
/** Why: per earlier meeting, its participants' insights rows (one per person). */
const ROWS_PER_MEETING = 12;

function strings(x: readonly string[] | undefined, max: number): string[] {
  return (x ?? [])
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .slice(0, max)
    .map((s) => s.slice(0, 200));
}
function text(x: string | undefined, max: number): string | null {
  return x?.trim() ? x.trim().slice(0, max) : null;
}

/** The public aims a person shows on their profile, phrased for the prompt. */
export function publicAims(profile: Doc<"profiles"> | null): string[] {
  if (!profile) return [];
  const aims = strings(profile.learning, 3).map((x) => `learn ${x}`);
  if (profile.seeksMentoring) aims.push("find a mentor");
  if (profile.offersMentoring) aims.push("mentor others");
  if (profile.openToCollaborate) aims.push("collaborate on projects");
  return aims.slice(0, 5);
}

async function personOf(ctx: QueryCtx, userId: Id<"users">): Promise<PrecallPerson | null> {
  const user = await ctx.db.get("users", userId);
  if (!user) return null;
  const profile = await ctx.db
    .query("profiles")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .unique();
  const picked = await ctx.db
    .query("userInterests")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .take(MAX_INTERESTS);
  const interests: string[] = [];
  for (const p of picked) {
    const i = await ctx.db
      .query("interests")
      .withIndex("by_key", (q) => q.eq("key", p.interestKey))
      .unique();
    interests.push(i?.label ?? p.interestKey);
  }
  return {
    userId: String(userId),
    name: text(profile?.displayName, 120) ?? user.name,
    headline: text(profile?.headline, 200),
    company: text(profile?.company, 120),
    jobTitle: text(profile?.jobTitle, 120),
    bio: text(profile?.bio, 600),
    interests,
    goals: publicAims(profile),
    skills: strings(profile?.skills, 10),
  };
}

async function historyOf(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  people: Id<"users">[],
): Promise<SharedMeeting[]> {
  const counts = new Map<Id<"meetings">, number>();
  for (const u of people) {
    const rows = await ctx.db
      .query("participants")
      .withIndex("by_user", (q) => q.eq("userId", u))
      .order("desc")
      .take(MEETINGS_PER_PERSON);
    for (const r of rows) {
      if (r.meetingId === meetingId || r.status === "removed") continue;
      counts.set(r.meetingId, (counts.get(r.meetingId) ?? 0) + 1);
    }
  }
  const shared: Doc<"meetings">[] = [];
  for (const [id, n] of counts) {
    if (n < 2) continue;
    const m = await ctx.db.get("meetings", id);
    if (m && m.status === "ended") shared.push(m);
  }
  shared.sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
  const version = await readVersionOf(ctx, "insights");
  const out: SharedMeeting[] = [];
  for (const m of shared.slice(0, MAX_HISTORY)) {
    const rows = await ctx.db
      .query("insights")
      .withIndex("by_meeting_version_user", (q) => q.eq("meetingId", m._id).eq("version", version))
      .take(ROWS_PER_MEETING);
    const decisions = new Map<string, string>();
    const open = new Map<string, { text: string; ownerName: string | null }>();
    const takeaways = new Map<string, string>();
    for (const r of rows) {
      for (const d of r.decisions) if (d.status === "open") decisions.set(d.id, d.text);
      for (const a of r.actionItems)
        if (a.status === "open") open.set(a.id, { text: a.text, ownerName: a.ownerName });
      for (const t of r.keyTakeaways) if (t.status === "open") takeaways.set(t.id, t.text);
    }
    out.push({
      title: m.title,
      at: m.endedAt ?? m.scheduledAt,
      decisions: [...decisions.values()].slice(0, 3),
      openItems: [...open.values()].slice(0, 4),
      keyTakeaways: [...takeaways.values()].slice(0, 3),
    });
  }
  return out;
}

/** The pre-call input of a meeting, or null when it is not scheduled or live. */
export const read = internalQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.union(v.null(), v.any()),
  handler: async (ctx, { meetingId }): Promise<PrecallInput | null> => {
    const meeting = await ctx.db.get("meetings", meetingId);
    if (!meeting || (meeting.status !== "scheduled" && meeting.status !== "active")) return null;
    const rows = await ctx.db
      .query("participants")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId))
      .take(MAX_PEOPLE * 2);
    const ids = rows
      .filter((r) => r.status !== "removed")
      .map((r) => r.userId)
      .slice(0, MAX_PEOPLE);
    const people: PrecallPerson[] = [];
    for (const id of ids) {
      const p = await personOf(ctx, id);
      if (p) people.push(p);
    }
    return {
      title: meeting.title,
      description: meeting.description ?? null,
      scheduledAt: meeting.scheduledAt,
      people,
      history: await historyOf(ctx, meetingId, ids),
    };
  },
});
