/**
 * Outcomes feed the weights (internal mutation, hourly from the cron): the
 * analytics rows not learned yet, oldest first, are folded into the current
 * weights with the pure learner (`projections/matching/weights.ts`), which
 * the next cycles score with. The one weights row is written only here.
 */
import { v } from "convex/values";
import { learnWeights, type WeightSample } from "../../projections/matching/weights";
import { internal } from "../_generated/api";
import { internalMutation } from "../_generated/server";
import { currentWeights, WEIGHTS_KEY } from "./state";

/** Why 500: a learning step reads and marks 500 small rows (≈ 1,000 document operations). */
export const LEARN_BATCH = 500;

/** Fold the next batch of outcomes into the weights. */
export const learn = internalMutation({
  args: {},
  returns: v.object({ samples: v.number(), version: v.number() }),
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("matchOutcomes")
      .withIndex("by_learned", (q) => q.eq("learned", false))
      .take(LEARN_BATCH);
    const { weights, version } = await currentWeights(ctx);
    if (rows.length === 0) return { samples: 0, version };
    const samples: WeightSample[] = [];
    for (const r of rows) {
      if (r.label !== null) samples.push({ features: r.features, label: r.label });
      await ctx.db.patch("matchOutcomes", r._id, { learned: true });
    }
    const next = learnWeights(weights, samples);
    const now = Date.now();
    const row = await ctx.db
      .query("matchWeights")
      .withIndex("by_key", (q) => q.eq("key", WEIGHTS_KEY))
      .unique();
    if (row)
      await ctx.db.patch("matchWeights", row._id, {
        weights: next,
        version: version + 1,
        samples: row.samples + samples.length,
        updatedAt: now,
      });
    else
      await ctx.db.insert("matchWeights", {
        key: WEIGHTS_KEY,
        weights: next,
        version: version + 1,
        samples: samples.length,
        updatedAt: now,
      });
    if (rows.length === LEARN_BATCH)
      await ctx.scheduler.runAfter(0, internal.matching.learn.learn, {});
    return { samples: samples.length, version: version + 1 };
  },
});
