/**
 * A seeded generator of legacy Connvo data with the dirt real data has.
 * Pure: the same `(users, seed)` gives the same rows, byte for byte (faker
 * instances seeded here, a fixed reference date, no clock).
 *
 * Proportions per user: 1 organization per 25 users (30% of users in one),
 * ~4 interests, ~1.5 meetings, ~2 connections, ~10 messages.
 *
 * Dirt (rates are per row of the table; see `DIRT`):
 * - duplicate emails in another case (a second, later account of one person);
 * - missing names (NULL, empty, blanks), NFD-decomposed and emoji names,
 *   names in German, French, Japanese, Chinese, Arabic, Russian;
 * - malformed emails and emails with blanks around them;
 * - orphaned rows (interests, meetings, connections, messages and organization
 *   ids that point at nothing);
 * - timestamps written in many UTC offsets (`timestamptz` columns), clock
 *   skew (`updated_at` before `created_at`) and `infinity` sentinels;
 * - free-text statuses in other spellings ("COMPLETED", "canceled") and
 *   unknown ones, missing/zero/absurd durations, missing and overlong titles;
 * - interests repeated by one user under another spelling, interests whose
 *   name has no Latin letters, users with more interests than the app allows;
 * - self meetings/connections, the same connection twice, messages from
 *   people outside the connection, empty messages.
 */
import { ar, base, de, en, Faker, fr, ja, ru, zh_CN } from "@faker-js/faker";

/** Rows as they are inserted (timestamps as SQL literals, possibly with an offset). */
export type OrgRow = { id: string; clerk_org_id: string; name: string; created_at: string };
export type UserRow = {
  id: string;
  clerk_id: string;
  email: string;
  name: string | null;
  organization_id: string | null;
  created_at: string;
  updated_at: string | null;
};
export type InterestRow = {
  id: string;
  user_id: string;
  name: string;
  category: string | null;
  created_at: string;
};
export type MeetingRow = {
  id: string;
  user1_id: string;
  user2_id: string | null;
  title: string | null;
  scheduled_at: string;
  duration_minutes: number | null;
  status: string;
  created_at: string;
  updated_at: string | null;
};
export type ConnectionRow = {
  id: string;
  user1_id: string;
  user2_id: string;
  status: string;
  created_at: string;
  updated_at: string | null;
};
export type MessageRow = {
  id: string;
  connection_id: string;
  sender_id: string;
  content: string;
  created_at: string;
  read_at: string | null;
};

/** One generated legacy database. */
export type LegacyDataset = {
  organizations: OrgRow[];
  users: UserRow[];
  interests: InterestRow[];
  meetings: MeetingRow[];
  connections: ConnectionRow[];
  messages: MessageRow[];
};

/** Options of {@link generateLegacyData}. */
export type GenerateOptions = { users: number; seed: number };

/** Why: "now" of the generated world is fixed, so output never depends on the clock. */
export const REFERENCE_DATE = Date.UTC(2025, 5, 1);
const HISTORY_START = Date.UTC(2021, 0, 1);
const DAY = 86_400_000;

/** Dirt rates, each the share of rows of its table. */
export const DIRT = {
  duplicateEmailOtherCase: 0.015,
  nameNull: 0.03,
  nameBlank: 0.01,
  nameNfd: 0.01,
  nameEmoji: 0.01,
  emailMalformed: 0.005,
  emailPadded: 0.01,
  userOrphanOrg: 0.02,
  updatedBeforeCreated: 0.01,
  interestOrphan: 0.005,
  meetingOrphanUser1: 0.005,
  meetingOrphanUser2: 0.01,
  meetingNoUser2: 0.03,
  meetingSelf: 0.005,
  meetingStatusVariant: 0.05,
  meetingStatusUnknown: 0.005,
  meetingInfinity: 0.002,
  meetingDurationNull: 0.03,
  meetingDurationAbsurd: 0.003,
  meetingTitleNull: 0.1,
  meetingTitleLong: 0.003,
  connectionOrphan: 0.005,
  connectionSelf: 0.003,
  connectionDuplicate: 0.01,
  messageOrphanConnection: 0.005,
  messageOutsider: 0.003,
  messageEmpty: 0.003,
} as const;

