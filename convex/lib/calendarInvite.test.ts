import { describe, expect, test } from "vitest";
import { calendarInvite, foldLine, icsDate, icsText } from "./calendarInvite";

const base = {
  uid: "m123@connvo",
  stamp: Date.UTC(2026, 11, 1, 9, 30, 5),
  start: Date.UTC(2026, 11, 2, 14, 0, 0),
  end: Date.UTC(2026, 11, 2, 14, 45, 0),
  title: "Launch; planning, v2",
  url: "https://app.example/meetings/m123",
  organizer: { name: "Ada Lovelace", email: "ada@example.com" },
  attendee: { email: "grace@example.com" },
};

/** Unfold (RFC 5545 §3.1) and split into content lines. */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n /g, "").split("\r\n");
}

describe("calendarInvite (RFC 5545)", () => {
  test("UTC times, METHOD:REQUEST, UID, DTSTAMP, CRLF line ends", () => {
    const ics = calendarInvite(base);
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = unfold(ics);
    expect(lines).toContain("METHOD:REQUEST");
    expect(lines).toContain("UID:m123@connvo");
    expect(lines).toContain("DTSTAMP:20261201T093005Z");
    expect(lines).toContain("DTSTART:20261202T140000Z");
    expect(lines).toContain("DTEND:20261202T144500Z");
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines.at(-2)).toBe("END:VCALENDAR");
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
  });

  test("TEXT values are escaped: backslash, semicolon, comma, newline; control characters go", () => {
    expect(icsText("a\\b;c,d\ne\r\nf\u0007")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
    const lines = unfold(calendarInvite({ ...base, description: "Line 1\nLine 2; more" }));
    expect(lines).toContain("SUMMARY:Launch\\; planning\\, v2");
    expect(lines).toContain("DESCRIPTION:Line 1\\nLine 2\\; more");
  });

  test("a hostile title cannot inject a property", () => {
    const ics = calendarInvite({ ...base, title: "x\r\nATTENDEE:mailto:evil@example.com" });
    const lines = unfold(ics);
    expect(lines.filter((l) => l.startsWith("ATTENDEE"))).toHaveLength(1);
    const organizerName = unfold(
      calendarInvite({ ...base, organizer: { name: 'Eve"\r\nX:1', email: "e@x" } }),
    ).find((l) => l.startsWith("ORGANIZER"));
    expect(organizerName).toBe('ORGANIZER;CN="EveX:1":mailto:e@x');
  });

  test("long lines fold at 75 octets without splitting a UTF-8 character", () => {
    const title = "Ünïcödé ✓ ".repeat(30);
    const ics = calendarInvite({ ...base, title });
    const enc = new TextEncoder();
    for (const physical of ics.split("\r\n"))
      expect(enc.encode(physical).length).toBeLessThanOrEqual(75);
    expect(unfold(ics)).toContain(`SUMMARY:${title}`);
    expect(foldLine("a".repeat(75))).toBe("a".repeat(75));
    expect(foldLine("a".repeat(76))).toBe(`${"a".repeat(75)}\r\n a`);
  });

  test("refuses an end before the start and non-finite times", () => {
    expect(() => calendarInvite({ ...base, end: base.start })).toThrow(RangeError);
    expect(() => icsDate(Number.NaN)).toThrow(RangeError);
  });
});
