/**
 * Embeddings for a new model version, watching progress.
 *
 *   npm run embeddings:backfill [-- --url URL] [--token TOKEN]   build the configured key's vectors
 *   npm run embeddings:backfill -- --status                      model keys and their progress
 *
 * The configured key is the backend's (`EMBEDDINGS_PROVIDER`, `EMBEDDINGS_MODEL`,
 * `EMBEDDINGS_VERSION`, … in its environment; `convex/embeddings/config.ts`).
 * The backfill runs on the server in bounded steps: searches keep using the
 * serving key's vectors until every profile has a vector of the new key, then
 * the new key serves and the old rows are deleted in batches. Stopping this
 * script only stops the watching; running it again resumes (a stopped
 * backfill, e.g. after a provider error, continues from its cursor).
 *
 * Talks to a backend through the ordinary `ConvexHttpClient` (default: the
 * embedded engine `http://127.0.0.1:3210`, or `CONVEX_URL`), with the
 * operator token (`--token` or `CONNVO_ADMIN_TOKEN`, equal to the backend's).
 * With a deploy key: `npx convex run embeddings:startBackfillInternal`.
 */
import { pathToFileURL } from "node:url";
import { SingleBar } from "cli-progress";
import { ConvexHttpClient } from "convex/browser";
import { api } from "../convex/_generated/api";
import { type OperatorOptions, parseOperatorArgs } from "./operatorArgs";

/** Why: twice a second is smooth for a progress bar and light on the backend. */
const POLL_MS = 500;

/** Options of one run. */
export type EmbeddingsCliOptions = OperatorOptions & { mode: "backfill" | "status" };

function parseArgs(argv: string[]): EmbeddingsCliOptions {
  let mode: EmbeddingsCliOptions["mode"] = "backfill";
  const o = parseOperatorArgs(
    argv,
    "npm run embeddings:backfill -- [--url URL] [--token TOKEN] [--status]",
    (a) => {
      if (a !== "--status") return false;
      mode = "status";
      return true;
    },
  );
  return { ...o, mode };
}

/** Count profiles page by page (the bar's total). */
async function countProfiles(client: ConvexHttpClient, token: string): Promise<number> {
  let total = 0;
  let cursor: number | null = null;
  for (;;) {
    const page: { count: number; cursor: number | null; done: boolean } = await client.query(
      api.embeddings.countProfiles,
      { adminToken: token, cursor },
    );
    total += page.count;
    cursor = page.cursor;
    if (page.done) return total;
  }
}

/** Run the command. */
export async function runEmbeddingsCli(o: EmbeddingsCliOptions): Promise<void> {
  const client = new ConvexHttpClient(o.url, { logger: false });
  if (o.mode === "status") {
    const s = await client.query(api.embeddings.status, { adminToken: o.token });
    o.log(`configured: ${s.configured}`);
    for (const k of s.keys)
      o.log(
        `${k.modelKey}: ${k.status}, ${k.backfilled} backfilled, ${k.failed} failed steps, ${k.deleted} deleted` +
          (k.lastError ? `; last error: ${k.lastError}` : ""),
      );
    return;
  }
  const total = await countProfiles(client, o.token);
  const started = await client.mutation(api.embeddings.startBackfill, { adminToken: o.token });
  o.log(`embedding ${total} profiles for ${started.modelKey} on ${o.url}`);
  const interactive = process.stderr.isTTY === true;
  const bar = new SingleBar({
    format: " {bar} {percentage}% | {value}/{total} profiles | {rate}/s | ETA {eta}s | {phase}",
    stream: process.stderr,
    hideCursor: true,
  });
  if (interactive) bar.start(Math.max(1, total), 0, { rate: 0, phase: started.status });
  const t0 = Date.now();
  let lastLine = "";
  for (;;) {
    const s = await client.query(api.embeddings.status, { adminToken: o.token });
    const key = s.keys.find((k) => k.modelKey === started.modelKey);
    if (!key) throw new Error(`no index metadata for ${started.modelKey}`);
    const retiring = s.keys.filter((k) => k.status === "retiring");
    const value = Math.min(total, key.backfilled);
    const rate = Math.round((value * 1000) / Math.max(1, Date.now() - t0));
    const phase =
      key.status !== "serving"
        ? key.status
        : !key.complete
          ? "filling"
          : retiring.length
            ? "deleting old vectors"
            : "serving";
    if (interactive) bar.update(value, { rate, phase });
    else {
      const line = `${phase} ${value}/${total} profiles`;
      if (line !== lastLine) o.log(line);
      lastLine = line;
    }
    if (key.lastError?.startsWith("stopped")) {
      if (interactive) bar.stop();
      throw new Error(
        `the backfill stopped: ${key.lastError}. Fix the provider configuration, then run this again to resume`,
      );
    }
    if (key.status === "serving" && key.complete && retiring.length === 0) {
      if (interactive) bar.stop();
      o.log(
        `done: ${started.modelKey} serves (${key.backfilled} profiles in ${Math.round((Date.now() - t0) / 1000)} s)`,
      );
      return;
    }
    if (o.timeoutMs !== undefined && Date.now() - t0 > o.timeoutMs) {
      if (interactive) bar.stop();
      throw new Error(
        `still ${phase} after ${o.timeoutMs} ms; the backfill continues on the server`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await runEmbeddingsCli(parseArgs(process.argv.slice(2)));
  } catch (e) {
    console.error(`embeddings: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
