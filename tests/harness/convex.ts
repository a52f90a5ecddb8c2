/**
 * The one way tests build a Convex backend in-process: `convex-test` over the
 * project's real `convex/` modules and schema, with every component of
 * `convex/convex.config.ts` registered and Convex's transaction limits on.
 */
import rateLimiterTest from "@convex-dev/rate-limiter/test";
import { convexTest } from "convex-test";
import schema from "../../convex/schema";

/** Every module under `convex/` (the `_generated` keys tell convex-test where the root is). */
export const convexModules = import.meta.glob([
  "../../convex/**/*.ts",
  "!../../convex/**/*.test.ts",
]);

/** A fresh in-memory backend with the project's functions and components. */
export function makeConvex() {
  const t = convexTest({ schema, modules: convexModules, transactionLimits: true });
  rateLimiterTest.register(t);
  return t;
}

/** The type of a backend made by {@link makeConvex}. */
export type TestBackend = ReturnType<typeof makeConvex>;
