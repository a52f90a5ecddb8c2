import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "{convex,crdt,projections,engine,web,tests,bench,scripts,legacy,migration}/**/*.test.{ts,tsx}",
    ],
    exclude: ["**/node_modules/**", "web/.next/**"],
    environment: "node",
    setupFiles: ["tests/harness/setup.ts"],
    globalSetup: ["tests/harness/global.ts"],
    // Engine and browser tests start servers and Chromium; two cores, so keep workers modest.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    server: { deps: { inline: ["convex-test", "@convex-dev/rate-limiter"] } },
  },
});
