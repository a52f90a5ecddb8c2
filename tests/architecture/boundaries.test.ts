/**
 * Module boundaries (DESIGN.md "Layout"): `projections/` and `crdt/` are the
 * ground floor (no Convex, engine or web imports); `convex/` builds on them
 * and never imports `engine/` or `web/`; `engine/` imports nothing of ours
 * (it loads `convex/` at run time by path); `web/` never imports `engine/`.
 *
 * Inside `convex/` (issue 13): `lib/` is the ground floor of the app and
 * imports no feature; `projectors/` reads the event log through `lib/` and
 * imports nothing of `notes/` (notes build on projectors, one way); no
 * import cycle in `convex/`, `crdt/` or `projections/`; production code
 * imports no test library; files stay under ~400 lines.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
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

/** The file a relative import resolves to (`.ts`, `.tsx`, or a folder's `index`), if any. */
function resolveFile(file: string, spec: string): string | null {
  const base = resolve(dirname(file), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

const isTestFile = (f: string) => /\.test\.tsx?$/.test(f);
const rel = (f: string) => relative(root, f);

/** Production (non-test) source files of `dirs`. */
function productionFiles(...dirs: string[]): string[] {
  return dirs.flatMap((d) => sourceFiles(d)).filter((f) => !isTestFile(f));
}

/** Relative imports of `file` resolved to files of this repository. */
function localImports(file: string): string[] {
  const out: string[] = [];
  for (const spec of importsOf(readFileSync(file, "utf8"))) {
    if (!spec.startsWith(".")) continue;
    const target = resolveFile(file, spec);
    if (target) out.push(target);
  }
  return out;
}

/** Every import cycle among `files` (as lists of repository paths). */
function cycles(files: string[]): string[][] {
  const inSet = new Set(files);
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (f: string) => {
    state.set(f, "open");
    stack.push(f);
    for (const t of localImports(f)) {
      if (!inSet.has(t)) continue;
      if (state.get(t) === "open") found.push([...stack.slice(stack.indexOf(t)), t].map(rel));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

/** Floors inside `convex/`: files under `from` may import only the listed places of `convex/`. */
const floors: { from: string; mayNotImport: (target: string) => boolean; why: string }[] = [
  {
    from: "convex/lib/",
    mayNotImport: (t) =>
      t.startsWith("convex/") &&
      !t.startsWith("convex/lib/") &&
      !t.startsWith("convex/_generated/"),
    why: "lib/ is the ground floor of convex/: it imports no feature",
  },
  {
    from: "convex/projectors/",
    mayNotImport: (t) => t.startsWith("convex/notes/") || t === "convex/notes.ts",
    why: "notes/ builds on projectors/, never the other way",
  },
];

/** Why: CONVENTIONS "one job per file"; past ~400 lines a file does more than one. */
const MAX_LINES = 400;

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

  for (const floor of floors) {
    test(`${floor.from} (${floor.why})`, () => {
      const violations: string[] = [];
      for (const file of productionFiles(floor.from.replace(/\/$/, ""))) {
        for (const t of localImports(file).map(rel)) {
          if (floor.mayNotImport(t)) violations.push(`${rel(file)} imports ${t}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }

  test("no import cycle in convex/, crdt/ or projections/", () => {
    expect(cycles(productionFiles("convex", "crdt", "projections"))).toEqual([]);
  });

  test("the cycle finder sees a cycle", () => {
    // Two real files that import each other would be a cycle; check the finder on one made up.
    const a = join(root, "tests/architecture/fixtures/cycleA.ts");
    expect(cycles([a, join(root, "tests/architecture/fixtures/cycleB.ts")])).toEqual([
      [
        "tests/architecture/fixtures/cycleA.ts",
        "tests/architecture/fixtures/cycleB.ts",
        "tests/architecture/fixtures/cycleA.ts",
      ],
    ]);
  });

  test("production code imports no test library (helpers live in tests/)", () => {
    const violations: string[] = [];
    for (const file of productionFiles("convex", "crdt", "projections", "web", "engine")) {
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        if (/^(vitest|fast-check|fake-indexeddb)(\/|$)/.test(spec))
          violations.push(`${rel(file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test(`source files of convex/, crdt/, projections/, web/ and scripts/ stay under ${MAX_LINES} lines`, () => {
    const long = productionFiles("convex", "crdt", "projections", "web", "scripts")
      .map((f) => ({ file: rel(f), lines: readFileSync(f, "utf8").split("\n").length }))
      .filter((x) => x.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
