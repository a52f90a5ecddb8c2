/**
 * CLI of the embedded local Convex engine:
 *
 *   tsx engine/main.ts [--port 3210] [--site-port 3211] [--data .data] [--reset]
 *                      [--functions convex] [--no-dev-auth] [--no-crons] [--occ]
 *                      [--log-level info] [--dev-auth-origin <origin>]...
 *
 * Prints the deployment URL (for `ConvexClient`/`ConvexReactClient`/
 * `ConvexHttpClient`), the admin key and where it is kept, and keeps serving until SIGINT/SIGTERM, then writes a
 * snapshot and exits.
 */
import { parseArgs } from "node:util";
import { startEngine } from "./engine";
import { LOG_LEVELS, type LogLevel } from "./logger";

const USAGE = `usage: tsx engine/main.ts [--port 3210] [--site-port 3211] [--data .data] [--reset]
                          [--functions convex] [--no-dev-auth] [--no-crons] [--occ] [--log-level info]
                          [--dev-auth-origin <origin>]...`;

async function main(): Promise<void> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: "3210" },
        "site-port": { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        data: { type: "string", default: ".data" },
        reset: { type: "boolean", default: false },
        functions: { type: "string", default: "convex" },
        "no-dev-auth": { type: "boolean", default: false },
        "no-crons": { type: "boolean", default: false },
        occ: { type: "boolean", default: false },
        "log-level": { type: "string", default: "info" },
        "dev-auth-origin": { type: "string", multiple: true },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const level = values["log-level"] as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    console.error(`--log-level must be one of ${LOG_LEVELS.join(", ")}\n${USAGE}`);
    process.exit(2);
  }
  const port = Number(values.port);
  const sitePort = values["site-port"] === undefined ? undefined : Number(values["site-port"]);
  if (!Number.isInteger(port) || (sitePort !== undefined && !Number.isInteger(sitePort))) {
    console.error(`--port and --site-port take integers\n${USAGE}`);
    process.exit(2);
  }
  const engine = await startEngine({
    port,
    sitePort,
    host: values.host as string,
    dataDir: values.data as string,
    reset: values.reset === true,
    functionsDir: values.functions as string,
    devAuth: values["no-dev-auth"] !== true,
    crons: values["no-crons"] !== true,
    occ: values.occ === true,
    logLevel: level,
    devAuthOrigins: (values["dev-auth-origin"] as string[] | undefined) ?? [],
  });
  console.log(`Convex engine URL: ${engine.url}`);
  console.log(`HTTP actions URL:  ${engine.siteUrl}`);
  if (engine.devIssuer) console.log(`Dev issuer:        ${engine.devIssuer}`);
  console.log(`Admin key:         ${engine.adminKey}`);
  console.log(
    `  (kept in ${engine.adminKeyFile ?? "memory only"}; send it as "Authorization: Convex <key>")`,
  );
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    engine.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(`engine failed to start: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
