/**
 * A calendar invitation (RFC 5545 iCalendar, `METHOD:REQUEST`) for one meeting
 * and one attendee. Pure: every time and id comes from the caller.
 *
 * - Times in UTC (`YYYYMMDDTHHMMSSZ`): no VTIMEZONE needed, every client converts.
 * - TEXT values escaped (backslash, `;`, `,`, newlines) per RFC 5545 §3.3.11;
 *   control characters removed.
 * - Lines folded at 75 octets (UTF-8, never inside a character) with CRLF + space
 *   (§3.1); every line ends in CRLF.
 * - `UID` stable per meeting, so a later update (higher `SEQUENCE`) replaces the
 *   event in the attendee's calendar instead of adding a second one.
 */

/** What goes into the invitation. */
export type CalendarInvite = {
  /** Globally unique and stable per meeting, e.g. `<meetingId>@connvo`. */
  uid: string;
  /** When the invitation was made (ms since epoch). */
  stamp: number;
  start: number;
  end: number;
  title: string;
  description?: string;
  /** The meeting's page, also the LOCATION. */
  url: string;
  organizer: { name: string; email: string };
  attendee: { email: string; name?: string };
  /** Increments on each update of the same UID (0 for the first). */
  sequence?: number;
};

/** `YYYYMMDDTHHMMSSZ` of a UTC instant. */
export function icsDate(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError("icsDate: not a finite time");
  return `${new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "")}`;
}

/** Escape a TEXT value (RFC 5545 §3.3.11). */
export function icsText(value: string): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
      .replace(/\\/g, "\\\\")
      .replace(/;/g, "\\;")
      .replace(/,/g, "\\,")
      .replace(/\r\n|\r|\n/g, "\\n")
  );
}

/** A parameter value (CN=…): quoted, with the characters a quoted value cannot hold removed. */
function paramValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, "")}"`;
}

/** Fold one content line at 75 octets without splitting a UTF-8 character (§3.1). */
export function foldLine(line: string): string {
  const enc = new TextEncoder();
  const parts: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    // The first line holds 75 octets; continuation lines 74 after their leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (bytes + n > limit) {
      parts.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** A `mailto:` address with characters that would break the line removed. */
function mailto(email: string): string {
  return `mailto:${email.replace(/[\s;,:"<>]/g, "")}`;
}

/** The `.ics` text of an invitation (CRLF line ends, folded). */
export function calendarInvite(c: CalendarInvite): string {
  if (!(c.end > c.start)) throw new RangeError("calendarInvite: end must be after start");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Connvo//Meetings//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:REQUEST",
    "BEGIN:VEVENT",
    `UID:${icsText(c.uid)}`,
    `DTSTAMP:${icsDate(c.stamp)}`,
    `DTSTART:${icsDate(c.start)}`,
    `DTEND:${icsDate(c.end)}`,
    `SEQUENCE:${Math.max(0, Math.floor(c.sequence ?? 0))}`,
    `SUMMARY:${icsText(c.title)}`,
    ...(c.description ? [`DESCRIPTION:${icsText(c.description)}`] : []),
    `LOCATION:${icsText(c.url)}`,
    `URL:${c.url.replace(/[\r\n]/g, "")}`,
    `ORGANIZER;CN=${paramValue(c.organizer.name)}:${mailto(c.organizer.email)}`,
    `ATTENDEE;${c.attendee.name ? `CN=${paramValue(c.attendee.name)};` : ""}ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:${mailto(c.attendee.email)}`,
    "STATUS:CONFIRMED",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "DESCRIPTION:Reminder",
    "TRIGGER:-PT15M",
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
