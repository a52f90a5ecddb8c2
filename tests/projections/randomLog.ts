/**
 * Random meeting logs for property tests: bounded arbitraries over lifecycle
 * and presence events, interim/final transcript chunks, concurrent note edits
 * from two clients, and drain points; `play` appends them through the real
 * append path.
 */
import fc from "fast-check";
import * as Y from "yjs";
import type { Id } from "../../convex/_generated/dataModel";
import type { TestBackend } from "../harness/convex";
import { appendChunk, appendMeeting, appendNote, drain } from "./fixtures";

const USERS = ["u1", "u2", "u3"];
const WORDS = ["budget", "launch", "roadmap", "hiring", "the", "and", "design", "metrics", "we"];

/** One random step of a meeting. */
export type Op =
  | { k: "start" }
  | { k: "end" }
  | { k: "invite"; u: number }
  | { k: "join"; u: number }
  | { k: "leave"; u: number }
  | { k: "chunk"; u: number; utt: number; final: boolean; words: string[]; dur: number }
  | { k: "note"; client: number; words: string[] }
  | { k: "drain" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ k: "start" }),
  fc.constant<Op>({ k: "end" }),
  fc.record({ k: fc.constant("invite" as const), u: fc.nat(2) }),
  fc.record({ k: fc.constant("join" as const), u: fc.nat(2) }),
  fc.record({ k: fc.constant("leave" as const), u: fc.nat(2) }),
  fc.record({
    k: fc.constant("chunk" as const),
    u: fc.nat(2),
    utt: fc.nat(5),
    final: fc.boolean(),
    words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }),
    dur: fc.integer({ min: 100, max: 8000 }),
  }),
  fc.record({
    k: fc.constant("note" as const),
    client: fc.nat(1),
    words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  }),
  fc.constant<Op>({ k: "drain" }),
);
/** One step and the wall-clock gap before it. */
export const stepArb = fc.record({ op: opArb, gap: fc.integer({ min: 0, max: 15_000 }) });

/** Append the steps (drained where they say, and at the end). */
export async function play(
  t: TestBackend,
  meetingId: Id<"meetings">,
  steps: { op: Op; gap: number }[],
) {
  let at = 1_000_000;
  let seq = 0;
  const clients = [new Y.Doc(), new Y.Doc()].map((doc, i) => {
    doc.clientID = 1000 + i;
    return { doc, seq: 0 };
  });
  await appendMeeting(t, meetingId, {
    type: "MeetingScheduled",
    at,
    hostId: "u1",
    title: "Sync",
    scheduledAt: at,
    durationMinutes: 30,
  });
  for (const { op, gap } of steps) {
    at += gap;
    switch (op.k) {
      case "drain":
        await drain(t);
        break;
      case "start":
        await appendMeeting(t, meetingId, { type: "MeetingStarted", at });
        break;
      case "end":
        await appendMeeting(t, meetingId, { type: "MeetingEnded", at });
        break;
      case "invite":
        await appendMeeting(t, meetingId, {
          type: "ParticipantInvited",
          at,
          userId: USERS[op.u]!,
          role: "participant",
        });
        break;
      case "join":
      case "leave":
        await appendMeeting(t, meetingId, {
          type: op.k === "join" ? "ParticipantJoined" : "ParticipantLeft",
          at,
          userId: USERS[op.u]!,
        });
        break;
      case "chunk":
        seq += 1;
        await appendChunk(t, meetingId, at, {
          seq,
          utteranceId: `utt-${op.utt}`,
          speakerId: USERS[op.u]!,
          speaker: USERS[op.u]!,
          text: op.words.join(" "),
          confidence: 0.9,
          startMs: at - 1_000_000,
          endMs: at - 1_000_000 + op.dur,
          isFinal: op.final,
        });
        break;
      case "note": {
        const c = clients[op.client]!;
        let captured: Uint8Array | null = null;
        const capture = (u: Uint8Array) => {
          captured = u;
        };
        c.doc.on("update", capture);
        const p = new Y.XmlElement("paragraph");
        const text = new Y.XmlText();
        text.insert(0, op.words.join(" "));
        p.insert(0, [text]);
        c.doc.getXmlFragment("default").insert(0, [p]);
        c.doc.off("update", capture);
        c.seq += 1;
        await appendNote(t, meetingId, at, captured!, c.doc.clientID, c.seq);
        break;
      }
    }
  }
  await drain(t);
}
