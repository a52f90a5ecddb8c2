/**
 * `npm run migrate -- …`: move the legacy database into Convex, check it,
 * and switch reads over (see `migration/README.md` for the runbook).
 *
 *   --from <pglite-dir|postgres-url>          import (resumes a running run)
 *   --validate --from <…>                     counts + 1% sample; exit 1 on any discrepancy
 *   --status                                  the last run's checkpoints and dual-write lag
 *   --cutover <table|all> [--percent 100]     read <table> from Convex (flag use_convex_<table>)
 *   --rollback <table|all>                    read it from the legacy database again
 *   --dual-write on|off [--table <t>]         copy Convex writes (users, profiles, connections,
 *                                             messages; default all) to the legacy database
 *
 * Flag changes (cutover, rollback, dual write) are audited with an operator
 * and a reason: `--operator <name>` (default "migration") and `--reason <text>`
 * (default: the command that was run).
 *
 * Target: `--url <convex-url>` with admin authentication (`CONVEX_DEPLOY_KEY`,
 * `CONVEX_ADMIN_KEY`, or the local engine's `<data>/admin-key`), or
 * `--in-process [--data .data]`, which runs the embedded engine in this
 * process on its data directory (stop `npm run engine` first).
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs as parseCli } from "node:util";
import { internal } from "../convex/_generated/api";
import { DUAL_WRITE_FLAGS } from "../convex/lib/dualWrite";
import { CUTOVER_FLAGS } from "../convex/migrationCutover";
import { openLegacy } from "../legacy/open";
import { type AdminClient, httpAdminClient, resolveAdminTarget, runnerAdminClient } from "./admin";
import { runImport } from "./importer";
import { createProgress, formatDuration } from "./progress";
import { writeImportReport } from "./report";
import { runValidate, validationJson, validationMarkdown } from "./validate";

type Mode = "import" | "validate" | "status" | "cutover" | "rollback" | "dual-write";
type Options = {
  mode: Mode;
  from?: string;
  url?: string;
  data?: string;
  inProcess: boolean;
  reportDir: string;
  workosUsers?: string;
  sample: number;
  sampleSeed?: string;
  table?: string;
  percent: number;
  dualWrite?: boolean;
  operator: string;
  reason?: string;
};

const USAGE = `usage: npm run migrate -- --from <pglite-dir|postgres-url> [--url <convex-url> | --in-process [--data .data]]
       [--report-dir migration-reports] [--workos-users workos-users.json]
       npm run migrate -- --validate --from <…> [--sample 0.01] [--sample-seed S]
       npm run migrate -- --status | --cutover <users|interests|meetings|connections|messages|all> [--percent N] | --rollback <…|all> | --dual-write on|off [--table users|profiles|connections|messages]
         [--operator <name>] [--reason <text>]   (flag changes are audited)`;

/** The command's options (Node's `util.parseArgs`, strict: an unknown option is an error). */
const OPTIONS = {
  from: { type: "string" },
  url: { type: "string" },
  data: { type: "string" },
  "in-process": { type: "boolean" },
  "report-dir": { type: "string" },
  "workos-users": { type: "string" },
  validate: { type: "boolean" },
  status: { type: "boolean" },
  sample: { type: "string" },
  "sample-seed": { type: "string" },
  cutover: { type: "string" },
  rollback: { type: "string" },
  percent: { type: "string" },
  "dual-write": { type: "string" },
  table: { type: "string" },
  operator: { type: "string" },
  reason: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parseArgs(argv: string[]): Options {
  let a: ReturnType<typeof parseCli<{ args: string[]; options: typeof OPTIONS }>>["values"];
  try {
    a = parseCli({ args: argv, options: OPTIONS, strict: true }).values;
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${USAGE}`);
  }
  if (a.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const modes: Mode[] = [];
  if (a.validate) modes.push("validate");
  if (a.status) modes.push("status");
  if (a.cutover !== undefined) modes.push("cutover");
  if (a.rollback !== undefined) modes.push("rollback");
  if (a["dual-write"] !== undefined) modes.push("dual-write");
  if (modes.length > 1)
    throw new Error(`one of ${modes.map((m) => `--${m}`).join(", ")} at a time`);
  const dualWrite = a["dual-write"];
  if (dualWrite !== undefined && dualWrite !== "on" && dualWrite !== "off")
    throw new Error("--dual-write takes on or off");
  const o: Options = {
    mode: modes[0] ?? "import",
    from: a.from,
    url: a.url,
    data: a.data,
    inProcess: a["in-process"] === true,
    reportDir: a["report-dir"] ?? "migration-reports",
    workosUsers: a["workos-users"],
    sample: Number(a.sample ?? 0.01),
    sampleSeed: a["sample-seed"],
    table: a.cutover ?? a.rollback ?? a.table,
    percent: Number(a.percent ?? 100),
    dualWrite: dualWrite === undefined ? undefined : dualWrite === "on",
    operator: a.operator ?? "migration",
    reason: a.reason,
  };
  if ((o.mode === "import" || o.mode === "validate") && !o.from)
    throw new Error(`--from is required\n${USAGE}`);
  if (!(o.sample > 0 && o.sample <= 1)) throw new Error("--sample is a share in (0, 1], e.g. 0.01");
  if (!Number.isInteger(o.percent) || o.percent < 0 || o.percent > 100)
    throw new Error("--percent is 0–100");
  return o;
}

/** Clerk id → WorkOS user id from WorkOS's user list (`[{id, externalId}]` or `{data: [...]}`). */
export function workosMap(json: unknown): Map<string, string> {
  const list = Array.isArray(json) ? json : ((json as { data?: unknown[] })?.data ?? []);
  const out = new Map<string, string>();
  for (const u of list as Record<string, unknown>[]) {
    const ext = u.externalId ?? u.external_id;
    if (typeof u.id === "string" && typeof ext === "string" && ext.length > 0) out.set(ext, u.id);
  }
  return out;
}

async function connect(o: Options): Promise<{ admin: AdminClient; close: () => Promise<void> }> {
  if (o.inProcess) {
    // The embedded engine in this process, on its data directory (not while `npm run engine` runs on it).
    const { startEngine } = await import("../engine/engine");
    const engine = await startEngine({
      port: 0,
      sitePort: null,
      dataDir: o.data ?? ".data",
      logLevel: "warn",
      crons: false,
    });
    return {
      admin: runnerAdminClient(engine, `in-process engine on ${o.data ?? ".data"}`),
      close: () => engine.close(),
    };
  }
  const target = resolveAdminTarget({ url: o.url, dataDir: o.data, env: process.env });
  console.error(`[migrate] ${target.url} (admin key from ${target.how})`);
  return { admin: httpAdminClient(target.url, target.key), close: async () => undefined };
}

const TABLES = Object.keys(CUTOVER_FLAGS) as (keyof typeof CUTOVER_FLAGS)[];

/** Run the command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  const { admin, close } = await connect(o);
  try {
    if (o.mode === "status") {
      const run = await admin.query(internal.migrationStatus.run, {});
      console.log(run ? JSON.stringify(run, null, 2) : "no migration run yet");
      const lag = await admin.query(internal.migrationDualWrite.lag, {});
      console.log(
        `dual write: ${lag.pending}${lag.saturated ? "+" : ""} pending, oldest ${lag.oldestPendingAgeMs === null ? "-" : formatDuration(lag.oldestPendingAgeMs)}, ${lag.state}${lag.lastError ? `, last error: ${lag.lastError}` : ""}`,
      );
      return 0;
    }
    if (o.mode === "cutover" || o.mode === "rollback") {
      const tables = o.table === "all" ? TABLES : [o.table as keyof typeof CUTOVER_FLAGS];
      for (const t of tables) {
        if (!CUTOVER_FLAGS[t])
          throw new Error(`no cutover flag for ${t} (one of ${TABLES.join(", ")}, all)`);
        const on = o.mode === "cutover";
        await admin.mutation(internal.featureFlags.set, {
          key: CUTOVER_FLAGS[t],
          enabled: on,
          rolloutPercent: on ? o.percent : 0,
          description: `reads of legacy ${t} come from Convex (issue 19 cutover)`,
          operator: o.operator,
          reason:
            o.reason ??
            `npm run migrate -- --${o.mode} ${o.table}${on ? ` --percent ${o.percent}` : ""}`,
        });
        console.log(
          `${CUTOVER_FLAGS[t]}: ${on ? `on for ${o.percent}%` : "off (reads from the legacy database)"}`,
        );
      }
      return 0;
    }
    if (o.mode === "dual-write") {
      // Every covered table, or the one named by --table.
      const tables = Object.keys(DUAL_WRITE_FLAGS).filter(
        (t) => o.table === undefined || o.table === "all" || o.table === t,
      ) as (keyof typeof DUAL_WRITE_FLAGS)[];
      if (tables.length === 0)
        throw new Error(
          `--table must be one of ${Object.keys(DUAL_WRITE_FLAGS).join(", ")} or all`,
        );
      for (const t of tables) {
        await admin.mutation(internal.featureFlags.set, {
          key: DUAL_WRITE_FLAGS[t],
          enabled: o.dualWrite === true,
          rolloutPercent: 100,
          description: `Convex ${t} writes are applied to the legacy database (LEGACY_DATABASE_URL)`,
          operator: o.operator,
          reason: o.reason ?? `npm run migrate -- --dual-write ${o.dualWrite ? "on" : "off"}`,
        });
        console.log(`${DUAL_WRITE_FLAGS[t]}: ${o.dualWrite ? "on" : "off"}`);
      }
      return 0;
    }
    const legacy = await openLegacy(o.from!);
    try {
      if (o.mode === "validate") {
        const report = await runValidate({
          legacy,
          admin,
          sampleFraction: o.sample,
          ...(o.sampleSeed ? { sampleSeed: o.sampleSeed } : {}),
        });
        console.log(validationMarkdown(report));
        console.log(validationJson(report));
        return report.discrepancies.length === 0 ? 0 : 1;
      }
      const workos = o.workosUsers
        ? workosMap(JSON.parse(readFileSync(o.workosUsers, "utf8")))
        : undefined;
      const t0 = Date.now();
      const summary = await runImport({
        legacy,
        admin,
        progress: createProgress({
          interactive: process.stderr.isTTY === true,
          log: (l) => console.error(`[migrate] ${l}`),
        }),
        ...(workos ? { workosByClerk: workos } : {}),
      });
      const folder = await writeImportReport(admin, summary, o.reportDir);
      console.error(
        `[migrate] run ${summary.runId} done in ${formatDuration(Date.now() - t0)}; report: ${folder}/report.md`,
      );
      console.log(
        JSON.stringify({
          runId: summary.runId,
          tables: summary.tables,
          deferred: summary.deferred,
        }),
      );
      return 0;
    } finally {
      await legacy.close();
    }
  } finally {
    await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`[migrate] ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
