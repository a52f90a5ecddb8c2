/** Repeated timed runs: the one way suites measure time. */
import { performance } from "node:perf_hooks";

/** Collect garbage between runs when node was started with --expose-gc (so one run's garbage is not billed to the next). */
export function maybeGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === "function") g();
}

/**
 * Run `fn` `warmup` times untimed, then `runs` times timed; returns each run's
 * wall time in ms. `fn` may return a promise; runs never overlap.
 */
export async function repeat(
  runs: number,
  warmup: number,
  fn: (i: number) => unknown | Promise<unknown>,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    maybeGc();
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/** Time one call. */
export async function timeOnce<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Resolve after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Like {@link repeat}, but each run first builds its input with `setup`
 * (untimed), then times `fn(input)` only.
 */
export async function repeatWithSetup<T>(
  runs: number,
  warmup: number,
  setup: () => T | Promise<T>,
  fn: (input: T) => unknown | Promise<unknown>,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(await setup());
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const input = await setup();
    maybeGc();
    const t0 = performance.now();
    await fn(input);
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Like {@link repeatWithSetup} but stops early once `budgetMs` of timed work
 * is spent (after at least `minRuns`): slow measures get fewer samples
 * instead of blowing the run's time bound.
 */
export async function repeatWithinBudget<T>(
  opts: { runs: number; minRuns: number; budgetMs: number },
  setup: () => T | Promise<T>,
  fn: (input: T) => unknown | Promise<unknown>,
): Promise<number[]> {
  const out: number[] = [];
  let spent = 0;
  for (let i = 0; i < opts.runs; i++) {
    if (i >= opts.minRuns && spent >= opts.budgetMs) break;
    const input = await setup();
    maybeGc();
    const t0 = performance.now();
    await fn(input);
    const ms = performance.now() - t0;
    out.push(ms);
    spent += ms;
  }
  return out;
}
