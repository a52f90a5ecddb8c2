/**
 * Seeds an in-process backend with an active meeting and its people, written
 * directly with `t.run` in the shapes of `convex/tables/meetings.ts` and
 * `identity.ts` (the benchmarks measure the notes/transcript paths, not
 * meeting creation).
 */
import type { Id } from "../../convex/_generated/dataModel";
import type { InprocConvex } from "./inproc";

/** Issuer of the benchmark's identities. */
export const BENCH_ISSUER = "https://bench.connvo.local";

/** One person of a seeded meeting, with a backend acting as them. */
export type BenchPerson = {
  name: string;
  userId: Id<"users">;
  as: ReturnType<InprocConvex["withIdentity"]>;
};

/** Create an active meeting with `count` people: the first is the host, the rest participants. */
export async function seedMeeting(
  t: InprocConvex,
  count: number,
  label = "m",
): Promise<{ meetingId: Id<"meetings">; people: BenchPerson[] }> {
  const now = Date.now();
  const names = Array.from({ length: count }, (_, i) => `${label}-p${i}`);
  const ids = await t.run(async (ctx) => {
    const userIds: Id<"users">[] = [];
    for (const name of names) {
      userIds.push(
        await ctx.db.insert("users", {
          tokenIdentifier: `${BENCH_ISSUER}|${name}`,
          subject: name,
          issuer: BENCH_ISSUER,
          email: `${name}@example.com`,
          name,
          createdAt: now,
          updatedAt: now,
        }),
      );
    }
    const meetingId = await ctx.db.insert("meetings", {
      title: `Bench meeting ${label}`,
      scheduledAt: now,
      durationMinutes: 60,
      hostId: userIds[0]!,
      status: "active",
      startedAt: now,
      createdAt: now,
    });
    for (const [i, userId] of userIds.entries()) {
      await ctx.db.insert("participants", {
        meetingId,
        userId,
        role: i === 0 ? "host" : "participant",
        status: "joined",
        invitedAt: now,
        joinedAt: now,
      });
    }
    return { meetingId, userIds };
  });
  const people = names.map((name, i) => ({
    name,
    userId: ids.userIds[i]!,
    as: t.withIdentity({
      subject: name,
      issuer: BENCH_ISSUER,
      tokenIdentifier: `${BENCH_ISSUER}|${name}`,
      name,
      email: `${name}@example.com`,
    }),
  }));
  return { meetingId: ids.meetingId, people };
}
