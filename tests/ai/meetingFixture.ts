/**
 * A small ended (or live) meeting in a test backend: people, a transcript
 * appended as final chunks (with an interim chunk first, as recognizers send
 * them), then optionally the end.
 */
import type { Id } from "../../convex/_generated/dataModel";
import type { TestBackend } from "../harness/convex";
import { appendChunk, appendMeeting } from "../projections/fixtures";

/** Build a meeting with `people` (first is host) and `lines` said in order. */
export async function meetingWith(
  t: TestBackend,
  opts: {
    title: string;
    people: string[];
    lines: [number, string][];
    end: boolean;
    startAt?: number;
  },
) {
  const startAt = opts.startAt ?? Date.UTC(2025, 2, 12, 15);
  const ids = await t.run(async (ctx) => {
    const users: Id<"users">[] = [];
    for (const [i, name] of opts.people.entries()) {
      users.push(
        await ctx.db.insert("users", {
          tokenIdentifier: `test|p${i}`,
          subject: `p${i}`,
          issuer: "test",
          name,
          createdAt: 0,
          updatedAt: 0,
        }),
      );
    }
    const meetingId = await ctx.db.insert("meetings", {
      title: opts.title,
      scheduledAt: startAt,
      durationMinutes: 30,
      hostId: users[0]!,
      status: "active",
      startedAt: startAt,
      createdAt: 0,
    });
    for (const [i, userId] of users.entries()) {
      await ctx.db.insert("participants", {
        meetingId,
        userId,
        role: i === 0 ? "host" : "participant",
        status: "joined",
        invitedAt: 0,
      });
    }
    return { meetingId, users };
  });
  await appendMeeting(t, ids.meetingId, { type: "MeetingStarted", at: startAt });
  for (const [i, [who, text]] of opts.lines.entries()) {
    const base = {
      utteranceId: `u${i}`,
      speakerId: ids.users[who]!,
      speaker: opts.people[who]!,
      confidence: 0.9,
      startMs: i * 8000,
      endMs: i * 8000 + 5000,
    };
    await appendChunk(t, ids.meetingId, startAt + i * 8000, {
      ...base,
      seq: 2 * i + 1,
      text: `${text.split(" ").slice(0, 2).join(" ")} uh`,
      isFinal: false,
    });
    await appendChunk(t, ids.meetingId, startAt + i * 8000 + 5000, {
      ...base,
      seq: 2 * i + 2,
      text,
      isFinal: true,
    });
  }
  if (opts.end)
    await appendMeeting(t, ids.meetingId, {
      type: "MeetingEnded",
      at: startAt + opts.lines.length * 8000 + 1000,
    });
  const asUser = (i: number) =>
    t.withIdentity({
      subject: `p${i}`,
      issuer: "test",
      tokenIdentifier: `test|p${i}`,
      name: opts.people[i]!,
    });
  return { ...ids, asUser };
}
