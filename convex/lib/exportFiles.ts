/**
 * "Download my data" files in storage (`dataExports` rows): the one place that
 * deletes them, used when one expires (`exportData.discard`) and when its
 * owner is erased (`erasure/person.ts`).
 */
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/** Delete the export file `storageId` and its row; a file or row already gone is fine. */
export async function discardExport(ctx: MutationCtx, storageId: Id<"_storage">): Promise<number> {
  let changed = 0;
  if (await ctx.db.system.get("_storage", storageId)) {
    await ctx.storage.delete(storageId);
    changed++;
  }
  const rows = await ctx.db
    .query("dataExports")
    .withIndex("by_storage", (q) => q.eq("storageId", storageId))
    .take(10);
  for (const r of rows) {
    await ctx.db.delete("dataExports", r._id);
    changed++;
  }
  return changed;
}
