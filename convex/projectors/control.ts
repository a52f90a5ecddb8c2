/**
 * Which version of a projection reads use, and which versions are live
 * (receive kicks). A projection without a control row reads its newest
 * version; the rebuild (`rebuild.ts`) creates and advances the row.
 */
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
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
