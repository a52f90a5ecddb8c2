/**
 * The request half of a sync session: running `Mutation` and `Action`
 * messages and answering them. Mutations are de-duplicated across reconnects
 * by a key that names the client's session, the request, the caller's
 * identity and the call itself (function and arguments): a client that
 * reuses another's session id never receives the other's result, and its own
 * mutation runs.
 */
import type { UserIdentity } from "convex/server";
import { type JSONValue, jsonToConvex } from "convex/values";
import type { CallFunction, CallOutcome, FunctionKind, ResolvedFunction } from "./backend";
import { describeError } from "./backend";
import type { MutationDedupe } from "./mutation-dedupe";
import { requestResponse } from "./sync-messages";

/** Who a request runs as: an identity (or none), and whether the session holds the admin key. */
export type Caller = { identity: UserIdentity | null; admin: boolean };

/** What running requests needs from the session and the engine. */
export type RequestHost = {
  resolve(udfPath: string, kind: FunctionKind): Promise<ResolvedFunction>;
  resolveAdmin(
    udfPath: string,
    kind: FunctionKind,
    componentPath: string,
  ): Promise<ResolvedFunction>;
  call: CallFunction;
  lastCommitTs(): bigint;
  dedupe: MutationDedupe;
};

/** The part of a request message the runners read (checked by {@link requestShapeError}). */
export type RequestMessage = {
  type: "Mutation" | "Action";
  requestId: number;
  udfPath: string;
  args: JSONValue[];
  componentPath?: string;
};

/** Why a Mutation/Action message is malformed, or null. */
export function requestShapeError(msg: Record<string, unknown>): string | null {
  if (
    typeof msg.requestId !== "number" ||
    typeof msg.udfPath !== "string" ||
    !Array.isArray(msg.args) ||
    (msg.componentPath !== undefined && typeof msg.componentPath !== "string")
  ) {
    return `Malformed ${String(msg.type).slice(0, 40)}: needs requestId (number), udfPath (string), args (array)`;
  }
  return null;
}

/** The de-duplication key of a mutation (null: the client sent no session id). */
export function dedupeKey(
  sessionId: string | null,
  msg: RequestMessage,
  caller: Caller,
): string | null {
  if (sessionId === null) return null;
  const who = caller.identity?.tokenIdentifier ?? "";
  return JSON.stringify([
    sessionId,
    msg.requestId,
    caller.admin ? "admin" : "user",
    who,
    msg.componentPath ?? "",
    msg.udfPath,
    msg.args,
  ]);
}

async function execute(
  host: RequestHost,
  msg: RequestMessage,
  caller: Caller,
  kind: FunctionKind,
): Promise<CallOutcome> {
  try {
    const componentPath = msg.componentPath ?? "";
    if (componentPath !== "" && !caller.admin) {
      return {
        ok: false,
        message: "Calling functions of components from clients needs the engine's admin key.",
        logLines: [],
      };
    }
    const fn = caller.admin
      ? await host.resolveAdmin(msg.udfPath, kind, componentPath)
      : await host.resolve(msg.udfPath, kind);
    return await host.call(fn, jsonToConvex(msg.args[0] ?? {}), caller.identity, "ws");
  } catch (e) {
    return { ok: false, ...describeError(e), logLines: [] };
  }
}

/**
 * Run a mutation (once per de-duplication key) and return its response frame
 * and, when it committed, the commit ts the session must serve.
 */
export async function runMutation(
  host: RequestHost,
  sessionId: string | null,
  msg: RequestMessage,
  caller: Caller,
): Promise<{ frame: Record<string, unknown>; ackTs: bigint | null }> {
  const { outcome, ts } = await host.dedupe.run(dedupeKey(sessionId, msg, caller), async () => {
    const outcome = await execute(host, msg, caller, "mutation");
    return { outcome, ts: host.lastCommitTs() };
  });
  if (!outcome.ok)
    return { frame: requestResponse("MutationResponse", msg.requestId, outcome), ackTs: null };
  return { frame: requestResponse("MutationResponse", msg.requestId, outcome, ts), ackTs: ts };
}

/** Run an action and return its response frame. */
export async function runAction(
  host: RequestHost,
  msg: RequestMessage,
  caller: Caller,
): Promise<Record<string, unknown>> {
  const outcome = await execute(host, msg, caller, "action");
  return requestResponse("ActionResponse", msg.requestId, outcome);
}
