/**
 * Server → client frames of the sync protocol (`convex/browser/sync/protocol.ts`),
 * built from call outcomes: query modifications, mutation and action
 * responses, and the u64 timestamp encoding.
 */
import { convexToJson, type Value } from "convex/values";
import type { CallOutcome } from "./backend";

/** A frame as sent (JSON-serializable). */
export type Frame = Record<string, unknown>;

/** Encode a u64 timestamp as the protocol does (8 bytes little-endian, base64). */
export function encodeTs(ts: bigint): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(ts);
  return b.toString("base64");
}

/** The later of two timestamps (bigints, which `Math.max` does not take). */
export function maxTs(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** A value already encoded as JSON text, spliced into a frame as is by {@link encodeTransition}. */
export class RawJson {
  constructor(readonly json: string) {}
}

/**
 * The JSON text of each successful outcome's value, once per outcome object:
 * subscribers sharing one execution (`query-cache.ts`) share the text, and the
 * same text is the unchanged-result key and the bytes sent (issue 20: the
 * result was converted for the key and serialized again for the socket).
 */
const valueJson = new WeakMap<object, string>();

function jsonOf(outcome: CallOutcome & { ok: true }): string {
  let json = valueJson.get(outcome);
  if (json === undefined) {
    json = JSON.stringify(convexToJson(outcome.value as Value));
    valueJson.set(outcome, json);
  }
  return json;
}

/** `QueryUpdated` or `QueryFailed` for `queryId`, plus a key to detect unchanged results. */
export function queryModification(
  queryId: number,
  outcome: CallOutcome,
  journal: string | null = null,
): { frame: Frame; key: string } {
  if (outcome.ok) {
    const json = jsonOf(outcome);
    return {
      frame: {
        type: "QueryUpdated",
        queryId,
        value: new RawJson(json),
        logLines: outcome.logLines,
        journal,
      },
      key: `QueryUpdated:${json}:${journal ?? ""}`,
    };
  }
  return {
    frame: {
      type: "QueryFailed",
      queryId,
      errorMessage: outcome.message,
      logLines: outcome.logLines,
      ...(outcome.data !== undefined ? { errorData: outcome.data } : {}),
      journal,
    },
    key: `QueryFailed:${JSON.stringify([outcome.message, outcome.data])}`,
  };
}

/** `MutationResponse` or `ActionResponse`; successful mutations carry their commit `ts`. */
export function requestResponse(
  type: "MutationResponse" | "ActionResponse",
  requestId: number,
  outcome: CallOutcome,
  ts?: bigint,
): Frame {
  if (outcome.ok) {
    return {
      type,
      requestId,
      success: true,
      result: convexToJson(outcome.value as Value),
      ...(ts !== undefined ? { ts: encodeTs(ts) } : {}),
      logLines: outcome.logLines,
    };
  }
  return {
    type,
    requestId,
    success: false,
    result: outcome.message,
    logLines: outcome.logLines,
    ...(outcome.data !== undefined ? { errorData: outcome.data } : {}),
  };
}

/** One frame as JSON text, with {@link RawJson} values spliced in unparsed. */
function encodeModification(m: Frame): string {
  if (!(m.value instanceof RawJson)) return JSON.stringify(m);
  const { value, ...rest } = m;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)},"value":${value.json}}`;
}

/** A `Transition` frame as JSON text (query results are spliced, not serialized again). */
export function encodeTransition(
  startVersion: Frame,
  endVersion: Frame,
  modifications: Frame[],
): string {
  return `{"type":"Transition","startVersion":${JSON.stringify(startVersion)},"endVersion":${JSON.stringify(endVersion)},"modifications":[${modifications.map(encodeModification).join(",")}]}`;
}
