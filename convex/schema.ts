import { defineSchema } from "convex/server";
import { aiTables } from "./tables/ai";
import { billingTables } from "./tables/billing";
import { identityTables } from "./tables/identity";
import { meetingTables } from "./tables/meetings";
import { notesTables } from "./tables/notes";
import { orgTables } from "./tables/orgs";
import { projectionTables } from "./tables/projections";
import { rtcTables } from "./tables/rtc";

/**
 * The whole schema, composed from one module per feature so each feature owns
 * its tables. Event tables are append-only (see DESIGN.md, "The event log").
 */
export default defineSchema({
  ...identityTables,
  ...meetingTables,
  ...notesTables,
  ...projectionTables,
  ...aiTables,
  ...orgTables,
  ...billingTables,
  ...rtcTables,
});
