/**
 * Legacy `organizations`, `connections`, `messages` and the profile pass over
 * `users` → the importer's rows (pure). References (people, connections,
 * orgs) are resolved in Convex through the mapping; what needs other rows
 * (the same pair twice, the sender outside the pair) is decided there.
 *
 * - organizations: name cleaned (blank → the Clerk org id, `ORG_NAME_MISSING`;
 *   over 200 characters → cut); `created_at` unreadable → rejected (`INVALID_TIME`).
 * - connections: status accepted / connected / approved → `accepted`,
 *   pending / requested → `pending`, declined / rejected / ignored →
 *   `declined` (any case), else rejected (`UNKNOWN_STATUS`); the same person
 *   on both sides → `SELF_CONNECTION`; `created_at` unreadable → `INVALID_TIME`.
 * - messages: content NFC and trimmed as `directMessages.send` stores it (line
 *   breaks kept); blank → `EMPTY_MESSAGE`; over the app's cap (`MAX_MESSAGE`) → cut
 *   (`CONTENT_TRUNCATED`); `created_at` unreadable → `INVALID_TIME`.
 */

import { MAX_MESSAGE } from "../convex/directMessages";
import type {
  LegacyConnectionRow,
  LegacyMessageRow,
  LegacyOrgRow,
  LegacyProfileRow,
} from "../convex/lib/legacyRows";
import { cleanText, type Mapped, reject, repair, truncate } from "./clean";
import { MAX_NAME } from "./mapUsers";

/** A legacy organization as the reader returns it. */
export type OrgRead = { id: string; clerkOrgId: string; name: string; createdAt: number | null };
/** A legacy user as the profile pass reads it. */
export type ProfileRead = { id: string; organizationId: string | null };
/** A legacy connection as the reader returns it. */
export type ConnectionRead = {
  id: string;
  user1Id: string;
  user2Id: string;
  status: string;
  createdAt: number | null;
  updatedAt: number | null;
};
/** A legacy message as the reader returns it. */
export type MessageRead = {
  id: string;
  connectionId: string;
  senderId: string;
  content: string;
  createdAt: number | null;
  readAt: number | null;
};

/** Map one legacy organization. */
export function mapOrg(o: OrgRead): Mapped<LegacyOrgRow> {
  const repairs = [];
  const clerkOrgId = o.clerkOrgId.trim();
  if (clerkOrgId.length === 0) return reject(o.id, "MISSING_CLERK_ID", "clerk_org_id is blank");
  if (o.createdAt === null) return reject(o.id, "INVALID_TIME", "created_at is not a time");
  let name = cleanText(o.name);
  if (name.length === 0) {
    name = clerkOrgId;
    repairs.push(repair(o.id, "ORG_NAME_MISSING", `name was blank: "${name}"`));
  } else if (name.length > MAX_NAME) {
    name = truncate(name, MAX_NAME);
    repairs.push(repair(o.id, "NAME_TRUNCATED", `name had ${cleanText(o.name).length} characters`));
  }
  return { ok: true, row: { legacyId: o.id, clerkOrgId, name, createdAt: o.createdAt }, repairs };
}

/** Map one legacy user for the profile pass (the profile is built from the imported user). */
export function mapProfile(p: ProfileRead): Mapped<LegacyProfileRow> {
  const row: LegacyProfileRow = { legacyId: p.id };
  if (p.organizationId !== null) row.legacyOrgId = p.organizationId;
  return { ok: true, row, repairs: [] };
}

const CONNECTION_STATUS: Record<string, LegacyConnectionRow["status"]> = {
  accepted: "accepted",
  connected: "accepted",
  approved: "accepted",
  pending: "pending",
  requested: "pending",
  declined: "declined",
  rejected: "declined",
  ignored: "declined",
};

/** Map one legacy connection. */
export function mapConnection(c: ConnectionRead): Mapped<LegacyConnectionRow> {
  const status = CONNECTION_STATUS[c.status.trim().toLowerCase()];
  if (!status) return reject(c.id, "UNKNOWN_STATUS", `status is ${JSON.stringify(c.status)}`);
  if (c.createdAt === null) return reject(c.id, "INVALID_TIME", "created_at is not a time");
  if (c.user1Id === c.user2Id)
    return reject(c.id, "SELF_CONNECTION", `user1 and user2 are both ${c.user1Id}`);
  const row: LegacyConnectionRow = {
    legacyId: c.id,
    user1: c.user1Id,
    user2: c.user2Id,
    status,
    createdAt: c.createdAt,
  };
  if (status !== "pending") row.respondedAt = Math.max(c.createdAt, c.updatedAt ?? c.createdAt);
  return { ok: true, row, repairs: [] };
}

/** Map one legacy message. */
export function mapMessage(m: MessageRead): Mapped<LegacyMessageRow> {
  const repairs = [];
  let text = m.content.normalize("NFC").trim();
  if (text.length === 0)
    return reject(m.id, "EMPTY_MESSAGE", `content is ${JSON.stringify(m.content.slice(0, 40))}`);
  if (m.createdAt === null) return reject(m.id, "INVALID_TIME", "created_at is not a time");
  if (text.length > MAX_MESSAGE) {
    repairs.push(repair(m.id, "CONTENT_TRUNCATED", `content had ${text.length} characters`));
    text = truncate(text, MAX_MESSAGE);
  }
  const row: LegacyMessageRow = {
    legacyId: m.id,
    legacyConnectionId: m.connectionId,
    sender: m.senderId,
    text,
    at: m.createdAt,
  };
  if (m.readAt !== null) row.readAt = m.readAt;
  return { ok: true, row, repairs };
}
