/**
 * Serves the service worker (`web/sw/sw.ts`) at `/serwist/sw.js`, built by
 * `@serwist/turbopack` with esbuild when `next build` prerenders this route;
 * the precache manifest lists every file of the build's `.next/static`.
 * The response carries `Service-Worker-Allowed: /`, so the worker controls the
 * whole app although its script lives under `/serwist/`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createSerwistRoute } from "@serwist/turbopack";

// `next build web` runs from the repository root; the web app (its next.config.ts, .next/) is `web/`.
const cwd = existsSync(join(process.cwd(), "web", "next.config.ts"))
  ? join(process.cwd(), "web")
  : process.cwd();

export const { dynamic, dynamicParams, revalidate, generateStaticParams, GET } = createSerwistRoute(
  {
    cwd,
    swSrc: "sw/sw.ts",
    useNativeEsbuild: true,
    // Source maps are not precached: nobody offline needs them.
    globIgnores: ["**/*.map"],
  },
);
