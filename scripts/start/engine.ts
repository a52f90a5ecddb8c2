/**
 * The engine as `scripts/start.sh` runs it: the embedded Convex engine
 * in-process (so the demo seed, an internal mutation, can run through
 * `engine.run`), seeded once, serving until Ctrl-C.
 *
 * Usage: tsx scripts/start/engine.ts [--port 3210] [--data .data] [--reset]
 */
import { parseArgs } from "node:util";
import type { Id } from "../../convex/_generated/dataModel";
import { startEngine } from "../../engine/engine";
import { DEMO_USERS } from "../../web/lib/devUsers";
import { seedNotes } from "./seed-notes";

type SeedResult = { meetingId: Id<"meetings">; created: boolean };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "3210" },
      data: { type: "string", default: ".data" },
      reset: { type: "boolean", default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0) throw new Error("--port takes an integer");
  const engine = await startEngine({ port, dataDir: values.data, reset: values.reset });
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    engine.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error("[engine] failed to close cleanly:", e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  if (!engine.devIssuer) throw new Error("the demo needs the engine's development issuer");
  // Projection control rows exist before the first appends race (they then only read them).
  await engine.run("projections:ensureControls", {});
  const seeded = (await engine.run("seed:demo", { issuer: engine.devIssuer })) as SeedResult;
  const host = DEMO_USERS[0]!;
  const notes = await seedNotes(
    engine.url,
    (u) => engine.mintDevToken({ subject: u.subject, name: u.name, email: u.email }),
    host,
    seeded.meetingId,
  );
  console.log(
    `[seed] demo meeting ${seeded.meetingId}: ${seeded.created ? "created" : "already there"}; notes ${notes}`,
  );
  console.log(`[engine] ready at ${engine.url}`);
  console.log(
    `[engine] admin key ${engine.adminKey} (kept in ${engine.adminKeyFile ?? "memory"}; send "Authorization: Convex <key>")`,
  );
}

main().catch((e: unknown) => {
  console.error(`[engine] could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
