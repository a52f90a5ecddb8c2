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

/** `QueryUpdated` or `QueryFailed` for `queryId`, plus a key to detect unchanged results. */
export function queryModification(
  queryId: number,
  outcome: CallOutcome,
  journal: string | null = null,
): { frame: Frame; key: string } {
  if (outcome.ok) {
    const value = convexToJson(outcome.value as Value);
    return {
      frame: { type: "QueryUpdated", queryId, value, logLines: outcome.logLines, journal },
      key: `QueryUpdated:${JSON.stringify(value)}:${journal ?? ""}`,
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
