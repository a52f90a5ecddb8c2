/**
 * Captures what functions print (`console.log/info/warn/error/debug`) as the
 * `logLines` Convex returns with each result, e.g. `[LOG] 'hello' 42`.
 * The global console is wrapped once: outside a captured call it behaves as
 * before; inside one (an AsyncLocalStorage scope) lines go to that call only.
 */
import { inspect } from "node:util";
import { currentCallContext } from "./internals";

/** Where a call's log lines go. */
export type LogSink = { lines: string[]; open: boolean };

/** Most lines kept per call; Convex also truncates chatty functions. */
const MAX_LINES_PER_CALL = 256;
let installed = false;

const LEVELS = { log: "LOG", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG" } as const;

function format(args: unknown[]): string {
  return args
    .map((a) =>
      typeof a === "string" ? `'${a}'` : inspect(a, { depth: 4, breakLength: Infinity }),
    )
    .join(" ");
}

function install(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.console;
  const wrapped = Object.create(original) as Console;
  for (const [method, level] of Object.entries(LEVELS)) {
    const base = (original as unknown as Record<string, (...a: unknown[]) => void>)[method]!.bind(
      original,
    );
    (wrapped as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const sink = currentCallContext()?.logs;
      if (!sink?.open) {
        base(...args);
        return;
      }
      if (sink.lines.length < MAX_LINES_PER_CALL) sink.lines.push(`[${level}] ${format(args)}`);
      else if (sink.lines.length === MAX_LINES_PER_CALL)
        sink.lines.push("[WARN] further log lines dropped");
    };
  }
  globalThis.console = wrapped;
}

/** Make `console` calls inside call contexts land in their log sinks (idempotent). */
export function installLogCapture(): void {
  install();
}
