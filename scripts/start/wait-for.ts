/**
 * Waits until a URL answers an HTTP request (any status), printing a dot per
 * second, so `scripts/start.sh` knows a server is up.
 * Usage: tsx scripts/start/wait-for.ts <url> [timeoutSeconds]
 */
const [url, timeoutArg] = process.argv.slice(2);
if (!url) {
  console.error("usage: wait-for.ts <url> [timeoutSeconds]");
  process.exit(2);
}
/** Generous: a first `next start` or an engine replaying a large journal can take a while. */
const timeoutMs = Number(timeoutArg ?? "120") * 1000;
const deadline = Date.now() + timeoutMs;

async function up(): Promise<boolean> {
  try {
    await fetch(url!, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

let dots = 0;
while (!(await up())) {
  if (Date.now() > deadline) {
    process.stdout.write("\n");
    console.error(`${url} did not answer within ${timeoutMs / 1000}s`);
    process.exit(1);
  }
  if (++dots % 2 === 0) process.stdout.write(".");
  await new Promise((r) => setTimeout(r, 500));
}
if (dots > 1) process.stdout.write("\n");

export {};
