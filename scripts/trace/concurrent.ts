/**
 * Replaying a concurrent trace: each agent applies a txn only once it holds
 * exactly the txn's parents (delivery gated per client id), and pushes at
 * every prefix another agent's txn needs.
 */
import * as Y from "yjs";
import { TRACE_TEXT } from "../../projections/meetingNotes/document";
import type { Gate } from "./gatedTransport";
import { CONVERGE_TIMEOUT_MS, type Person, type Stamp, stamp, until } from "./steps";
import type { ConcurrentTrace } from "./traceFile";

/** Replay a concurrent trace through the agents' providers. */
export async function replayConcurrent(
  trace: ConcurrentTrace,
  people: Person[],
  gates: Gate[],
  marks: Set<number>,
  stamps: Stamp[],
  options: { onProgress?: (done: number, total: number) => void },
): Promise<{ keystrokes: number; pushes: number }> {
  const n = people.length;
  const clientOf = people.map((p) => p.provider.doc.clientID);
  const { needs, cuts } = planConcurrent(trace, n);
  const count = new Array<number>(n).fill(0);
  /** Per agent: own txn count at a flush → the seq of that push, and its own Yjs clock. */
  const seqAt = Array.from({ length: n }, () => new Map<number, number>([[0, 0]]));
  const clockAt = Array.from({ length: n }, () => new Map<number, number>([[0, 0]]));
  let keystrokes = 0;
  let pushes = 0;
  const flush = async (x: number) => {
    const p = people[x]!.provider;
    await p.flush();
    pushes++;
    seqAt[x]!.set(count[x]!, p.lastSeqOf(clientOf[x]!));
    clockAt[x]!.set(
      count[x]!,
      Y.decodeStateVector(Y.encodeStateVector(p.doc)).get(clientOf[x]!) ?? 0,
    );
  };
  for (const [i, txn] of trace.txns.entries()) {
    const a = txn.agent;
    const me = people[a]!.provider;
    const need = needs[i]!;
    // Before applying txn i, agent a holds exactly the history of its parents.
    const target = new Map<number, number>();
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      const seq = seqAt[b]!.get(need[b]!);
      const clock = clockAt[b]!.get(need[b]!);
      if (seq === undefined || clock === undefined) {
        throw new Error(`txn ${i}: agent ${b}'s first ${need[b]} txns were never pushed alone`);
      }
      gates[a]!.allow(clientOf[b]!, seq);
      target.set(clientOf[b]!, clock);
    }
    const gate = gates[a]!;
    await until(
      `agent ${a} to hold the parents of txn ${i}`,
      () => {
        const sv = Y.decodeStateVector(Y.encodeStateVector(me.doc));
        // Clocks cover inserts; delivered seqs also cover pure deletions (no clock moves).
        return [...target].every(
          ([c, clock]) =>
            (sv.get(c) ?? 0) === clock &&
            (gate.delivered.get(c) ?? 0) >= (gate.allowed.get(c) ?? 0),
        );
      },
      CONVERGE_TIMEOUT_MS,
    );
    const text = me.doc.getText(TRACE_TEXT);
    me.doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del);
        if (ins.length > 0) text.insert(pos, ins);
      }
    });
    keystrokes += txn.patches.length;
    count[a]!++;
    // Push at every point another agent's txn will need exactly this prefix.
    if (cuts[a]!.has(count[a]!)) await flush(a);
    if (marks.has(i)) {
      for (let x = 0; x < n; x++) await flush(x);
      const oracle = new Y.Doc();
      for (const p of people) Y.applyUpdate(oracle, Y.encodeStateAsUpdate(p.provider.doc));
      await stamp(stamps, i, oracle.getText(TRACE_TEXT).toString());
    }
    options.onProgress?.(i + 1, trace.txns.length);
  }
  for (let x = 0; x < n; x++) await flush(x);
  return { keystrokes, pushes };
}

/**
 * For every txn, how many txns of each agent its history holds, and per agent
 * the prefix lengths some other agent's txn needs (where it must push alone).
 */
function planConcurrent(trace: ConcurrentTrace, n: number) {
  const needs: number[][] = [];
  const cuts = Array.from({ length: n }, () => new Set<number>());
  const count = new Array<number>(n).fill(0);
  const countAfter: number[] = [];
  for (const [i, txn] of trace.txns.entries()) {
    const need = new Array<number>(n).fill(0);
    for (const p of txn.parents) {
      if (p >= i) throw new Error(`txn ${i} has parent ${p} that is not earlier in the trace`);
      const pn = needs[p]!;
      for (let b = 0; b < n; b++) need[b] = Math.max(need[b]!, pn[b]!);
      const pa = trace.txns[p]!.agent;
      need[pa] = Math.max(need[pa]!, countAfter[p]!);
    }
    if (need[txn.agent] !== count[txn.agent]) {
      throw new Error(`txn ${i}: its history lacks some of agent ${txn.agent}'s own earlier txns`);
    }
    for (let b = 0; b < n; b++) if (b !== txn.agent && need[b]! > 0) cuts[b]!.add(need[b]!);
    needs.push(need);
    count[txn.agent]!++;
    countAfter[i] = count[txn.agent]!;
  }
  return { needs, cuts };
}
