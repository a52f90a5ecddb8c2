/**
 * The pre-call input reads issue 17's profile: display name, headline, job
 * title, company, bio, skills, interest labels, the public "wants to learn"
 * items and flags as aims — and never the owner's private goals or location.
 */
import { describe, expect, test } from "vitest";
import { makeConvex } from "../../tests/harness/convex";
import { onboard, settle, withFakeTimers } from "../../tests/matching/people";
import { api, internal } from "../_generated/api";

withFakeTimers();

describe("ai/precallInput.read", () => {
  test("people come from their profiles' public part", async () => {
    const t = makeConvex();
    const ann = await onboard(t, "Ann", {
      displayName: "Ann Lee",
      headline: "Founder of a climate startup",
      jobTitle: "CEO",
      company: "Acme",
      bio: "Builds grid batteries.",
      skills: ["Fundraising", "Hardware"],
      learning: ["Rust"],
      seeksMentoring: true,
      goals: ["Secret plan to leave Acme"],
      location: "Lisbon",
      interests: ["Climate tech", "Sailing"],
    });
    const ben = await onboard(t, "Ben", { interests: ["Climate tech"], learning: [] });
    const s = await ann.client.mutation(api.meetings.schedule, {
      title: "Intro",
      scheduledAt: Date.now() + 3_600_000,
      durationMinutes: 30,
      invitees: [{ userId: ben.userId, role: "participant" }],
    });
    if (!s.ok) throw new Error(s.message);
    const input = await t.query(internal.ai.precallInput.read, { meetingId: s.meetingId });
    await settle(t);
    if (!input) throw new Error("no pre-call input for a scheduled meeting");
    const a = input.people.find((p: { userId: string }) => p.userId === String(ann.userId));
    expect(a).toMatchObject({
      name: "Ann Lee",
      headline: "Founder of a climate startup",
      jobTitle: "CEO",
      company: "Acme",
      bio: "Builds grid batteries.",
      skills: ["Fundraising", "Hardware"],
      goals: ["learn Rust", "find a mentor"],
    });
    expect([...(a?.interests ?? [])].sort()).toEqual(["Climate tech", "Sailing"]);
    const b = input.people.find((p: { userId: string }) => p.userId === String(ben.userId));
    expect(b).toMatchObject({ name: "Ben", interests: ["Climate tech"], goals: [] });
    const all = JSON.stringify(input);
    expect(all).not.toContain("Secret plan");
    expect(all).not.toContain("Lisbon");
  });
});
