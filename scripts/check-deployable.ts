/**
 * Bundles `convex/` the way the Convex CLI (convex 1.48.0,
 * `dist/cjs/bundler/index.js`) does before a deploy, without contacting a
 * deployment: the same entry-point rules, the same "use node" split, and the
 * same esbuild version and options. A Node-only import in a file without
 * "use node", an unresolvable import, or a broken schema/auth config fails
 * here instead of at `npx convex deploy`.
 *
 * Written by hand because the CLI's bundler is only shipped inside its own
 * bundled binary (its loose `dist/cjs/bundler` files need packages the CLI
 * inlines); keep it in step with that file when upgrading `convex`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dirArg = process.argv.indexOf("--dir");
const dir = dirArg > 0 ? resolve(process.argv[dirArg + 1]!) : join(root, "convex");

/** Files the CLI treats as function modules (mirrors `entryPoints`). */
function entryPoints(d: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(d)) {
    const full = join(d, name);
    const rel = relative(dir, full);
    if (statSync(full).isDirectory()) {
      if (rel === "_generated" || rel === "node_modules") continue;
      out.push(...entryPoints(full));
      continue;
    }
    if (!/\.(ts|tsx|js|jsx|mjs|cjs)$/.test(name)) continue;
    if (name.startsWith(".") || name.startsWith("#")) continue;
    if (name === "schema.ts" || name === "schema.js") continue;
    if ((name.match(/\./g) ?? []).length > 1) continue; // x.test.ts, auth.config.ts, convex.config.ts
    if (rel.includes(" ")) continue;
    if (!/^\s{0,100}(import|export)/m.test(readFileSync(full, "utf8"))) continue;
    out.push(full);
  }
  return out;
}

/** The CLI's "use node" detection (a directive at the top of the file). */
function usesNode(file: string): boolean {
  return /^\s*("|')use node("|');?\s*$/m.test(
    readFileSync(file, "utf8").split("\n").slice(0, 5).join("\n"),
  );
}

const asyncHooksShim: esbuild.Plugin = {
  name: "convex-async-hooks-shim",
  setup(build) {
    build.onResolve({ filter: /^(node:)?async_hooks$/ }, (a) => ({
      path: a.path,
      namespace: "async-hooks-shim",
    }));
    build.onLoad({ filter: /.*/, namespace: "async-hooks-shim" }, () => ({
      contents:
        "export const AsyncLocalStorage = globalThis.AsyncLocalStorage;\n" +
        "export const AsyncResource = globalThis.AsyncResource;\n" +
        "export default { AsyncLocalStorage, AsyncResource };",
      loader: "js",
    }));
  },
};

async function bundle(files: string[], platform: "browser" | "node") {
  return esbuild.build({
    entryPoints: files,
    bundle: true,
    platform,
    format: "esm",
    target: "esnext",
    jsx: "automatic",
    outdir: "out",
    outbase: dir,
    conditions: ["convex", "module"],
    plugins: platform === "browser" ? [asyncHooksShim] : [],
    write: false,
    splitting: true,
    metafile: true,
    logLevel: "error",
    ...(platform === "node" ? { packages: "external" as const } : {}),
  });
}

const all = entryPoints(dir);
for (const f of all) {
  const rel = relative(dir, f).replace(/\.[^/.]+$/, "");
  if (usesNode(f) && ["http", "crons", "schema", "auth.config"].includes(rel)) {
    throw new Error(`"use node" is not allowed in convex/${rel}`);
  }
}
const node = all.filter(usesNode);
const isolate = all.filter((f) => !usesNode(f));
try {
  const iso = await bundle(isolate, "browser");
  if (node.length > 0) await bundle(node, "node");
  // schema.ts and auth.config.ts are bundled on their own, for the browser platform.
  for (const single of ["schema.ts", "auth.config.ts"]) {
    await esbuild.build({
      entryPoints: [join(dir, single)],
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "esnext",
      write: false,
      outdir: "out",
      logLevel: "error",
    });
  }
  const bytes = iso.outputFiles.reduce((n, o) => n + o.contents.byteLength, 0);
  console.log(
    `convex/ bundles for deploy: ${isolate.length} isolate + ${node.length} node entry points ` +
      `(${(bytes / 1024).toFixed(0)} KiB isolate code)`,
  );
} catch (e) {
  const hint =
    e instanceof Error && /Are you trying to bundle for node|node:|built-in/.test(e.message)
      ? '\nA file without "use node" imports a Node.js API: move it to a "use node" file (actions only).'
      : "";
  console.error(`convex/ does not bundle for deploy.${hint}`);
  process.exit(1);
}
