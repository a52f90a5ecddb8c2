/**
 * The importer's internal mutations for what refers to people (issue 19):
 * organizations (on the free plan), each person's profile and org
 * membership, connections and direct messages. Same shell as
 * `migrationImport.ts`: one transaction per batch with its checkpoint and
 * mappings, a mapped row never written again, references resolved through
 * the mapping (rejected with the reason when they do not resolve).
 */
import { v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import { internalMutation } from "./_generated/server";
import {
  batchArgs,
  mappingOf,
  recordIssue,
  recordMapping,
  resolveReference,
  runBatch,
  unresolvedUserReason,
} from "./lib/legacyImport";
import {
  batchResult,
  type LegacyConnectionRow,
  type LegacyMessageRow,
  type LegacyOrgRow,
  type LegacyProfileRow,
  legacyConnectionRow,
  legacyMessageRow,
  legacyOrgRow,
  legacyProfileRow,
} from "./lib/legacyRows";
import { ensureOrg, findMembership, orgByExternalId } from "./lib/orgAccess";
import { MAX_BATCH_ROWS } from "./migrationImport";
import { afterProfileChange } from "./profiles/edit";
import { loadProfile } from "./profiles/views";
import { importLegacyConnection, importLegacyMessage, messageBatchCache } from "./social/legacy";

/**
 * Import legacy organizations as orgs keyed by their Clerk org id, with no
 * subscription row: every imported org starts on the free plan
 * (`billing/plans.ts`). An org already known by that id is linked, not changed.
 */
export const organizations = internalMutation({
  args: { ...batchArgs, rows: v.array(legacyOrgRow) },
  returns: batchResult,
  handler: async (ctx, args) =>
    await runBatch(
      ctx,
      "organizations",
      MAX_BATCH_ROWS.organizations,
      args,
      async (row: LegacyOrgRow, counts) => {
        if (await mappingOf(ctx, "organizations", row.legacyId)) {
          counts.unchanged++;
          return;
        }
        const known = await orgByExternalId(ctx, row.clerkOrgId);
        const org = known ?? (await ensureOrg(ctx, row.clerkOrgId, row.createdAt, row.name));
        const outcome = known ? "linked" : "created";
        await recordMapping(ctx, {
          table: "organizations",
          legacyId: row.legacyId,
          convexId: org._id,
          outcome,
          runId: args.runId,
        });
        counts[outcome]++;
      },
    ),
});

/**
 * The profile pass over legacy users (after users and interests): an imported
 * person gets a `profiles` row with their name as display name, and their
 * embedding is scheduled as after a profile edit (`afterProfileChange`), so
 * they can be matched; a person linked to someone already on Convex keeps
 * their own profile; a merged duplicate maps to its person's profile. The
 * legacy `organization_id` becomes an active member row (`source:
 * "operator"`) in the imported org; an org that was not imported leaves the
 * person without one (`ORPHAN_ORG` / `ORG_REJECTED` repair).
 */
export const profiles = internalMutation({
  args: { ...batchArgs, rows: v.array(legacyProfileRow) },
  returns: batchResult,
  handler: async (ctx, args) =>
    await runBatch(
      ctx,
      "profiles",
      MAX_BATCH_ROWS.profiles,
      args,
      async (row: LegacyProfileRow, counts) => {
        if (await mappingOf(ctx, "profiles", row.legacyId)) {
          counts.unchanged++;
          return;
        }
        const person = await mappingOf(ctx, "users", row.legacyId);
        if (!person) {
          const reason = await unresolvedUserReason(ctx, row.legacyId);
          await recordIssue(
            ctx,
            args.runId,
            "profiles",
            {
              legacyId: row.legacyId,
              kind: "reject",
              reason,
              detail: `user ${row.legacyId} ${reason === "USER_REJECTED" ? "was rejected" : "was not imported"}`,
            },
            counts,
          );
          return;
        }
        const user = await ctx.db.get("users", person.convexId as Id<"users">);
        if (!user) throw new Error(`mapped user ${person.convexId} is gone`);
        const now = Date.now();
        let profile = await loadProfile(ctx, user._id);
        let outcome: "created" | "merged" | "linked" = "created";
        if (profile) outcome = person.outcome === "merged" ? "merged" : "linked";
        else {
          const id = await ctx.db.insert("profiles", {
            userId: user._id,
            displayName: user.name,
            updatedAt: now,
          });
          profile = (await ctx.db.get("profiles", id))!;
          await afterProfileChange(ctx, user);
        }
        if (row.legacyOrgId !== undefined) {
          const org = await resolveReference(ctx, "organizations", row.legacyOrgId, {
            orphan: "ORPHAN_ORG",
            rejected: "ORG_REJECTED",
          });
          if (!org.ok) {
            await recordIssue(
              ctx,
              args.runId,
              "profiles",
              {
                legacyId: row.legacyId,
                kind: "repair",
                reason: org.reason,
                detail: `organization ${row.legacyOrgId} ${org.reason === "ORPHAN_ORG" ? "does not exist" : "was rejected"}: imported without an org`,
              },
              counts,
            );
          } else if (!(await findMembership(ctx, org.convexId as Id<"orgs">, user._id))) {
            await ctx.db.insert("orgMemberships", {
              orgId: org.convexId as Id<"orgs">,
              userId: user._id,
              role: "member",
              source: "operator",
              status: "active",
              createdAt: now,
              updatedAt: now,
            });
          }
        }
        await recordMapping(ctx, {
          table: "profiles",
          legacyId: row.legacyId,
          convexId: profile._id,
          outcome,
          runId: args.runId,
        });
        counts[outcome]++;
      },
    ),
});

/** Import legacy connections (`social/legacy.ts`). */
export const connections = internalMutation({
  args: { ...batchArgs, rows: v.array(legacyConnectionRow) },
  returns: batchResult,
  handler: async (ctx, args) =>
    await runBatch(
      ctx,
      "connections",
      MAX_BATCH_ROWS.connections,
      args,
      (row: LegacyConnectionRow, counts) => importLegacyConnection(ctx, args.runId, row, counts),
    ),
});

/** Import legacy messages into their pair's thread (`social/legacy.ts`). */
export const messages = internalMutation({
  args: { ...batchArgs, rows: v.array(legacyMessageRow) },
  returns: batchResult,
  handler: async (ctx, args) => {
    const cache = messageBatchCache();
    return await runBatch(
      ctx,
      "messages",
      MAX_BATCH_ROWS.messages,
      args,
      (row: LegacyMessageRow, counts) => importLegacyMessage(ctx, args.runId, row, counts, cache),
    );
  },
});
