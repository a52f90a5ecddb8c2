/**
 * Rebuild a projection without downtime, watching progress.
 *
 *   npm run rebuild -- <projection> [--version N] [--url URL] [--token TOKEN]
 *   npm run rebuild -- --status [<projection>]      status of one or all projections
 *   npm run rebuild -- --dead-letters               list parked poison events
 *   npm run rebuild -- --replay <deadLetterId>      replay a parked event
 *
 * Talks to a Convex backend through the ordinary `ConvexHttpClient`: the
 * embedded engine (default `http://127.0.0.1:3210`, or `CONVEX_URL`) or a
 * deployment (`--url https://<name>.convex.cloud`). The operator token is
 * `--token` or `CONNVO_ADMIN_TOKEN`, and must equal the backend's
 * `CONNVO_ADMIN_TOKEN` (engine: its process environment; deployment:
 * `npx convex env set CONNVO_ADMIN_TOKEN <token>`). With a deploy key and no
 * token, `npx convex run projections:rebuildInternal '{"projection":"…"}'`
 * starts the same rebuild; this script then only watches (`--status`).
 *
 * The rebuild runs on the server: stopping this script (Ctrl-C) stops only
 * the watching; run it again to resume watching. Progress = events folded by
 * the new version / events folded by the live one; ETA from the measured rate.
 */
import { pathToFileURL } from "node:url";
import { SingleBar } from "cli-progress";
import { ConvexHttpClient } from "convex/browser";
import { api } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import { type OperatorOptions, parseOperatorArgs } from "./operatorArgs";

/** Why: twice a second is smooth for a progress bar and light on the backend. */
const POLL_MS = 500;

type Options = OperatorOptions & {
  projection?: string;
  version?: number;
  mode: "rebuild" | "status" | "dead-letters" | "replay";
  replayId?: string;
};

function parseArgs(argv: string[]): Options {
  const extra: Omit<Options, keyof OperatorOptions> = { mode: "rebuild" };
  const o = parseOperatorArgs(
    argv,
    "npm run rebuild -- <projection> [--version N] [--url URL] [--token TOKEN] | --status [p] | --dead-letters | --replay <id>",
    (a, next) => {
      if (a === "--version") extra.version = Number(next());
      else if (a === "--status") extra.mode = "status";
      else if (a === "--dead-letters") extra.mode = "dead-letters";
      else if (a === "--replay") {
        extra.mode = "replay";
        extra.replayId = next();
      } else if (a.startsWith("-")) return false;
      else extra.projection = a;
      return true;
    },
  );
  if (extra.mode === "rebuild" && !extra.projection)
    throw new Error("which projection? e.g. npm run rebuild -- meetingState");
  return { ...o, ...extra };
}

function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** Run the command; resolves with the final status line(s). */
export async function runRebuildCli(o: Options): Promise<void> {
  const client = new ConvexHttpClient(o.url);
  if (o.mode === "status") {
    for (const s of await client.query(api.projections.status, {
      adminToken: o.token,
      ...(o.projection ? { projection: o.projection } : {}),
    })) {
      o.log(
        `${s.projection}: reads v${s.readVersion} (latest v${s.latest}), ${s.phase}${s.buildVersion !== null ? ` building v${s.buildVersion}` : ""}; ` +
          `${s.read.meetings} meetings, ${s.read.processed} events, max lag ${fmtMs(s.read.maxLagMs)}, ${s.read.rate} ev/s, ` +
          `${s.parkedDeadLetters} parked${s.lastError ? `; last error: ${s.lastError}` : ""}`,
      );
    }
    return;
  }
  if (o.mode === "dead-letters") {
    const rows = await client.query(api.projections.deadLetters, { adminToken: o.token });
    if (rows.length === 0) o.log("no parked events");
    for (const d of rows)
      o.log(`${d.id} ${d.projection} v${d.version} ${d.stream} ${d.key} (${d.mode}): ${d.error}`);
    return;
  }
  if (o.mode === "replay") {
    const r = await client.mutation(api.projections.replayDeadLetter, {
      adminToken: o.token,
      id: o.replayId as Id<"projectionDeadLetters">,
    });
    o.log(r.ok ? `replayed (${r.how})` : `replay failed: ${r.error}`);
    return;
  }
  const projection = o.projection!;
  const started = await client.mutation(api.projections.rebuild, {
    adminToken: o.token,
    projection,
    ...(o.version !== undefined ? { version: o.version } : {}),
  });
  const target = started.buildVersion ?? started.readVersion;
  o.log(`rebuilding ${projection}: v${started.readVersion} -> v${target} on ${o.url}`);
  const bar = new SingleBar({
    format:
      " {bar} {percentage}% | {value}/{total} events | {rate} ev/s | lag {lag} | ETA {eta_h} | {phase}",
    stream: process.stderr,
    noTTYOutput: false,
    hideCursor: true,
  });
  const interactive = process.stderr.isTTY === true;
  if (interactive) bar.start(1, 0, { rate: 0, lag: "0s", eta_h: "?", phase: "seed" });
  const t0 = Date.now();
  let last = { at: Date.now(), processed: 0 };
  let rate = 0;
  for (;;) {
    const [s] = await client.query(api.projections.status, { adminToken: o.token, projection });
    if (!s) throw new Error(`no status for ${projection}`);
    const done = s.phase === "live" && s.readVersion === target;
    const built = s.build ?? (s.readVersion === target ? s.read : null);
    const total = Math.max(1, done ? (built?.processed ?? 1) : s.read.processed);
    const value = Math.min(total, built?.processed ?? 0);
    const now = Date.now();
    if (now > last.at) {
      const inst = ((value - last.processed) * 1000) / (now - last.at);
      rate = rate === 0 ? inst : 0.7 * rate + 0.3 * inst; // smoothed events/s
      last = { at: now, processed: value };
    }
    const eta = rate > 0 ? ((total - value) / rate) * 1000 : Number.POSITIVE_INFINITY;
    const phase = s.phase === "building" ? `${s.phase}/${s.step}` : s.phase;
    const lag = fmtMs(built?.maxLagMs ?? 0);
    if (interactive) {
      bar.setTotal(total);
      bar.update(value, { rate: Math.round(rate), lag, eta_h: fmtMs(eta), phase });
    } else {
      o.log(
        `${phase} ${value}/${total} events, ${Math.round(rate)} ev/s, lag ${lag}, ETA ${fmtMs(eta)}`,
      );
    }
    if (s.phase === "stalled") {
      if (interactive) bar.stop();
      throw new Error(
        `rebuild stalled on a poison event: ${s.lastError ?? "see --dead-letters"}. Fix the fold, deploy, then --replay <id>`,
      );
    }
    if (done) {
      if (interactive) bar.stop();
      o.log(
        `done: ${projection} reads v${s.readVersion} (${value} events in ${fmtMs(now - t0)}; old rows deleted: ${s.deleted})`,
      );
      return;
    }
    if (o.timeoutMs !== undefined && now - t0 > o.timeoutMs) {
      if (interactive) bar.stop();
      throw new Error(
        `still ${phase} after ${fmtMs(o.timeoutMs)}; the rebuild continues on the server`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await runRebuildCli(parseArgs(process.argv.slice(2)));
  } catch (e) {
    console.error(`rebuild: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
