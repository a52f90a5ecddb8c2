/**
 * Seeds the demo once, through the public API only (so it works against any
 * deployment that trusts the development issuer): the demo people, a live
 * meeting "Connvo demo: weekly sync" hosted by Ada with Grace and Alan
 * invited, some notes, and (when the transcript module exists) a few lines of
 * transcript. Idempotent: when Ada already has that meeting, it does nothing.
 *
 * Usage: CONVEX_URL=http://127.0.0.1:3210 tsx scripts/start/seed-demo.ts
 */
import { ConvexHttpClient } from "convex/browser";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/notesView";
import { DEMO_USERS, type DevUser } from "../../web/lib/devUsers";

/** The demo meeting's title; the seed looks for it to stay idempotent. */
export const DEMO_TITLE = "Connvo demo: weekly sync";

const NOTES = [
  "Agenda: hiring plan, event pipeline reliability, next steps.",
  "Decision: share the architecture document before the next call.",
];

async function clientFor(url: string, user: DevUser): Promise<ConvexHttpClient> {
  const res = await fetch(`${url}/dev-auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(user),
  });
  if (!res.ok) throw new Error(`the dev issuer at ${url} refused a token: ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const client = new ConvexHttpClient(url);
  client.setAuth(token);
  await client.mutation(api.users.ensure, {});
  return client;
}

/** The success branch of a coded result; a refusal stops the seed with its message. */
function ok<R extends { ok: true } | { ok: false; message: string }>(
  what: string,
  r: R,
): Extract<R, { ok: true }> {
  if (!r.ok) throw new Error(`${what} was refused: ${(r as { message: string }).message}`);
  return r as Extract<R, { ok: true }>;
}

async function seedNotes(client: ConvexHttpClient, meetingId: Id<"meetings">): Promise<void> {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  for (const line of NOTES) {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(line)]);
    fragment.push([p]);
  }
  const update = Y.encodeStateAsUpdate(doc);
  const reg = await client.mutation(api.notes.registerClient, {
    meetingId,
    clientId: doc.clientID,
  });
  ok("registering the seed's notes client", reg);
  const pushed = await client.mutation(api.notes.push, {
    meetingId,
    clientId: doc.clientID,
    clientSeq: 1,
    update: update.buffer.slice(
      update.byteOffset,
      update.byteOffset + update.byteLength,
    ) as ArrayBuffer,
  });
  ok("pushing the seed notes", pushed);
}

async function main(): Promise<void> {
  const url = process.env.CONVEX_URL?.replace(/\/+$/, "");
  if (!url) throw new Error("set CONVEX_URL to the engine URL, e.g. http://127.0.0.1:3210");
  const [ada, grace, alan] = await Promise.all(DEMO_USERS.map((u) => clientFor(url, u)));
  if (!ada || !grace || !alan) throw new Error("three demo users are expected");
  const mine = await ada.query(api.meetings.listMine, {});
  const existing = [...mine.live, ...mine.upcoming, ...mine.past].find(
    (m) => m.title === DEMO_TITLE,
  );
  if (existing) {
    console.log(`[seed] demo data already there (meeting ${existing._id}, ${existing.status})`);
    return;
  }
  const scheduled = ok(
    "scheduling the demo meeting",
    await ada.mutation(api.meetings.schedule, {
      title: DEMO_TITLE,
      description: "A live demo meeting: open it in two browsers as two people.",
      scheduledAt: Date.now(),
      durationMinutes: 45,
      idempotencyKey: "seed-demo-meeting",
    }),
  );
  const meetingId = scheduled.meetingId;
  for (const u of DEMO_USERS.slice(1)) {
    ok(
      `inviting ${u.name}`,
      await ada.mutation(api.participants.invite, {
        meetingId,
        email: u.email,
        role: "participant",
        idempotencyKey: `seed-invite-${u.subject}`,
      }),
    );
  }
  ok("starting the demo meeting", await ada.mutation(api.meetings.start, { meetingId }));
  ok("Ada joining", await ada.mutation(api.participants.join, { meetingId }));
  ok("Grace joining", await grace.mutation(api.participants.join, { meetingId }));
  await seedNotes(ada, meetingId);
  console.log(
    `[seed] demo meeting ${meetingId} is live with notes; people: ${DEMO_USERS.map((u) => u.name).join(", ")}`,
  );
}

main().catch((e: unknown) => {
  console.error(`[seed] failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
