import { defineSchema } from "convex/server";
import { aiTables } from "./tables/ai";
import { identityTables } from "./tables/identity";
import { meetingTables } from "./tables/meetings";
import { migrationTables } from "./tables/migration";
import { notesTables } from "./tables/notes";
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
  ...migrationTables,
  ...aiTables,
  ...rtcTables,
});
