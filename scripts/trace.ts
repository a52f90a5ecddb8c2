/**
 * `npm run trace -- <file.json.gz> [--clients N] [--checkpoints K] [--keys-per-window W]`
 *
 * Replays an editing trace through the whole stack (providers, the real
 * ConvexClient, the embedded engine, the notes functions, the meetingNotes
 * projector; see `scripts/trace/replay.ts`). Progress goes to stderr; stdout
 * gets one JSON line per checkpoint (`{txnIndex, textSha256, matches}`, read
 * from the server's timeline) and then the summary line
 * `{trace, clients, txns, updatesStored, rowsStored, storedBytes, textSha256,
 * endContentMatches, clientsConverged, projectionMatches, ms, …}`.
 * Exits 1 on any mismatch, 2 on bad arguments.
 */
import cliProgress from "cli-progress";
import { replayTrace } from "./trace/replay";

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run trace -- <file.json.gz> [--clients N] [--checkpoints K] [--keys-per-window W]\n`,
  );
  process.exit(2);
}

function parse(argv: string[]) {
  let file: string | null = null;
  const nums: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--clients" || a === "--checkpoints" || a === "--keys-per-window") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) usage(`${a} needs a non-negative integer`);
      nums[a] = n;
    } else if (a.startsWith("--")) usage(`unknown option ${a}`);
    else if (file === null) file = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!file) usage("give a trace file");
  return {
    file,
    clients: nums["--clients"],
    checkpoints: nums["--checkpoints"],
    keysPerWindow: nums["--keys-per-window"],
  };
}

async function main() {
  const args = parse(process.argv.slice(2));
  const bar = new cliProgress.SingleBar(
    { format: "replay [{bar}] {value}/{total} txns | {duration}s", stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let startedBar = false;
  const { result, checkpoints } = await replayTrace({
    ...args,
    onProgress: (done, total) => {
      if (!startedBar) {
        bar.start(total, 0);
        startedBar = true;
      }
      bar.update(done);
    },
  });
  if (startedBar) bar.stop();
  for (const c of checkpoints) process.stdout.write(`${JSON.stringify(c)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const ok =
    result.endContentMatches &&
    result.clientsConverged &&
    result.projectionMatches &&
    checkpoints.every((c) => c.matches);
  process.exit(ok ? 0 : 1);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `trace failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
