/**
 * Module boundaries (DESIGN.md "Layout"): `projections/` and `crdt/` are the
 * ground floor (no Convex, engine or web imports); `convex/` builds on them
 * and never imports `engine/` or `web/`; `engine/` imports nothing of ours
 * (it loads `convex/` at run time by path); `web/` never imports `engine/`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  const abs = join(root, dir);
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    if (n === "node_modules" || n === ".next" || n === "_generated") continue;
    const full = join(abs, n);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(relative(root, full)));
    else if (/\.(ts|tsx|mts)$/.test(n)) out.push(full);
  }
  return out;
}

/** Every static or dynamic import specifier written as a string literal. */
function importsOf(source: string): string[] {
  const specs: string[] = [];
  const re =
    /(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;
  for (const m of source.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!);
  return specs;
}

/** The top-level folder of this repository an import resolves into, or the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith(".")) return `pkg:${spec.split("/")[0]}`;
  const rel = relative(root, resolve(file, "..", spec));
  return rel.split("/")[0] ?? rel;
}

const rules: { dir: string; forbidden: string[]; why: string }[] = [
  {
    dir: "projections",
    forbidden: ["convex", "engine", "web", "tests", "pkg:convex"],
    why: "pure ground floor",
  },
  {
    dir: "crdt",
    forbidden: ["convex", "engine", "web", "tests", "pkg:convex"],
    why: "pure ground floor",
  },
  {
    dir: "convex",
    forbidden: ["engine", "web", "bench", "scripts", "legacy", "migration"],
    why: "deploys unchanged to Convex",
  },
  {
    dir: "engine",
    forbidden: ["convex", "crdt", "projections", "web"],
    why: "loads convex/ at run time only",
  },
  { dir: "web", forbidden: ["engine", "tests", "bench"], why: "talks to a deployment by URL" },
  {
    dir: "legacy",
    forbidden: ["convex", "engine", "web", "tests", "bench", "migration", "projections", "crdt"],
    why: "the legacy database stands alone (schema, generator, seeder)",
  },
  {
    dir: "migration",
    forbidden: ["web", "tests", "bench", "crdt"],
    why: "a tool over the legacy database and a deployment (the engine only for --in-process)",
  },
];

describe("module boundaries", () => {
  test("the import scanner sees static, dynamic and side-effect imports", () => {
    const src = `import a from "../convex/x";\nexport { b } from './y';\nconst c = await import("../engine/z");\nimport "./side";`;
    expect(importsOf(src)).toEqual(["../convex/x", "./y", "../engine/z", "./side"]);
  });

  for (const rule of rules) {
    test(`${rule.dir}/ imports none of ${rule.forbidden.join(", ")} (${rule.why})`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(rule.dir)) {
        // Tests of convex functions build their backend through the shared test harness.
        const isTest = /\.test\.tsx?$/.test(file);
        for (const spec of importsOf(readFileSync(file, "utf8"))) {
          const t = target(file, spec);
          if (isTest && t === "tests") continue;
          if (rule.forbidden.includes(t))
            violations.push(`${relative(root, file)} imports ${spec}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
