/**
 * Calling the app's internal functions with admin authentication, as the
 * Convex CLI does (`npx convex run`: `ConvexHttpClient.setAdminAuth(key)`,
 * then `POST /api/function`):
 *
 * - a Convex deployment: `CONVEX_DEPLOY_KEY` (URL from `--url`/`CONVEX_URL`,
 *   else derived from the key's deployment name like the CLI does);
 * - a self-hosted backend or any backend: `CONVEX_ADMIN_KEY` (or
 *   `CONVEX_SELF_HOSTED_ADMIN_KEY`) with `--url`/`CONVEX_URL`/`CONVEX_SELF_HOSTED_URL`;
 * - the embedded engine at its default URL: the key it writes to
 *   `<data-dir>/admin-key` (data dir `.data` unless `--data`).
 *
 * Tests and the benchmark drive the same functions in-process through
 * {@link runnerAdminClient} (an engine's `run`), so every code path above
 * the transport is the one used against a deployment.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConvexHttpClient } from "convex/browser";
import { type FunctionReference, getFunctionName, makeFunctionReference } from "convex/server";

/** Internal and public functions alike, through one admin transport. */
export type AdminClient = {
  /** Where it talks to (for logs and reports). */
  label: string;
  query<F extends FunctionReference<"query", "internal" | "public">>(
    f: F,
    args: F["_args"],
  ): Promise<F["_returnType"]>;
  mutation<F extends FunctionReference<"mutation", "internal" | "public">>(
    f: F,
    args: F["_args"],
  ): Promise<F["_returnType"]>;
};

/** An admin client over HTTP (the real `ConvexHttpClient` with `setAdminAuth`). */
export function httpAdminClient(url: string, adminKey: string): AdminClient {
  // `setAdminAuth` and `function` are the CLI's own (internal, untyped) API of the real client.
  const client = new ConvexHttpClient(url, { logger: false }) as unknown as ConvexHttpClient & {
    setAdminAuth(key: string): void;
    function(
      f: unknown,
      componentPath: string | undefined,
      args: Record<string, unknown>,
    ): Promise<unknown>;
  };
  client.setAdminAuth(adminKey);
  const call = async (
    f: FunctionReference<"query" | "mutation", "internal" | "public">,
    args: unknown,
  ) =>
    await client.function(
      makeFunctionReference(getFunctionName(f)),
      undefined,
      args as Record<string, unknown>,
    );
  return {
    label: url,
    query: async (f, args) => await call(f, args),
    mutation: async (f, args) => await call(f, args),
  };
}

/** Anything that runs a function by path with system rights (the embedded engine's `run`). */
export type FunctionRunner = {
  run(udfPath: string, args?: Record<string, unknown>): Promise<unknown>;
};

/** An admin client over an in-process runner (tests, benchmark, `--in-process`). */
export function runnerAdminClient(runner: FunctionRunner, label = "in-process"): AdminClient {
  const call = async (
    f: FunctionReference<"query" | "mutation", "internal" | "public">,
    args: unknown,
  ) => await runner.run(getFunctionName(f), args as Record<string, unknown>);
  return {
    label,
    query: async (f, args) => (await call(f, args)) as never,
    mutation: async (f, args) => (await call(f, args)) as never,
  };
}

/** The default URL of the embedded engine. */
export const LOCAL_ENGINE_URL = "http://127.0.0.1:3210";

/** Where the admin credentials come from. */
export type AdminTarget = { url: string; key: string; how: string };

/** `prod:happy-otter-123|…` → `https://happy-otter-123.convex.cloud` (the CLI's rule for deployment keys). */
export function urlFromDeployKey(key: string): string | null {
  const [prefix, secret] = key.split("|");
  if (!prefix || !secret) return null;
  const parts = prefix.split(":");
  if (parts[0] === "preview" || parts[0] === "project") return null; // they need the dashboard API to resolve
  const name = parts.at(-1);
  return name && /^[a-z0-9-]+$/.test(name) ? `https://${name}.convex.cloud` : null;
}

/** Resolve the backend URL and admin key from options and the environment. */
export function resolveAdminTarget(o: {
  url?: string;
  dataDir?: string;
  env: Record<string, string | undefined>;
}): AdminTarget {
  const env = o.env;
  const explicitUrl = o.url ?? env.CONVEX_URL ?? env.CONVEX_SELF_HOSTED_URL;
  if (env.CONVEX_DEPLOY_KEY) {
    const url = explicitUrl ?? urlFromDeployKey(env.CONVEX_DEPLOY_KEY);
    if (!url)
      throw new Error(
        "CONVEX_DEPLOY_KEY is set but names no deployment URL: pass --url https://<name>.convex.cloud",
      );
    return { url, key: env.CONVEX_DEPLOY_KEY, how: "CONVEX_DEPLOY_KEY" };
  }
  const adminKey = env.CONVEX_ADMIN_KEY ?? env.CONVEX_SELF_HOSTED_ADMIN_KEY;
  if (adminKey) {
    return {
      url: explicitUrl ?? LOCAL_ENGINE_URL,
      key: adminKey,
      how: env.CONVEX_ADMIN_KEY ? "CONVEX_ADMIN_KEY" : "CONVEX_SELF_HOSTED_ADMIN_KEY",
    };
  }
  const url = explicitUrl ?? LOCAL_ENGINE_URL;
  const file = join(o.dataDir ?? ".data", "admin-key");
  if (existsSync(file)) return { url, key: readFileSync(file, "utf8").trim(), how: file };
  throw new Error(
    `no admin key: set CONVEX_DEPLOY_KEY (a Convex deployment), CONVEX_ADMIN_KEY (any backend), or start the local engine so it writes ${file}` +
      " (or run with --in-process against a stopped engine's data directory)",
  );
}
