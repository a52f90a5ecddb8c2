/** Meeting event storage shape and upcasting. */
import { describe, expect, test } from "vitest";
import {
  type MeetingEvent,
  type StoredMeetingEvent,
  toStoredMeetingEvent,
  type Upcaster,
  upcastMeetingEvent,
} from "./meeting";

describe("meeting events", () => {
  test("an event round-trips through its stored shape", () => {
    const e: MeetingEvent = { type: "ParticipantInvited", at: 7, userId: "u1", role: "observer" };
    const stored = toStoredMeetingEvent(e);
    expect(stored).toEqual({
      kind: "ParticipantInvited",
      schemaVersion: 1,
      at: 7,
      data: { userId: "u1", role: "observer" },
    });
    expect(upcastMeetingEvent(stored)).toEqual(e);
  });

  test("old versions are lifted step by step through the upcasters", () => {
    // A made-up history for the mechanism: v1 stored `minutes`, v2 renamed it, v3 is current.
    const upcasters: Record<string, Record<number, Upcaster>> = {
      MeetingScheduled: {
        1: ({ minutes, ...rest }) => ({ ...rest, durationMinutes: minutes }),
        2: (d) => ({ ...d, title: String(d.title).trim() }),
      },
    };
    const v1: StoredMeetingEvent = {
      kind: "MeetingScheduled",
      schemaVersion: 1,
      at: 5,
      data: { hostId: "h", title: " T ", scheduledAt: 0, minutes: 30 },
    };
    expect(upcastMeetingEvent(v1, upcasters, 3)).toEqual({
      type: "MeetingScheduled",
      at: 5,
      hostId: "h",
      title: "T",
      scheduledAt: 0,
      durationMinutes: 30,
    });
  });

  test("a version from the future or a missing step throws (a poison event)", () => {
    const future: StoredMeetingEvent = {
      kind: "MeetingStarted",
      schemaVersion: 9,
      at: 1,
      data: {},
    };
    expect(() => upcastMeetingEvent(future)).toThrow(/newer/);
    const old: StoredMeetingEvent = { kind: "MeetingStarted", schemaVersion: 1, at: 1, data: {} };
    expect(() => upcastMeetingEvent(old, {}, 2)).toThrow(/no upcaster/);
  });
});
