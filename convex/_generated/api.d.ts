/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as ai_config from "../ai/config.js";
import type * as ai_flags from "../ai/flags.js";
import type * as ai_generateWith from "../ai/generateWith.js";
import type * as ai_incallJobs from "../ai/incallJobs.js";
import type * as ai_jobs from "../ai/jobs.js";
import type * as ai_liveContext from "../ai/liveContext.js";
import type * as ai_llm from "../ai/llm.js";
import type * as ai_precallInput from "../ai/precallInput.js";
import type * as ai_precallJobs from "../ai/precallJobs.js";
import type * as ai_promptRuns from "../ai/promptRuns.js";
import type * as ai_prompts from "../ai/prompts.js";
import type * as audit from "../audit.js";
import type * as chat from "../chat.js";
import type * as crons from "../crons.js";
import type * as featureFlags from "../featureFlags.js";
import type * as health from "../health.js";
import type * as idempotency from "../idempotency.js";
import type * as insightItems from "../insightItems.js";
import type * as insights from "../insights.js";
import type * as insightsGenerate from "../insightsGenerate.js";
import type * as lib_access from "../lib/access.js";
import type * as lib_audit from "../lib/audit.js";
import type * as lib_callProvider from "../lib/callProvider.js";
import type * as lib_dualWrite from "../lib/dualWrite.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_eventEnvelope from "../lib/eventEnvelope.js";
import type * as lib_eventValidators from "../lib/eventValidators.js";
import type * as lib_events from "../lib/events.js";
import type * as lib_functions from "../lib/functions.js";
import type * as lib_idempotency from "../lib/idempotency.js";
import type * as lib_legacyAccounts from "../lib/legacyAccounts.js";
import type * as lib_legacyImport from "../lib/legacyImport.js";
import type * as lib_legacyRows from "../lib/legacyRows.js";
import type * as lib_noteLog from "../lib/noteLog.js";
import type * as lib_noteSegmentCodec from "../lib/noteSegmentCodec.js";
import type * as lib_numbers from "../lib/numbers.js";
import type * as lib_rateLimits from "../lib/rateLimits.js";
import type * as lib_results from "../lib/results.js";
import type * as lib_rollout from "../lib/rollout.js";
import type * as lib_rtcRules from "../lib/rtcRules.js";
import type * as lib_rtcSession from "../lib/rtcSession.js";
import type * as lib_speechToText from "../lib/speechToText.js";
import type * as lib_turnCredentials from "../lib/turnCredentials.js";
import type * as lib_typeChecks from "../lib/typeChecks.js";
import type * as lib_users from "../lib/users.js";
import type * as meetingNotes from "../meetingNotes.js";
import type * as meetingState from "../meetingState.js";
import type * as meetingSweeps from "../meetingSweeps.js";
import type * as meetings from "../meetings.js";
import type * as meetings_legacy from "../meetings/legacy.js";
import type * as meetings_lifecycle from "../meetings/lifecycle.js";
import type * as meetings_views from "../meetings/views.js";
import type * as migrationCutover from "../migrationCutover.js";
import type * as migrationDualWrite from "../migrationDualWrite.js";
import type * as migrationDualWriteApply from "../migrationDualWriteApply.js";
import type * as migrationImport from "../migrationImport.js";
import type * as migrationStatus from "../migrationStatus.js";
import type * as notes from "../notes.js";
import type * as notes_push from "../notes/push.js";
import type * as notes_seal from "../notes/seal.js";
import type * as notes_serverEdit from "../notes/serverEdit.js";
import type * as notes_state from "../notes/state.js";
import type * as notes_stats from "../notes/stats.js";
import type * as notes_validators from "../notes/validators.js";
import type * as participants from "../participants.js";
import type * as presence from "../presence.js";
import type * as projections from "../projections.js";
import type * as projectors_aiPrecall from "../projectors/aiPrecall.js";
import type * as projectors_blobs from "../projectors/blobs.js";
import type * as projectors_control from "../projectors/control.js";
import type * as projectors_foldBatch from "../projectors/foldBatch.js";
import type * as projectors_insights from "../projectors/insights.js";
import type * as projectors_kick from "../projectors/kick.js";
import type * as projectors_meetingNotes from "../projectors/meetingNotes.js";
import type * as projectors_meetingState from "../projectors/meetingState.js";
import type * as projectors_notesSnapshot from "../projectors/notesSnapshot.js";
import type * as projectors_rebuild from "../projectors/rebuild.js";
import type * as projectors_registry from "../projectors/registry.js";
import type * as projectors_run from "../projectors/run.js";
import type * as projectors_sources from "../projectors/sources.js";
import type * as projectors_timeline from "../projectors/timeline.js";
import type * as projectors_transcriptSegments from "../projectors/transcriptSegments.js";
import type * as projectors_types from "../projectors/types.js";
import type * as rtcMetrics from "../rtcMetrics.js";
import type * as rtcSessions from "../rtcSessions.js";
import type * as rtcSignals from "../rtcSignals.js";
import type * as rtcTranscribe from "../rtcTranscribe.js";
import type * as rtcTranscription from "../rtcTranscription.js";
import type * as rtcTurn from "../rtcTurn.js";
import type * as seed from "../seed.js";
import type * as tables_ai from "../tables/ai.js";
import type * as tables_identity from "../tables/identity.js";
import type * as tables_meetings from "../tables/meetings.js";
import type * as tables_migration from "../tables/migration.js";
import type * as tables_notes from "../tables/notes.js";
import type * as tables_projections from "../tables/projections.js";
import type * as tables_rtc from "../tables/rtc.js";
import type * as timeline from "../timeline.js";
import type * as transcriptSegments from "../transcriptSegments.js";
import type * as transcripts from "../transcripts.js";
import type * as transcripts_ingest from "../transcripts/ingest.js";
import type * as users from "../users.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  "ai/config": typeof ai_config;
  "ai/flags": typeof ai_flags;
  "ai/generateWith": typeof ai_generateWith;
  "ai/incallJobs": typeof ai_incallJobs;
  "ai/jobs": typeof ai_jobs;
  "ai/liveContext": typeof ai_liveContext;
  "ai/llm": typeof ai_llm;
  "ai/precallInput": typeof ai_precallInput;
  "ai/precallJobs": typeof ai_precallJobs;
  "ai/promptRuns": typeof ai_promptRuns;
  "ai/prompts": typeof ai_prompts;
  audit: typeof audit;
  chat: typeof chat;
  crons: typeof crons;
  featureFlags: typeof featureFlags;
  health: typeof health;
  idempotency: typeof idempotency;
  insightItems: typeof insightItems;
  insights: typeof insights;
  insightsGenerate: typeof insightsGenerate;
  "lib/access": typeof lib_access;
  "lib/audit": typeof lib_audit;
  "lib/callProvider": typeof lib_callProvider;
  "lib/dualWrite": typeof lib_dualWrite;
  "lib/errors": typeof lib_errors;
  "lib/eventEnvelope": typeof lib_eventEnvelope;
  "lib/eventValidators": typeof lib_eventValidators;
  "lib/events": typeof lib_events;
  "lib/functions": typeof lib_functions;
  "lib/idempotency": typeof lib_idempotency;
  "lib/legacyAccounts": typeof lib_legacyAccounts;
  "lib/legacyImport": typeof lib_legacyImport;
  "lib/legacyRows": typeof lib_legacyRows;
  "lib/noteLog": typeof lib_noteLog;
  "lib/noteSegmentCodec": typeof lib_noteSegmentCodec;
  "lib/numbers": typeof lib_numbers;
  "lib/rateLimits": typeof lib_rateLimits;
  "lib/results": typeof lib_results;
  "lib/rollout": typeof lib_rollout;
  "lib/rtcRules": typeof lib_rtcRules;
  "lib/rtcSession": typeof lib_rtcSession;
  "lib/speechToText": typeof lib_speechToText;
  "lib/turnCredentials": typeof lib_turnCredentials;
  "lib/typeChecks": typeof lib_typeChecks;
  "lib/users": typeof lib_users;
  meetingNotes: typeof meetingNotes;
  meetingState: typeof meetingState;
  meetingSweeps: typeof meetingSweeps;
  meetings: typeof meetings;
  "meetings/legacy": typeof meetings_legacy;
  "meetings/lifecycle": typeof meetings_lifecycle;
  "meetings/views": typeof meetings_views;
  migrationCutover: typeof migrationCutover;
  migrationDualWrite: typeof migrationDualWrite;
  migrationDualWriteApply: typeof migrationDualWriteApply;
  migrationImport: typeof migrationImport;
  migrationStatus: typeof migrationStatus;
  notes: typeof notes;
  "notes/push": typeof notes_push;
  "notes/seal": typeof notes_seal;
  "notes/serverEdit": typeof notes_serverEdit;
  "notes/state": typeof notes_state;
  "notes/stats": typeof notes_stats;
  "notes/validators": typeof notes_validators;
  participants: typeof participants;
  presence: typeof presence;
  projections: typeof projections;
  "projectors/aiPrecall": typeof projectors_aiPrecall;
  "projectors/blobs": typeof projectors_blobs;
  "projectors/control": typeof projectors_control;
  "projectors/foldBatch": typeof projectors_foldBatch;
  "projectors/insights": typeof projectors_insights;
  "projectors/kick": typeof projectors_kick;
  "projectors/meetingNotes": typeof projectors_meetingNotes;
  "projectors/meetingState": typeof projectors_meetingState;
  "projectors/notesSnapshot": typeof projectors_notesSnapshot;
  "projectors/rebuild": typeof projectors_rebuild;
  "projectors/registry": typeof projectors_registry;
  "projectors/run": typeof projectors_run;
  "projectors/sources": typeof projectors_sources;
  "projectors/timeline": typeof projectors_timeline;
  "projectors/transcriptSegments": typeof projectors_transcriptSegments;
  "projectors/types": typeof projectors_types;
  rtcMetrics: typeof rtcMetrics;
  rtcSessions: typeof rtcSessions;
  rtcSignals: typeof rtcSignals;
  rtcTranscribe: typeof rtcTranscribe;
  rtcTranscription: typeof rtcTranscription;
  rtcTurn: typeof rtcTurn;
  seed: typeof seed;
  "tables/ai": typeof tables_ai;
  "tables/identity": typeof tables_identity;
  "tables/meetings": typeof tables_meetings;
  "tables/migration": typeof tables_migration;
  "tables/notes": typeof tables_notes;
  "tables/projections": typeof tables_projections;
  "tables/rtc": typeof tables_rtc;
  timeline: typeof timeline;
  transcriptSegments: typeof transcriptSegments;
  transcripts: typeof transcripts;
  "transcripts/ingest": typeof transcripts_ingest;
  users: typeof users;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {
  rateLimiter: import("@convex-dev/rate-limiter/_generated/component.js").ComponentApi<"rateLimiter">;
  actionRetrier: import("@convex-dev/action-retrier/_generated/component.js").ComponentApi<"actionRetrier">;
  actionCache: import("@convex-dev/action-cache/_generated/component.js").ComponentApi<"actionCache">;
};
