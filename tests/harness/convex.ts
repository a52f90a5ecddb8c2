/**
 * The one way tests build a Convex backend in-process: `convex-test` over the
 * project's real `convex/` modules and schema, with every component of
 * `convex/convex.config.ts` registered, Convex's transaction limits on, and
 * the limits convex-test does not check (document size, array length,
 * argument size; durations reported) checked by `./limits`.
 */
import actionCacheTest from "@convex-dev/action-cache/test";
import actionRetrierTest from "@convex-dev/action-retrier/test";
import rateLimiterTest from "@convex-dev/rate-limiter/test";
import { getFunctionName } from "convex/server";
import type { Value } from "convex/values";
import { convexTest } from "convex-test";
import schema from "../../convex/schema";
import { assertArgumentsWithinLimits, installDocumentLimitChecks, recordDuration } from "./limits";
import { trackBackend } from "./live";

/** Every module under `convex/` (the `_generated` keys tell convex-test where the root is). */
export const convexModules = import.meta.glob([
  "../../convex/**/*.ts",
  "!../../convex/**/*.test.ts",
]);

const CALLS = new Set(["query", "mutation", "action"]);

/** Wraps calls with the argument-size check and duration report, keeping the exact type. */
function withLimits<T extends object>(t: T): T {
  return new Proxy(t, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "withIdentity") {
        return (...a: unknown[]) =>
          withLimits((value as (...x: unknown[]) => object).apply(target, a));
      }
      if (typeof prop === "string" && CALLS.has(prop)) {
        return async (fn: unknown, args?: Value) => {
          const name = typeof fn === "string" ? fn : getFunctionName(fn as never);
          assertArgumentsWithinLimits(name, args ?? {});
          const started = performance.now();
          try {
            return await (value as (f: unknown, a?: Value) => Promise<unknown>).call(
              target,
              fn,
              args,
            );
          } finally {
            if (prop !== "action") recordDuration(name, performance.now() - started);
          }
        };
      }
      return value;
    },
  });
}

/** A fresh in-memory backend with the project's functions and components. */
export function makeConvex() {
  const t = convexTest({ schema, modules: convexModules, transactionLimits: true });
  rateLimiterTest.register(t);
  actionRetrierTest.register(t);
  actionCacheTest.register(t);
  installDocumentLimitChecks();
  trackBackend(t);
  return withLimits(t);
}

/** The type of a backend made by {@link makeConvex}. */
export type TestBackend = ReturnType<typeof makeConvex>;