/** UTC offsets (minutes) writers of `timestamptz` columns used, India and Nepal included. */
const OFFSETS = [0, 0, 60, 120, 330, 345, 540, -300, -420, -480, -210, 600];

const INTERESTS: readonly [string, string | null][] = [
  ["Machine Learning", "Technology"],
  ["machine learning", "Technology"],
  ["Product Management", "Business"],
  ["Startups", "Business"],
  ["Venture Capital", "Finance"],
  ["UX Design", "Design"],
  ["Rust", "Technology"],
  ["Rust 🦀", "Technology"],
  ["TypeScript", "Technology"],
  ["Climate Tech", "Impact"],
  ["Public Speaking", "Career"],
  ["Mentoring", "Career"],
  ["Leadership", "Career"],
  ["Data Engineering", "Technology"],
  ["Growth Marketing", "Marketing"],
  ["Fintech", "Finance"],
  ["Healthcare", "Industry"],
  ["Open Source", "Technology"],
  ["Künstliche Intelligenz", "Technologie"],
  ["Café culture", "Lifestyle"],
  ["Photography", "Hobbies"],
  ["Running", "Hobbies"],
  ["Cybersecurity", "Technology"],
  ["Sales", "Business"],
  ["Remote Work", "Career"],
  ["機械学習", "テクノロジー"],
  ["Blockchain", "Technology"],
  ["Sustainability", "Impact"],
  ["  Design Systems ", "Design"],
  ["AI ethics", null],
];

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");

