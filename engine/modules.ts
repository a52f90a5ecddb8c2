/**
 * Module maps for `convex-test` without Vite's `import.meta.glob`: walk a
 * functions folder and map each file to a dynamic import by file URL (the
 * keys keep the `_generated` paths, which is how convex-test finds the root).
 * Components are found by reading `convex.config.ts` (which cannot be
 * evaluated outside Convex's bundler: `app.use` needs a
 * `componentDefinitionPath` only the CLI sets) and each installed package's
 * compiled `dist/component/convex.config.js`, recursively.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { checkReturnsInHandler } from "./return-validation";

/** What convex-test accepts in place of `import.meta.glob(...)`. */
export type ModuleMap = Record<string, () => Promise<Record<string, unknown>>>;

/** A component to register: its path (e.g. `rateLimiter/batchWorker`), folder and modules. */
export type ComponentSpec = { path: string; dir: string; modules: ModuleMap };

const SOURCE_FILE = /\.(ts|js|mjs|tsx)$/;
const SKIPPED_FILE = /(\.d\.ts|\.test\.tsx?|\.spec\.tsx?|\.map)$/;

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE_FILE.test(entry) && !SKIPPED_FILE.test(entry)) out.push(full);
  }
}

/**
 * Every function module under `dir`, keyed `/<dir-relative path>` with a
 * `_generated` entry guaranteed (convex-test locates the root by it).
 */
export function moduleMapOf(dir: string, importer: (url: string) => Promise<unknown>): ModuleMap {
  const files: string[] = [];
  walk(dir, files);
  if (!files.some((f) => f.includes("_generated"))) {
    throw new Error(
      `No _generated folder under ${dir}: run \`npm run codegen\` (or \`npx convex codegen\`) first.`,
    );
  }
  const map: ModuleMap = {};
  for (const file of files) {
    const key = `/convex-root/${relative(dir, file).split("\\").join("/")}`;
    const url = pathToFileURL(file).href;
    // Cache the promise: every function call asks for its module, and each
    // dynamic import() goes through the loader hooks (tsx) even when cached.
    let loaded: Promise<Record<string, unknown>> | undefined;
    const modulePath = key.slice("/convex-root/".length).replace(SOURCE_FILE, "");
    map[key] = () => {
      loaded ??= (importer(url) as Promise<Record<string, unknown>>).then((mod) =>
        memoizeValidators(mod, modulePath),
      );
      return loaded;
    };
  }
  return map;
}

type Exported = { exportArgs?: () => string; exportReturns?: () => string };

/**
 * convex-test re-serializes a function's validators (`exportArgs()`,
 * `exportReturns()`) on every call; they never change, so compute them once.
 * A query's return value is checked in its handler (`return-validation.ts`).
 */
function memoizeValidators(
  mod: Record<string, unknown>,
  modulePath: string,
): Record<string, unknown> {
  for (const [name, value] of Object.entries(mod)) {
    const fn = value as Exported | null;
    if ((typeof value !== "function" && typeof value !== "object") || fn === null) continue;
    for (const key of ["exportArgs", "exportReturns"] as const) {
      const original = fn[key];
      if (typeof original !== "function") continue;
      const json = original.call(fn);
      fn[key] = () => json;
    }
    checkReturnsInHandler(
      fn as Parameters<typeof checkReturnsInHandler>[0],
      `${modulePath}:${name}`,
    );
  }
  return mod;
}

type Use = { name: string; configFile: string };

function usesOf(configFile: string): Use[] {
  const source = readFileSync(configFile, "utf8");
  const req = createRequire(configFile);
  const imports = new Map<string, string>();
  for (const m of source.matchAll(
    /import\s+(\w+)\s+from\s+["']([^"']+\/convex\.config(?:\.js)?)["']/g,
  )) {
    imports.set(m[1]!, m[2]!);
  }
  const out: Use[] = [];
  for (const m of source.matchAll(
    /\.use\(\s*(\w+)\s*(?:,\s*\{[^}]*name:\s*["'](\w+)["'][^}]*\})?\s*\)/g,
  )) {
    const spec = imports.get(m[1]!);
    if (!spec)
      throw new Error(`${configFile}: .use(${m[1]}) of something not imported from a component`);
    const childConfig = req.resolve(spec.endsWith(".js") ? spec : `${spec}.js`);
    const childSource = readFileSync(childConfig, "utf8");
    const defaultName = /defineComponent\(\s*["'](\w+)["']/.exec(childSource)?.[1];
    const name = m[2] ?? defaultName;
    if (!name) throw new Error(`${childConfig}: cannot find defineComponent("name")`);
    out.push({ name, configFile: childConfig });
  }
  return out;
}

/**
 * The components `functionsDir/convex.config.ts` installs, depth first, with
 * their compiled modules (`dist/component/**` of each package).
 */
export function componentsOf(
  functionsDir: string,
  importer: (url: string) => Promise<unknown>,
): ComponentSpec[] {
  const rootConfig = ["convex.config.ts", "convex.config.js"]
    .map((f) => join(functionsDir, f))
    .find((f) => existsSync(f));
  if (!rootConfig) return [];
  const out: ComponentSpec[] = [];
  const visit = (configFile: string, prefix: string) => {
    for (const use of usesOf(configFile)) {
      const path = prefix ? `${prefix}/${use.name}` : use.name;
      const dir = dirname(use.configFile);
      out.push({ path, dir, modules: moduleMapOf(dir, importer) });
      visit(use.configFile, path);
    }
  };
  visit(rootConfig, "");
  return out;
}

/** The `schema` module of a component folder, if any (key of its module map). */
export function schemaKeyOf(modules: ModuleMap): string | undefined {
  return Object.keys(modules).find((k) => /\/convex-root\/schema\.(ts|js|mjs)$/.test(k));
}
