import { describe, expect, test } from "vitest";
import { foldAll } from "../core/fold";
import type { LogEvent } from "../core/logEvent";
import type { MeetingEvent } from "../events/meeting";
import { currentLull, LULL_MS } from "./evolve";
import { meetingStateFold } from "./versions";

let n = 0;
const m = (event: MeetingEvent): LogEvent => ({
  stream: "meeting",
  ts: BigInt(++n),
  key: `k${n}`,
  at: event.at,
  actor: "x",
  event,
});
const said = (
  at: number,
  speakerId: string,
  utteranceId: string,
  ms: number,
  text = "pricing launch",
): LogEvent => ({
  stream: "transcript",
  ts: BigInt(++n),
  key: `k${n}`,
  at,
  actor: speakerId,
  chunk: {
    seq: n,
    utteranceId,
    speakerId,
    speaker: speakerId,
    text,
    confidence: 1,
    startMs: 0,
    endMs: ms,
    isFinal: true,
  },
});

describe("meetingState fold", () => {
  const log = [
    m({
      type: "MeetingScheduled",
      at: 0,
      hostId: "h",
      title: "T",
      scheduledAt: 0,
      durationMinutes: 30,
    }),
    m({ type: "MeetingStarted", at: 100 }),
    m({ type: "ParticipantJoined", at: 100, userId: "h" }),
    m({ type: "ParticipantJoined", at: 200, userId: "g" }),
    m({ type: "ParticipantJoined", at: 900, userId: "g" }), // duplicate fact: still present since 200
    said(1000, "h", "u1", 4000),
    said(1000, "h", "u1", 4000), // the same final again: counted once
    said(1000 + LULL_MS + 5, "g", "u2", 1500, "pricing budget"),
    m({ type: "ParticipantLeft", at: 20_000, userId: "g" }),
  ];
  const v = foldAll(meetingStateFold, log);

  test("presence since when, and accumulated presence after leaving", () => {
    expect(v.participants).toEqual([
      { userId: "g", role: "participant", status: "left", presentSince: null, presentMs: 19_800 },
      { userId: "h", role: "host", status: "joined", presentSince: 100, presentMs: 0 },
    ]);
  });

  test("speaking time per speaker, lulls and topics", () => {
    expect(v.speakers.map((s) => [s.speakerId, s.speakingMs, s.utterances])).toEqual([
      ["g", 1500, 1],
      ["h", 4000, 1],
    ]);
    expect(v.lulls).toEqual([{ from: 1000, to: 1000 + LULL_MS + 5 }]);
    expect(v.topics[0]).toBe("pricing");
    expect(v.lastActivityAt).toBe(20_000);
    expect(currentLull(v, 20_000 + LULL_MS)).toEqual({ since: 1000 + LULL_MS + 5 });
    expect(currentLull(v, 1000 + LULL_MS + 6)).toBeNull();
  });

  test("ending the meeting closes everyone's presence", () => {
    const ended = foldAll(meetingStateFold, [m({ type: "MeetingEnded", at: 30_000 })], v);
    expect(ended.active).toBe(false);
    expect(ended.participants.find((p) => p.userId === "h")).toMatchObject({
      status: "left",
      presentMs: 29_900,
    });
  });
});
