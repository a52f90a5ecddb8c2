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
import type * as health from "../health.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_eventEnvelope from "../lib/eventEnvelope.js";
import type * as projectors_kick from "../projectors/kick.js";
import type * as tables_identity from "../tables/identity.js";
import type * as tables_meetings from "../tables/meetings.js";
import type * as tables_notes from "../tables/notes.js";
import type * as tables_projections from "../tables/projections.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  health: typeof health;
  "lib/errors": typeof lib_errors;
  "lib/eventEnvelope": typeof lib_eventEnvelope;
  "projectors/kick": typeof projectors_kick;
  "tables/identity": typeof tables_identity;
  "tables/meetings": typeof tables_meetings;
  "tables/notes": typeof tables_notes;
  "tables/projections": typeof tables_projections;
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
};
