/**
 * The row mappers' rules (migration/README.md, "Mapping"): each dirty value
 * either gets its documented repair or its documented reject reason, and
 * clean rows pass unchanged.
 */
import { describe, expect, it } from "vitest";
import { canonicalKey, PROFILE_LIMITS } from "../projections/matching/catalogue";
import { normalizeProfileInput } from "../projections/matching/profileInput";
import { cleanEmail, cleanText, toMs, truncate } from "./clean";
import { mapInterest } from "./mapInterests";
import { DEFAULT_DURATION, DEFAULT_TITLE, mapMeeting } from "./mapMeetings";
import { FALLBACK_NAME, mapUser } from "./mapUsers";

const user = {
  id: "u1",
  clerkId: "user_1",
  email: "Ada@Example.com",
  name: "Ada",
  createdAt: 1_000,
  updatedAt: 2_000,
};
const meeting = {
  id: "m1",
  user1Id: "u1",
  user2Id: "u2",
  title: "Chat",
  scheduledAt: 5_000,
  durationMinutes: 30,
  status: "completed",
  createdAt: 4_000,
  updatedAt: null,
};

describe("clean", () => {
  it("normalizes text to NFC without control characters or runs of blanks", () => {
    expect(cleanText(" Zoe\u0308\t\u0000 Mu\u0308ller ")).toBe("Zoë Müller");
    expect(cleanText(null)).toBe("");
  });
  it("cuts text without splitting a surrogate pair", () => {
    expect(truncate("ab😀cd", 4)).toBe("ab…");
    expect(truncate("abc", 3)).toBe("abc");
  });
  it("reads epoch ms and refuses infinity and garbage", () => {
    expect(toMs("1700000000000")).toBe(1_700_000_000_000);
    expect(toMs("Infinity")).toBeNull();
    expect(toMs("-Infinity")).toBeNull();
    expect(toMs(null)).toBeNull();
  });
  it("accepts plausible emails only, lower-cased", () => {
    expect(cleanEmail("  Ada@Example.COM ")).toBe("ada@example.com");
    for (const bad of [
      "ada(at)example.com",
      "ada@@example.com",
      "ada example.com",
      "ada@example",
      "",
    ])
      expect(cleanEmail(bad)).toBeNull();
  });
});

describe("mapUser", () => {
  it("passes a clean row through with the email lower-cased", () => {
    expect(mapUser(user)).toEqual({
      ok: true,
      row: {
        legacyId: "u1",
        clerkId: "user_1",
        email: "ada@example.com",
        name: "Ada",
        createdAt: 1_000,
        updatedAt: 2_000,
      },
      repairs: [],
    });
  });
  it("repairs missing names, bad emails and clock skew, and rejects what cannot be claimed", () => {
    const noName = mapUser({ ...user, name: "  " });
    expect(noName.ok && noName.row.name).toBe("ada");
    expect(noName.ok && noName.repairs.map((r) => r.reason)).toEqual(["NAME_FROM_EMAIL"]);
    const nothing = mapUser({ ...user, name: null, email: "nope" });
    expect(nothing.ok && [nothing.row.name, nothing.row.email]).toEqual([FALLBACK_NAME, undefined]);
    expect(nothing.ok && nothing.repairs.map((r) => r.reason)).toEqual([
      "EMAIL_INVALID",
      "NAME_MISSING",
    ]);
    const skew = mapUser({ ...user, updatedAt: 500 });
    expect(skew.ok && [skew.row.updatedAt, skew.repairs[0]?.reason]).toEqual([1_000, "CLOCK_SKEW"]);
    expect(mapUser({ ...user, clerkId: " " })).toMatchObject({
      ok: false,
      issue: { reason: "MISSING_CLERK_ID" },
    });
    expect(mapUser({ ...user, createdAt: null })).toMatchObject({
      ok: false,
      issue: { reason: "INVALID_TIME" },
    });
  });
  it("attaches the WorkOS user id from the export by Clerk id", () => {
    const m = mapUser(user, new Map([["user_1", "user_01WORKOS"]]));
    expect(m.ok && m.row.workosUserId).toBe("user_01WORKOS");
  });
});

describe("mapInterest", () => {
  it("trims, rejects blanks and unreadable times", () => {
    const base = { id: "i1", userId: "u1", name: " Rust ", category: " Tech ", createdAt: 1 };
    expect(mapInterest(base)).toEqual({
      ok: true,
      row: { legacyId: "i1", legacyUserId: "u1", label: "Rust", category: "Tech", createdAt: 1 },
      repairs: [],
    });
    expect(mapInterest({ ...base, name: "\t " })).toMatchObject({
      ok: false,
      issue: { reason: "EMPTY_INTEREST" },
    });
    expect(mapInterest({ ...base, createdAt: null })).toMatchObject({
      ok: false,
      issue: { reason: "INVALID_TIME" },
    });
  });

  it("cuts labels to the app's own limit, so a profile edit would accept them", () => {
    const long = `Distributed systems ${"and more ".repeat(20)}`;
    const got = mapInterest({ id: "i2", userId: "u1", name: long, category: null, createdAt: 1 });
    expect(got.ok && got.repairs.map((r) => r.reason)).toEqual(["LABEL_TRUNCATED"]);
    const label = got.ok ? got.row.label : "";
    expect(label.length).toBeLessThanOrEqual(PROFILE_LIMITS.label);
    expect(label.startsWith("Distributed systems and more")).toBe(true);
    const edit = normalizeProfileInput({ interests: [label] });
    expect(edit.ok && edit.interests?.map((i) => i.key)).toEqual([canonicalKey(label)]);
  });
});

describe("mapMeeting", () => {
  it("normalizes status spellings", () => {
    for (const [raw, want] of [
      ["COMPLETED", "ended"],
      [" canceled ", "cancelled"],
      ["Scheduled", "scheduled"],
      ["done", "ended"],
    ] as const) {
      const m = mapMeeting({ ...meeting, status: raw });
      expect(m.ok && m.row.status, raw).toBe(want);
    }
    expect(mapMeeting({ ...meeting, status: "no_show" })).toMatchObject({
      ok: false,
      issue: { reason: "UNKNOWN_STATUS" },
    });
  });
  it("defaults missing durations and titles, rejects impossible ones", () => {
    const m = mapMeeting({ ...meeting, durationMinutes: null, title: null });
    expect(m.ok && [m.row.durationMinutes, m.row.title]).toEqual([DEFAULT_DURATION, DEFAULT_TITLE]);
    expect(m.ok && m.repairs.map((r) => r.reason)).toEqual([
      "DURATION_DEFAULTED",
      "TITLE_DEFAULTED",
    ]);
    expect(mapMeeting({ ...meeting, durationMinutes: 10_000 })).toMatchObject({
      ok: false,
      issue: { reason: "INVALID_DURATION" },
    });
    expect(mapMeeting({ ...meeting, scheduledAt: null })).toMatchObject({
      ok: false,
      issue: { reason: "INVALID_TIME" },
    });
    expect(mapMeeting({ ...meeting, scheduledAt: -1 })).toMatchObject({
      ok: false,
      issue: { reason: "INVALID_TIME" },
    });
    const long = mapMeeting({ ...meeting, title: "x".repeat(500) });
    expect(long.ok && long.row.title.length).toBe(200);
  });
  it("keeps the guest optional", () => {
    const m = mapMeeting({ ...meeting, user2Id: null });
    expect(m.ok && "user2" in m.row).toBe(false);
  });
});
