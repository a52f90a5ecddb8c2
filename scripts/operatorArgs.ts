/**
 * The arguments every operator command shares (`scripts/rebuild.ts`,
 * `scripts/embeddings.ts`): the backend (`--url`, default `CONVEX_URL` or the
 * embedded engine), the operator token (`--token` or `CONNVO_ADMIN_TOKEN`)
 * and `-h`/`--help`. Each command handles its own options through `option`.
 */

/** What every operator command runs with. */
export type OperatorOptions = {
  url: string;
  token: string;
  /** Where lines go (tests capture them); a progress bar draws on stderr when it is a TTY. */
  log: (line: string) => void;
  /** Stop watching after this many ms (tests); default: until done. */
  timeoutMs?: number;
};

/**
 * Parse `argv`: the shared options here, every other argument through
 * `option(arg, next)` (`next()` takes the argument's value; answer false for
 * an argument it does not know). Throws with what to do for an unknown option,
 * a missing value or a missing token; `--help` prints `usage` and exits.
 */
export function parseOperatorArgs(
  argv: readonly string[],
  usage: string,
  option: (arg: string, next: () => string) => boolean,
): OperatorOptions {
  const o: OperatorOptions = {
    url: process.env.CONVEX_URL ?? "http://127.0.0.1:3210",
    token: process.env.CONNVO_ADMIN_TOKEN ?? "",
    log: (l) => console.log(l),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--url") o.url = next();
    else if (a === "--token") o.token = next();
    else if (a === "-h" || a === "--help") {
      o.log(`usage: ${usage}`);
      process.exit(0);
    } else if (!option(a, next)) throw new Error(`unknown option ${a} (try --help)`);
  }
  if (!o.token)
    throw new Error(
      "no operator token: pass --token or set CONNVO_ADMIN_TOKEN (same as the backend's)",
    );
  return o;
}
