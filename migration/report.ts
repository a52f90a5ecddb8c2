/**
 * The import report: `<dir>/<runId>/report.md` (per table: what was
 * created, merged, linked, unchanged, rejected and repaired, the reasons
 * with counts and examples) and `rejects.ndjson`, `repairs.ndjson`,
 * `merges.ndjson` (one line per row: table, legacy id, reason, detail).
 * Written from the issue rows stored in Convex with the batches, so a run
 * resumed after a crash reports every row exactly once.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { internal } from "../convex/_generated/api";
import type { AdminClient } from "./admin";
import type { ImportSummary } from "./importer";

type Issue = { legacyId: string; reason: string; detail: string };
const KINDS = ["reject", "repair", "merge"] as const;

async function allIssues(
  admin: AdminClient,
  runId: string,
  table: string,
  kind: (typeof KINDS)[number],
) {
  const out: Issue[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page: { page: Issue[]; continueCursor: string; isDone: boolean } = await admin.query(
      internal.migrationStatus.issues,
      { runId, table, kind, cursor },
    );
    out.push(...page.page);
    if (page.isDone) return out;
    cursor = page.continueCursor;
  }
}

/** Write the report files; returns the folder. */
export async function writeImportReport(
  admin: AdminClient,
  summary: ImportSummary,
  dir: string,
): Promise<string> {
  const folder = join(dir, summary.runId);
  mkdirSync(folder, { recursive: true });
  const md = [
    `# Import ${summary.runId}${summary.resumed ? " (resumed)" : ""}`,
    "",
    "| table | legacy rows | created | merged | linked | unchanged | rejected | repaired |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const [t, s] of Object.entries(summary.tables))
    md.push(
      `| ${t} | ${s.legacy} | ${s.created} | ${s.merged} | ${s.linked} | ${s.unchanged} | ${s.rejected} | ${s.repaired} |`,
    );
  md.push("");
  const deferred = Object.entries(summary.deferred);
  if (deferred.length > 0) {
    md.push("Not migrated yet (their importer is not written):", "");
    for (const [t, d] of deferred) md.push(`- **${t}**: ${d!.legacy} rows wait on ${d!.waitsOn}`);
    md.push("");
  }
  for (const kind of KINDS) {
    const lines: string[] = [];
    md.push(
      `## ${kind === "reject" ? "Rejected rows" : kind === "repair" ? "Repaired rows" : "Merged rows"}`,
      "",
    );
    for (const table of Object.keys(summary.tables)) {
      const issues = await allIssues(admin, summary.runId, table, kind);
      const byReason = new Map<string, Issue[]>();
      for (const i of issues) {
        lines.push(JSON.stringify({ table, ...i }));
        byReason.set(i.reason, [...(byReason.get(i.reason) ?? []), i]);
      }
      for (const [reason, list] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
        const ex = list[0]!;
        md.push(
          `- ${table} · \`${reason}\` × ${list.length} — e.g. ${ex.legacyId}: ${ex.detail.replace(/\|/g, "\\|")}`,
        );
      }
    }
    if (lines.length === 0) md.push("None.");
    md.push("");
    writeFileSync(join(folder, `${kind}s.ndjson`), lines.length > 0 ? `${lines.join("\n")}\n` : "");
  }
  writeFileSync(join(folder, "report.md"), `${md.join("\n")}\n`);
  return folder;
}
