/**
 * Which version of a projection reads use, and which versions are live
 * (receive kicks). A projection without a control row reads its newest
 * version; the rebuild (`rebuild.ts`) creates and advances the row.
 */

import type { WithoutSystemFields } from "convex/server";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { projectorOf } from "./registry";

/** The control row of `projection`, if any. */
export async function getControl(
  ctx: QueryCtx,
  projection: string,
): Promise<Doc<"projectionControl"> | null> {
  return await ctx.db
    .query("projectionControl")
    .withIndex("by_projection", (q) => q.eq("projection", projection))
    .unique();
}

/** The version reads of `projection` use. */
export async function readVersionOf(ctx: QueryCtx, projection: string): Promise<number> {
  const control = await getControl(ctx, projection);
  if (control) return control.readVersion;
  const p = projectorOf(projection);
  if (!p) throw new Error(`unknown projection ${projection}`);
  return p.latest;
}

/** Versions that projectors keep up to date: the read version and the one being built. */
export function liveVersions(control: Doc<"projectionControl"> | null, latest: number): number[] {
  if (!control) return [latest];
  const out = [control.readVersion];
  if (control.buildVersion !== undefined && control.buildVersion !== control.readVersion) {
    out.push(control.buildVersion);
  }
  return out;
}

/**
 * Update a control row, removing fields set to `undefined` (done as a
 * `replace`, which every Convex implementation treats the same way).
 */
export async function updateControl(
  ctx: MutationCtx,
  control: Doc<"projectionControl">,
  changes: Partial<WithoutSystemFields<Doc<"projectionControl">>>,
): Promise<void> {
  const { _id, _creationTime, ...rest } = control;
  void _creationTime;
  const next: Record<string, unknown> = { ...rest, ...changes };
  for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
  await ctx.db.replace(
    "projectionControl",
    _id,
    next as WithoutSystemFields<Doc<"projectionControl">>,
  );
}
