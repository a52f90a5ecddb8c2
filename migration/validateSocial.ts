/**
 * The field-by-field comparison of a sampled organization, profile,
 * connection or message (see `validate.ts`): the legacy row cleaned again
 * by the importer's mapper against its Convex side (`convex/lib/legacySides.ts`),
 * references compared through the mapping.
 */
import type {
  LegacyConnectionRow,
  LegacyMessageRow,
  LegacyOrgRow,
  LegacyProfileRow,
} from "../convex/lib/legacyRows";
import { CONNECTION_RANK, legacyMessageKey } from "../convex/social/legacy";

/** What the comparison needs around one sampled row. */
export type SocialContext = {
  /** The Convex person of a legacy user id (null: not mapped; undefined: no id). */
  personOf: (legacyUserId: string | undefined) => string | null | undefined;
  /** The Convex row of a legacy org or connection the sampled rows refer to. */
  refRow: (
    table: "organizations" | "connections",
    legacyId: string,
  ) => Record<string, unknown> | null;
  /** The Convex id a legacy org maps to. */
  refId: (table: "organizations", legacyId: string) => string | null;
  eq: (field: string, want: unknown, have: unknown) => void;
};

const ordered = (a: string, b: string) => (a < b ? [a, b] : [b, a]);

/** Compare one mapped social row with its Convex side. */
export function compareSocial(
  table: "organizations" | "profiles" | "connections" | "messages",
  row: unknown,
  outcome: string,
  got: Record<string, unknown>,
  x: SocialContext,
): void {
  if (table === "organizations") {
    const o = row as LegacyOrgRow;
    x.eq("clerkOrgId", o.clerkOrgId, got.clerkOrgId);
    if (outcome === "created") {
      x.eq("name", o.name, got.name);
      x.eq("createdAt", o.createdAt, got.createdAt);
      x.eq("plan (migrated orgs start free)", "free", got.plan);
    }
  } else if (table === "profiles") {
    const p = row as LegacyProfileRow;
    x.eq("user", x.personOf(p.legacyId), got.userId);
    if (outcome === "created") {
      x.eq("displayName", got.userName, got.displayName);
      x.eq("embedding scheduled", true, got.embeddingScheduled);
    }
    const org = p.legacyOrgId === undefined ? null : x.refId("organizations", p.legacyOrgId);
    if (org !== null) x.eq("org membership", true, (got.orgs as string[]).includes(org));
  } else if (table === "connections") {
    const c = row as LegacyConnectionRow;
    const a = x.personOf(c.user1);
    const b = x.personOf(c.user2);
    if (a && b) x.eq("pair", ordered(a, b), [got.lo, got.hi]);
    if (outcome === "created" && got.merged === true) {
      // The pair's other legacy rows were merged in: the best status and the earliest start win.
      x.eq(
        "status (merged pair keeps the best)",
        true,
        CONNECTION_RANK[got.status as LegacyConnectionRow["status"]] >= CONNECTION_RANK[c.status],
      );
      x.eq(
        "createdAt (merged pair keeps the earliest)",
        true,
        (got.createdAt as number) <= c.createdAt,
      );
    } else if (outcome === "created") {
      x.eq("requester", a, got.requester);
      x.eq("status", c.status, got.status);
      x.eq("createdAt", c.createdAt, got.createdAt);
      x.eq("respondedAt", c.respondedAt ?? null, got.respondedAt);
    }
  } else {
    const m = row as LegacyMessageRow;
    x.eq("text", m.text, got.text);
    x.eq("at", m.at, got.at);
    x.eq("from", x.personOf(m.sender), got.from);
    x.eq("clientKey", legacyMessageKey(m.legacyId), got.clientKey);
    const conn = x.refRow("connections", m.legacyConnectionId);
    x.eq("thread of the connection's pair", [conn?.lo ?? null, conn?.hi ?? null], [got.lo, got.hi]);
  }
}
