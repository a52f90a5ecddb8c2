/**
 * The recent commits the conflict simulator checks read sets against: a
 * bounded log of (sequence number, changed documents).
 */
import type { Commit } from "../backend";

/** Commits kept; older ones are assumed outside any live transaction's window. */
const MAX_COMMITS = 20_000;

/** One logged commit. */
export type LoggedCommit = { seq: number; changes: Commit["changes"] };

/** A bounded, append-only log of commits numbered 1, 2, 3... */
export class CommitLog {
  private readonly entries: LoggedCommit[] = [];
  /** The sequence number of the latest commit (0 before any). */
  seq = 0;

  /** Append a commit; returns its sequence number. */
  append(commit: Commit): number {
    this.seq += 1;
    this.entries.push({ seq: this.seq, changes: commit.changes });
    if (this.entries.length > MAX_COMMITS)
      this.entries.splice(0, this.entries.length - MAX_COMMITS);
    return this.seq;
  }

  /** Commits with a sequence number greater than `seq`, oldest first. */
  *since(seq: number): Generator<LoggedCommit> {
    let i = this.entries.length - 1;
    while (i >= 0 && this.entries[i]!.seq > seq) i -= 1;
    for (let j = i + 1; j < this.entries.length; j++) yield this.entries[j]!;
  }
}
