/**
 * A wall clock that a workload can move forward faster than real time, so a
 * long session (e.g. the whole automerge-paper typed at 8 keys/s ≈ 9 hours)
 * replays in seconds while every time-based rule on the server (rate limits,
 * timestamps, coalescing windows) sees the modelled rates. Only `Date.now` is
 * shifted; `performance.now` (what the benchmarks time with) stays real.
 */
export class VirtualClock {
  private offset = 0;
  private original: (() => number) | null = null;

  /** Start shifting `Date.now`. */
  install(): this {
    if (this.original) return this;
    const original = Date.now.bind(Date);
    this.original = original;
    Date.now = () => original() + this.offset;
    return this;
  }

  /** Move the wall clock forward by `ms`. */
  advance(ms: number): void {
    this.offset += ms;
  }

  /** Restore the real `Date.now`. */
  uninstall(): void {
    if (this.original) Date.now = this.original;
    this.original = null;
  }
}
