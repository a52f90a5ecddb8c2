/**
 * `convex/` must deploy unchanged: it bundles like the Convex CLI bundles it,
 * and the check really refuses a Node.js import in a file without "use node".
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const tsx = join(root, "node_modules", ".bin", "tsx");

function checkDeployable(dir?: string): { ok: boolean; output: string } {
  const args = [join(root, "scripts", "check-deployable.ts"), ...(dir ? ["--dir", dir] : [])];
  try {
    const out = execFileSync(tsx, args, { cwd: root, encoding: "utf8", stdio: "pipe" });
    return { ok: true, output: out };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "convex-fixture-"));
  mkdirSync(join(dir, "_generated"));
  writeFileSync(join(dir, "schema.ts"), "export default {};\n");
  writeFileSync(join(dir, "auth.config.ts"), "export default { providers: [] };\n");
  for (const [name, src] of Object.entries(files)) writeFileSync(join(dir, name), src);
  return dir;
}

describe("deployability", () => {
  test("the project's convex/ bundles the way the Convex CLI bundles it", () => {
    const r = checkDeployable();
    expect(r.output).toContain("bundles for deploy");
    expect(r.ok).toBe(true);
  });

  test('a Node.js import without "use node" is refused', () => {
    const dir = fixture({
      "bad.ts": 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n',
    });
    const r = checkDeployable(dir);
    expect(r.ok).toBe(false);
    expect(r.output).toContain("does not bundle for deploy");
  });

  test('the same import in a "use node" file is accepted', () => {
    const dir = fixture({
      "ok.ts":
        '"use node";\nimport { readFileSync } from "node:fs";\nexport const x = readFileSync;\n',
    });
    expect(checkDeployable(dir).ok).toBe(true);
  });
});
