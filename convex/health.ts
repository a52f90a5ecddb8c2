import { v } from "convex/values";
import { query } from "./_generated/server";

/** Liveness probe for clients and the start script: public, needs no auth. */
export const ping = query({
  args: {},
  returns: v.object({ ok: v.literal(true) }),
  handler: async () => ({ ok: true as const }),
});