/** `ms` as a wall-clock literal in UTC without a zone (`timestamp` columns). */
export function utcLiteral(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** `ms` as a literal in the zone `offsetMinutes` east of UTC (`timestamptz` columns). */
export function offsetLiteral(ms: number, offsetMinutes: number): string {
  const wall = utcLiteral(ms + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  return `${wall}${sign}${pad(Math.trunc(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
}

/** A case variant of an email that is not the same string ("Ada@x.io" → "ADA@X.IO" or "ada@x.io"). */
function otherCase(email: string): string {
  const upper = email.toUpperCase();
  if (upper !== email) return upper;
  return email.charAt(0).toLowerCase() + email.slice(1);
}

/** Generate a legacy database of `users` people (and the rest in proportion). */
export function generateLegacyData({ users: userCount, seed }: GenerateOptions): LegacyDataset {
  const f = new Faker({ locale: [en, base] });
  f.seed(seed);
  const locales = [de, fr, ja, zh_CN, ar, ru].map((l, i) => {
    const lf = new Faker({ locale: [l, en, base] });
    lf.seed(seed * 31 + i + 1);
    return lf;
  });
  const chance = (p: number) => f.number.float({ min: 0, max: 1 }) < p;
  const instant = (from: number, to: number) => f.number.int({ min: from, max: to });
  const tz = (ms: number) => offsetLiteral(ms, f.helpers.arrayElement(OFFSETS));
  const ghost = () => f.string.uuid(); // an id that names no row

  const out: LegacyDataset = {
    organizations: [],
    users: [],
    interests: [],
    meetings: [],
    connections: [],
    messages: [],
  };

  const orgCount = Math.max(1, Math.round(userCount / 25));
  for (let i = 0; i < orgCount; i++) {
    out.organizations.push({
      id: f.string.uuid(),
      clerk_org_id: `org_${f.string.alphanumeric(24)}`,
      name: f.company.name(),
      created_at: utcLiteral(instant(HISTORY_START, REFERENCE_DATE - 400 * DAY)),
    });
  }

  const userCreated: number[] = [];
  for (let i = 0; i < userCount; i++) {
    const lf = chance(0.3) ? f.helpers.arrayElement(locales) : f;
    const first = lf.person.firstName();
    const last = lf.person.lastName();
    let name: string | null = `${first} ${last}`;
    const created = instant(HISTORY_START, REFERENCE_DATE - 30 * DAY);
    let email: string;
    const earlier = out.users.length > 0 && chance(DIRT.duplicateEmailOtherCase);
    if (earlier) {
      // A second account of someone who signed up before, typed in another case.
      const prior = f.helpers.arrayElement(out.users);
      email = otherCase(prior.email.trim());
    } else {
      const local = f.internet
        .username({ firstName: f.person.firstName(), lastName: f.person.lastName() })
        .replace(/[^A-Za-z0-9._-]/g, "");
      email = `${local || "user"}${i}@${f.internet.domainName()}`;
      if (chance(0.4)) email = email.charAt(0).toUpperCase() + email.slice(1);
      if (chance(DIRT.emailMalformed))
        email = email.replace("@", f.helpers.arrayElement(["(at)", " at ", "@@", ""]));
      else if (chance(DIRT.emailPadded)) email = `  ${email} `;
    }
    if (chance(DIRT.nameNull)) name = null;
    else if (chance(DIRT.nameBlank)) name = f.helpers.arrayElement(["", "   ", "\t"]);
    else if (chance(DIRT.nameNfd)) name = `${name.normalize("NFD")} Müller-Ñúñez`.normalize("NFD");
    else if (chance(DIRT.nameEmoji))
      name = `${name} ${f.helpers.arrayElement(["🚀", "👩🏽‍💻", "🌱", "✨"])}`;
    const inOrg = chance(0.3);
    const updated = chance(0.2)
      ? null
      : chance(DIRT.updatedBeforeCreated)
        ? created - instant(1_000, 3 * DAY)
        : instant(created, REFERENCE_DATE);
    out.users.push({
      id: f.string.uuid(),
      clerk_id: `user_${f.string.alphanumeric(27)}`,
      email,
      name,
      organization_id: inOrg
        ? chance(DIRT.userOrphanOrg)
          ? ghost()
          : f.helpers.arrayElement(out.organizations).id
        : null,
      created_at: utcLiteral(created),
      updated_at: updated === null ? null : utcLiteral(updated),
    });
    userCreated.push(created);
  }

  const pickUser = () => f.number.int({ min: 0, max: out.users.length - 1 });

  // Interests: ~4 per user; one in 400 users typed far more than the app allows.
  for (let u = 0; u < out.users.length; u++) {
    const n = chance(0.0025)
      ? f.number.int({ min: 32, max: 40 })
      : f.number.int({ min: 0, max: 8 });
    for (let k = 0; k < n; k++) {
      const [label, category] =
        k < INTERESTS.length ? f.helpers.arrayElement(INTERESTS) : [`Topic ${k}`, "Misc"];
      out.interests.push({
        id: f.string.uuid(),
        user_id: chance(DIRT.interestOrphan) ? ghost() : out.users[u]!.id,
        name: label,
        category: category ?? null,
        created_at: tz(instant(userCreated[u]!, REFERENCE_DATE)),
      });
    }
  }

  // Meetings: ~1.5 per user, booked by user1 with user2.
  const meetingCount = Math.round(userCount * 1.5);
  for (let m = 0; m < meetingCount; m++) {
    const a = pickUser();
    let b: number | null = pickUser();
    if (chance(DIRT.meetingSelf)) b = a;
    else if (b === a) b = (a + 1) % out.users.length;
    if (chance(DIRT.meetingNoUser2)) b = null;
    const scheduled = instant(Math.max(userCreated[a]!, HISTORY_START), REFERENCE_DATE + 60 * DAY);
    const created = Math.max(userCreated[a]!, scheduled - instant(DAY, 30 * DAY));
    const past = scheduled < REFERENCE_DATE;
    let status: string = past
      ? f.helpers.weightedArrayElement([
          { value: "completed", weight: 80 },
          { value: "cancelled", weight: 10 },
          { value: "scheduled", weight: 10 },
        ])
      : f.helpers.weightedArrayElement([
          { value: "scheduled", weight: 90 },
          { value: "cancelled", weight: 10 },
        ]);
    if (chance(DIRT.meetingStatusVariant))
      status = (
        { completed: "COMPLETED", cancelled: "canceled", scheduled: " Scheduled " } as Record<
          string,
          string
        >
      )[status]!;
    else if (chance(DIRT.meetingStatusUnknown)) status = "no_show";
    let duration: number | null = f.helpers.arrayElement([15, 30, 30, 45, 60]);
    if (chance(DIRT.meetingDurationNull)) duration = null;
    else if (chance(DIRT.meetingDurationAbsurd))
      duration = f.helpers.arrayElement([0, -30, 10_000]);
    let title: string | null = `${f.company.buzzVerb()} ${f.company.buzzNoun()}`;
    if (chance(DIRT.meetingTitleNull)) title = null;
    else if (chance(DIRT.meetingTitleLong)) title = f.lorem.paragraphs(3);
    else if (chance(0.05)) title = `${title} ☕ ${f.helpers.arrayElement(locales).lorem.word()}`;
    out.meetings.push({
      id: f.string.uuid(),
      user1_id: chance(DIRT.meetingOrphanUser1) ? ghost() : out.users[a]!.id,
      user2_id: b === null ? null : chance(DIRT.meetingOrphanUser2) ? ghost() : out.users[b]!.id,
      title,
      scheduled_at: chance(DIRT.meetingInfinity) ? "infinity" : tz(scheduled),
      duration_minutes: duration,
      status,
      created_at: tz(created),
      updated_at: chance(0.5)
        ? tz(instant(created, Math.max(created, Math.min(scheduled + DAY, REFERENCE_DATE))))
        : null,
    });
  }

  // Connections: ~2 per user.
  const connectionCount = userCount * 2;
  const accepted: { id: string; a: string; b: string; since: number }[] = [];
  for (let c = 0; c < connectionCount; c++) {
    const a = pickUser();
    let b = pickUser();
    if (chance(DIRT.connectionSelf)) b = a;
    else if (b === a) b = (a + 1) % out.users.length;
    const status = f.helpers.weightedArrayElement([
      { value: "accepted", weight: 70 },
      { value: "pending", weight: 20 },
      { value: "declined", weight: 10 },
    ]);
    const created = instant(Math.max(userCreated[a]!, userCreated[b]!), REFERENCE_DATE);
    const row: ConnectionRow = {
      id: f.string.uuid(),
      user1_id: chance(DIRT.connectionOrphan) ? ghost() : out.users[a]!.id,
      user2_id: out.users[b]!.id,
      status,
      created_at: tz(created),
      updated_at: status === "pending" ? null : tz(instant(created, REFERENCE_DATE)),
    };
    out.connections.push(row);
    if (status === "accepted")
      accepted.push({ id: row.id, a: row.user1_id, b: row.user2_id, since: created });
    if (chance(DIRT.connectionDuplicate)) {
      // The same pair connected again (the other way round), as the legacy app allowed.
      out.connections.push({
        ...row,
        id: f.string.uuid(),
        user1_id: row.user2_id,
        user2_id: row.user1_id,
      });
    }
  }

  // Messages: ~10 per user, inside accepted connections.
  const messageCount = userCount * 10;
  for (let m = 0; m < messageCount && accepted.length > 0; m++) {
    const c = f.helpers.arrayElement(accepted);
    const at = instant(c.since, REFERENCE_DATE);
    let content = f.helpers.arrayElement([
      f.lorem.sentence(),
      f.hacker.phrase(),
      `${f.lorem.sentence()} 👍`,
      f.helpers.arrayElement(locales).lorem.sentence(),
    ]);
    if (chance(DIRT.messageEmpty)) content = f.helpers.arrayElement(["", "  "]);
    out.messages.push({
      id: f.string.uuid(),
      connection_id: chance(DIRT.messageOrphanConnection) ? ghost() : c.id,
      sender_id: chance(DIRT.messageOutsider) ? out.users[pickUser()]!.id : chance(0.5) ? c.a : c.b,
      content,
      created_at: tz(at),
      read_at: chance(0.6) ? tz(instant(at, at + 2 * DAY)) : null,
    });
  }
  return out;
}
