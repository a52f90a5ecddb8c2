/**
 * Seeds an in-process backend with a live meeting through the public
 * functions, as people would: each person `users.ensure`s, the host
 * `meetings.schedule`s with the others invited and `meetings.start`s it, the
 * others `participants.join` — so the meeting's own event stream (scheduled,
 * started, joined) exists for the projections like in production.
 */
import { api } from "../../convex/_generated/api";
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

function must<T extends { ok: boolean }>(what: string, r: T): T & { ok: true } {
  if (!r.ok) throw new Error(`seed: ${what} refused: ${JSON.stringify(r)}`);
  return r as T & { ok: true };
}

/** Create a live meeting with `count` people: the first hosts, the rest join as participants. */
export async function seedMeeting(
  t: InprocConvex,
  count: number,
  label = "m",
): Promise<{ meetingId: Id<"meetings">; people: BenchPerson[] }> {
  const people: BenchPerson[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${label}-p${i}`;
    const as = t.withIdentity({
      subject: name,
      issuer: BENCH_ISSUER,
      tokenIdentifier: `${BENCH_ISSUER}|${name}`,
      name,
      email: `${name}@bench.connvo.dev`,
    });
    const user = await as.mutation(api.users.ensure, {});
    people.push({ name, userId: user._id, as });
  }
  const host = people[0]!;
  const scheduled = must(
    "meetings.schedule",
    await host.as.mutation(api.meetings.schedule, {
      title: `Bench meeting ${label}`,
      scheduledAt: Date.now(),
      durationMinutes: 60,
      invitees: people.slice(1).map((p) => ({ userId: p.userId, role: "participant" as const })),
    }),
  );
  const meetingId = scheduled.meetingId;
  must("meetings.start", await host.as.mutation(api.meetings.start, { meetingId }));
  for (const p of people.slice(1)) {
    must("participants.join", await p.as.mutation(api.participants.join, { meetingId }));
  }
  return { meetingId, people };
}
