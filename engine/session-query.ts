/**
 * One subscribed query of a sync session: what the client asked for (path,
 * arguments, journal), what the engine learned running it (resolved
 * function, read set) and what was last sent (to skip unchanged results).
 */
import type { JSONValue } from "convex/values";
import type { ResolvedFunction } from "./backend";
import type { CacheKeys } from "./query-cache";
import type { ReadSet } from "./read-set";

/** A subscription's state. */
export type SessionQuery = {
  udfPath: string;
  args: JSONValue;
  decodedArgs: unknown;
  argsJson: string;
  cacheKey: CacheKeys | null;
  resolved: ResolvedFunction | null;
  readSet: ReadSet | null;
  lastSent: string | null;
  /** The query journal (pagination end cursor) sent with its last result. */
  journal: string | null;
};

/** A subscription from an `Add` modification (`udfPath` already checked to be a string). */
export function addedQuery(m: Record<string, unknown>): SessionQuery {
  const args = Array.isArray(m.args) ? (m.args[0] ?? {}) : {};
  return {
    udfPath: m.udfPath as string,
    args: args as JSONValue,
    decodedArgs: undefined,
    argsJson: JSON.stringify(args),
    cacheKey: null,
    resolved: null,
    readSet: null,
    lastSent: null,
    journal: typeof m.journal === "string" ? m.journal : null,
  };
}

/** The `QueryFailed` answer to an `Add` past the session's subscription cap. */
export function tooManyQueries(queryId: number, max: number): Record<string, unknown> {
  return {
    type: "QueryFailed",
    queryId,
    errorMessage: `TooManyQueries: a session may subscribe to at most ${max} queries at once`,
    logLines: [],
    journal: null,
  };
}
