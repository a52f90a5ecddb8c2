/**
 * The generator is deterministic (same seed, same rows; another seed, other
 * rows), keeps its proportions, and produces every kind of dirt it promises.
 */
import { describe, expect, it } from "vitest";
import { generateLegacyData, offsetLiteral, utcLiteral } from "./generate";

describe("generateLegacyData", () => {
  const a = generateLegacyData({ users: 2_000, seed: 42 });

  it("is deterministic per seed", () => {
    expect(generateLegacyData({ users: 2_000, seed: 42 })).toEqual(a);
    expect(generateLegacyData({ users: 2_000, seed: 43 }).users[0]).not.toEqual(a.users[0]);
  });

  it("keeps the proportions", () => {
    expect(a.users).toHaveLength(2_000);
    expect(a.meetings).toHaveLength(3_000);
    expect(a.messages).toHaveLength(20_000);
    expect(a.interests.length / 2_000).toBeGreaterThan(3);
    expect(a.connections.length).toBeGreaterThanOrEqual(4_000);
  });

  it("has the dirt real data has", () => {
    const ids = new Set(a.users.map((u) => u.id));
    const byLower = new Map<string, string[]>();
    for (const u of a.users)
      byLower.set(u.email.trim().toLowerCase(), [
        ...(byLower.get(u.email.trim().toLowerCase()) ?? []),
        u.email.trim(),
      ]);
    const caseDuplicates = [...byLower.values()].filter((v) => v.length > 1 && new Set(v).size > 1);
    expect(caseDuplicates.length).toBeGreaterThan(5);
    expect(a.users.filter((u) => u.name === null || u.name.trim() === "").length).toBeGreaterThan(
      20,
    );
    expect(a.users.some((u) => u.name !== null && u.name !== u.name.normalize("NFC"))).toBe(true);
    for (const script of [
      /[\u0400-\u04ff]/,
      /[\u0600-\u06ff]/,
      /[\u3040-\u30ff\u4e00-\u9fff]/,
      /\p{Extended_Pictographic}/u,
    ])
      expect(
        a.users.some((u) => u.name !== null && script.test(u.name)),
        String(script),
      ).toBe(true);
    expect(a.interests.some((i) => !ids.has(i.user_id))).toBe(true);
    expect(a.meetings.some((m) => !ids.has(m.user1_id))).toBe(true);
    expect(a.meetings.some((m) => m.scheduled_at === "infinity")).toBe(true);
    const offsets = new Set(a.meetings.map((m) => m.scheduled_at.slice(-6)));
    expect(offsets.size).toBeGreaterThan(5);
    expect(a.meetings.some((m) => m.status !== m.status.trim().toLowerCase())).toBe(true);
    expect(a.meetings.some((m) => m.user1_id === m.user2_id)).toBe(true);
    expect(a.messages.some((m) => m.content.trim() === "")).toBe(true);
  });
});

describe("timestamp literals", () => {
  it("write the same instant in any offset", () => {
    const ms = Date.UTC(2024, 2, 10, 9, 30, 0, 123);
    expect(utcLiteral(ms)).toBe("2024-03-10 09:30:00.123");
    expect(offsetLiteral(ms, 330)).toBe("2024-03-10 15:00:00.123+05:30");
    expect(offsetLiteral(ms, -480)).toBe("2024-03-10 01:30:00.123-08:00");
    for (const off of [0, 345, -210, 600])
      expect(Date.parse(offsetLiteral(ms, off).replace(" ", "T"))).toBe(ms);
  });
});
