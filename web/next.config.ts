import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { withSerwist } from "@serwist/turbopack";
import type { NextConfig } from "next";

/**
 * The web app lives in `web/` but has no `node_modules` of its own: it uses the
 * repository root's, and imports `../convex/_generated`, `../crdt` and
 * `../projections`. Both bundlers therefore treat the repository root as the
 * project root.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const config: NextConfig = {
  reactStrictMode: true,
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
  // Types are checked once for the whole repository by `tsc -p tsconfig.json`
  // (the root config includes `web/`); a second check inside `next build`
  // would only double the build time on two cores.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
};

/** `withSerwist` keeps esbuild (which builds the service worker) out of the server bundle. */
export default withSerwist(config);
