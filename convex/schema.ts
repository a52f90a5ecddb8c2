import { defineSchema } from "convex/server";
import { aiTables } from "./tables/ai";
import { billingTables } from "./tables/billing";
import { embeddingTables } from "./tables/embeddings";
import { identityTables } from "./tables/identity";
import { invitationTables } from "./tables/invitations";
import { matchingTables } from "./tables/matching";
import { meetingTables } from "./tables/meetings";
import { migrationTables } from "./tables/migration";
import { notesTables } from "./tables/notes";
import { opsTables } from "./tables/ops";
import { orgTables } from "./tables/orgs";
import { privacyTables } from "./tables/privacy";
import { projectionTables } from "./tables/projections";
import { retentionTables } from "./tables/retention";
import { rtcTables } from "./tables/rtc";
import { searchTables } from "./tables/search";
import { socialTables } from "./tables/social";
import { videoTables } from "./tables/video";

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
  ...orgTables,
  ...billingTables,
  ...matchingTables,
  ...embeddingTables,
  ...socialTables,
  ...rtcTables,
  ...invitationTables,
  ...searchTables,
  ...retentionTables,
  ...opsTables,
  ...privacyTables,
  ...videoTables,
});
