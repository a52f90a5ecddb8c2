/**
 * The engine's files import each other without cycles (issue 13.5: the
 * `internals.ts` ↔ `sorted-index.ts` cycle now goes through
 * `store-types.ts`). Runtime imports only: `import type` is erased.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ENGINE = resolve(import.meta.dirname, "../../engine");

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== "fixtures") out.push(...files(join(dir, e.name)));
    } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) out.push(join(dir, e.name));
  }
  return out;
}

/** Relative runtime imports of `source` (skips `import type` and `export type`). */
function runtimeImports(source: string): string[] {
  const re = /^(?:import|export)\s+(?!type\b)[^;]*?from\s*["'](\.[^"']+)["']/gms;
  return [...source.matchAll(re)].map((m) => m[1]!);
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, "open");
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === "open") found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe("engine imports", () => {
  it("have no cycles", () => {
    const graph = new Map<string, string[]>();
    for (const f of files(ENGINE)) {
      const deps = runtimeImports(readFileSync(f, "utf8")).map((spec) => {
        const target = resolve(f, "..", spec);
        return target.endsWith(".ts") ? target : `${target}.ts`;
      });
      graph.set(f, deps);
    }
    expect(graph.size).toBeGreaterThan(20);
    const rel = (p: string) => p.slice(ENGINE.length + 1);
    expect(cycles(graph).map((c) => c.map(rel).join(" → "))).toEqual([]);
  });

  it("detects a cycle (the scanner works)", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["a"]],
    ]);
    expect(cycles(g)).toEqual([["a", "b", "a"]]);
    expect(runtimeImports('import type { X } from "./x";\nimport { y } from "./y";')).toEqual([
      "./y",
    ]);
  });
});
