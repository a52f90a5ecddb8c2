/**
 * A meeting with every kind of caller the access matrix needs: host, cohost,
 * joined participant, invited (not joined) participant, observer, removed
 * participant, a signed-in non-participant of the same org, a user of
 * another org, and anonymous.
 */
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { makeConvex, type TestBackend } from "../harness/convex";
import { as, person } from "./identities";

/** The callers of the fixture meeting. */
export type Caller =
  | "host"
  | "participant"
  | "invited"
  | "observer"
  | "removed"
  | "nonParticipant"
  | "otherOrg";

/** Build the fixture; `live` starts the meeting (everyone but `invited` joins). */
export async function meetingFixture(options: { live?: boolean } = {}) {
  const t: TestBackend = makeConvex();
  const people = {
    host: person("Hana"),
    participant: person("Pia"),
    invited: person("Ivan"),
    observer: person("Olga"),
    removed: person("Rex"),
    nonParticipant: person("Nina"),
    otherOrg: person("Otto", "org_other"),
  } satisfies Record<Caller, ReturnType<typeof person>>;
  const clients = Object.fromEntries(
    Object.entries(people).map(([k, p]) => [k, as(t, p)]),
  ) as Record<Caller, ReturnType<typeof as>>;
  const ids = {} as Record<Caller, Id<"users">>;
  for (const c of Object.keys(clients) as Caller[])
    ids[c] = (await clients[c].mutation(api.users.ensure, {}))._id;
  const scheduled = await clients.host.mutation(api.meetings.schedule, {
    title: "Fixture",
    scheduledAt: Date.now(),
    durationMinutes: 60,
    invitees: [
      { userId: ids.participant, role: "participant" },
      { userId: ids.invited, role: "participant" },
      { userId: ids.observer, role: "observer" },
      { userId: ids.removed, role: "participant" },
    ],
  });
  if (!scheduled.ok) throw new Error(scheduled.message);
  const meetingId = scheduled.meetingId;
  if (options.live) {
    await clients.host.mutation(api.meetings.start, { meetingId });
    for (const c of ["participant", "observer", "removed"] as const)
      await clients[c].mutation(api.participants.join, { meetingId });
  }
  const removed = await clients.host.mutation(api.participants.remove, {
    meetingId,
    userId: ids.removed,
  });
  if (!removed.ok) throw new Error(removed.message);
  return { t, clients, ids, meetingId, anonymous: t };
}
