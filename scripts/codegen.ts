/**
 * Regenerates `convex/_generated` offline.
 *
 * `npx convex codegen --system-udfs --typecheck disable` writes the function
 * API without contacting a deployment, but it leaves out `components`, which
 * the CLI normally learns from the deployment. This script runs it, then adds
 * the `components` export for every `app.use(...)` in `convex/convex.config.ts`
 * exactly as the CLI would write it (typed by each component's published
 * `ComponentApi`). Run `npm run codegen` after adding a module or a component;
 * `npm run codegen -- --check` fails when the committed files are stale.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const generated = join(root, "convex", "_generated");
const files = ["api.d.ts", "api.js", "dataModel.d.ts", "server.d.ts", "server.js"];
const check = process.argv.includes("--check");

type Component = { name: string; pkg: string };

/** The components `convex.config.ts` installs, with their names. */
export function componentsOf(configSource: string, resolveDefaultName: (pkg: string) => string) {
  const imports = new Map<string, string>();
  for (const m of configSource.matchAll(
    /import\s+(\w+)\s+from\s+"([^"]+)\/convex\.config(?:\.js)?"/g,
  )) {
    imports.set(m[1]!, m[2]!);
  }
  const out: Component[] = [];
  for (const m of configSource.matchAll(
    /\.use\(\s*(\w+)\s*(?:,\s*\{[^}]*name:\s*"(\w+)"[^}]*\})?\s*\)/g,
  )) {
    const pkg = imports.get(m[1]!);
    if (!pkg)
      throw new Error(
        `convex.config.ts uses ${m[1]} but does not import it from a component package`,
      );
    out.push({ name: m[2] ?? resolveDefaultName(pkg), pkg });
  }
  return out;
}

function defaultNameOf(pkg: string): string {
  const require = createRequire(join(root, "package.json"));
  const configPath = require.resolve(`${pkg}/convex.config.js`);
  const src = readFileSync(configPath, "utf8");
  const m = /defineComponent\(\s*"(\w+)"/.exec(src);
  if (!m) throw new Error(`cannot find defineComponent("name") in ${configPath}`);
  return m[1]!;
}

function patch(components: Component[]) {
  if (components.length === 0) return;
  const dts = join(generated, "api.d.ts");
  const js = join(generated, "api.js");
  let d = readFileSync(dts, "utf8");
  const fields = components
    .map(
      (c) => `  ${c.name}: import("${c.pkg}/_generated/component.js").ComponentApi<"${c.name}">;`,
    )
    .join("\n");
  d += `\nexport declare const components: {\n${fields}\n};\n`;
  writeFileSync(dts, d);
  let j = readFileSync(js, "utf8");
  j = j.replace(
    'import { anyApi } from "convex/server";',
    'import { anyApi, componentsGeneric } from "convex/server";',
  );
  j += "export const components = componentsGeneric();\n";
  writeFileSync(js, j);
}

const before = new Map(
  files.map((f) => [
    f,
    existsSync(join(generated, f)) ? readFileSync(join(generated, f), "utf8") : "",
  ]),
);
execFileSync("npx", ["convex", "codegen", "--system-udfs", "--typecheck", "disable"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
});
const configFile = join(root, "convex", "convex.config.ts");
patch(existsSync(configFile) ? componentsOf(readFileSync(configFile, "utf8"), defaultNameOf) : []);

if (check) {
  const stale = files.filter((f) => readFileSync(join(generated, f), "utf8") !== before.get(f));
  if (stale.length > 0) {
    for (const f of files) writeFileSync(join(generated, f), before.get(f) ?? "");
    console.error(
      `convex/_generated is stale (${stale.join(", ")}): run \`npm run codegen\` and commit.`,
    );
    process.exit(1);
  }
  console.log("convex/_generated is up to date");
} else {
  console.log("convex/_generated regenerated");
}
