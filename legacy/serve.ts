/**
 * `npm run legacy:serve -- --dir <pglite-dir> [--port 5433]`: serve a PGlite
 * data directory over the Postgres wire protocol (`@electric-sql/pglite-socket`),
 * so tools that take a `postgres://` URL (the importer's `pg` path, dual
 * write's `LEGACY_DATABASE_URL`, psql) can use it. Prints the URL; Ctrl-C stops.
 */
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** A served PGlite database. */
export type ServedLegacy = { url: string; stop(): Promise<void> };

/** Why: the importer's pool (4) plus dual write's and an operator's connections. */
const MAX_CONNECTIONS = 8;

/** Serve `dir` on `host:port` (port 0 = a free one). */
export async function serveLegacy(
  dir: string,
  port = 0,
  host = "127.0.0.1",
): Promise<ServedLegacy> {
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, port, host, maxConnections: MAX_CONNECTIONS });
  await server.start();
  const address = (
    server as unknown as { server?: { address(): { port: number } | null } }
  ).server?.address();
  if (!address) throw new Error("pglite-socket did not report its port");
  return {
    url: `postgres://postgres@${host}:${address.port}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const dir = args[args.indexOf("--dir") + 1];
  const portArg = args.indexOf("--port");
  if (args.indexOf("--dir") < 0 || !dir) {
    console.error("usage: npm run legacy:serve -- --dir <pglite-dir> [--port 5433]");
    process.exit(1);
  }
  const served = await serveLegacy(dir, portArg >= 0 ? Number(args[portArg + 1]) : 5433);
  console.log(served.url);
  const stop = () => void served.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
