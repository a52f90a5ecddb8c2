/**
 * Auth-wrapped function builders (convex-helpers custom functions). Every
 * public function of the app is built with one of these, so none can forget
 * to authenticate:
 *
 * - `userQuery`: `ctx.identity` and `ctx.user`. No identity → UNAUTHORIZED.
 *   Identity but no user row yet → UNAUTHORIZED with `details.reason =
 *   "USER_NOT_PROVISIONED"`: the client calls `api.users.ensure` once after
 *   sign-in (a query cannot write, and inventing a user in a query would give
 *   it an id that does not exist).
 * - `userMutation`: same, but the user row is created or refreshed from the
 *   identity claims first (writes only when a claim changed), and the org
 *   membership follows the `org_id` / `role` claims (`lib/orgAccess.ts`).
 * - `userAction`: `ctx.identity` and `ctx.user` (provisioned through an
 *   internal mutation, as actions have no database).
 * - `roomQuery`: the one exception, for the meeting room's hot live views. It
 *   takes `meetingId` and `roomKey`, checks the key (`lib/roomKey.ts`) and
 *   gives the handler `ctx.room` (the check's outcome, so each query answers a
 *   refusal its own way, as a value or a thrown FORBIDDEN) and never reads
 *   auth: `ctx.auth` is replaced by one that throws, so a room query cannot
 *   depend on who asks, and one execution can serve every subscriber.
 */
import type { UserIdentity } from "convex/server";
import { v } from "convex/values";
import {
  customAction,
  customCtx,
  customCtxAndArgs,
  customMutation,
  customQuery,
} from "convex-helpers/server/customFunctions";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import { action, mutation, type QueryCtx, query } from "../_generated/server";
import { appError } from "./errors";
import { syncOrgClaims } from "./orgAccess";
import { checkRoomKey } from "./roomKey";
import { findUser, upsertUser } from "./users";

/** The identity, or UNAUTHORIZED. */
export async function requireIdentity(ctx: { auth: QueryCtx["auth"] }): Promise<UserIdentity> {
  const identity = await ctx.auth.getUserIdentity();
  if (!identity)
    throw appError("UNAUTHORIZED", "sign in first: this function needs an authenticated user");
  return identity;
}

/** The caller's user row, or UNAUTHORIZED (no identity, or `users.ensure` not called yet). */
export async function requireUser(
  ctx: QueryCtx,
): Promise<{ identity: UserIdentity; user: Doc<"users"> }> {
  const identity = await requireIdentity(ctx);
  const user = await findUser(ctx, identity);
  if (!user) {
    throw appError("UNAUTHORIZED", "no user record yet: call api.users.ensure once after sign-in", {
      reason: "USER_NOT_PROVISIONED",
    });
  }
  return { identity, user };
}

/** A public query that needs a signed-in, provisioned user (`ctx.user`, `ctx.identity`). */
export const userQuery = customQuery(
  query,
  customCtx(async (ctx) => await requireUser(ctx)),
);

/** A public mutation that upserts the caller's user from the identity (`ctx.user`, `ctx.identity`). */
export const userMutation = customMutation(
  mutation,
  customCtx(async (ctx) => {
    const identity = await requireIdentity(ctx);
    const now = Date.now();
    const user = await upsertUser(ctx, identity, now);
    await syncOrgClaims(ctx, user, now);
    return { identity, user };
  }),
);

/** A public action with a signed-in user (provisioned on first use). */
export const userAction = customAction(
  action,
  customCtx(async (ctx) => {
    const identity = await requireIdentity(ctx);
    const user: Doc<"users"> = await ctx.runMutation(internal.users.ensureInternal, {});
    return { identity, user };
  }),
);

/** What a room query has instead of `ctx.auth`: reading who asks is a bug there. */
const noAuth: QueryCtx["auth"] = {
  getUserIdentity: () => {
    throw new Error("a roomQuery must not read auth: its answer is shared by every subscriber");
  },
};

/**
 * A public query of the meeting room's live views, guarded by the room key
 * instead of the caller's identity (`ctx.room`: the key check's outcome, with
 * the meeting when it passed; `meetingId` stays an argument of the handler).
 */
export const roomQuery = customQuery(
  query,
  customCtxAndArgs({
    args: { meetingId: v.id("meetings"), roomKey: v.string() },
    input: async (ctx, { meetingId, roomKey }) => ({
      ctx: { auth: noAuth, room: await checkRoomKey(ctx, meetingId, roomKey) },
      args: { meetingId },
    }),
  }),
);
