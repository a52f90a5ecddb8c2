/**
 * The notes transport over the real `ConvexClient`, with an optional delivery
 * gate for concurrent traces: an agent's provider may only receive other
 * agents' updates up to a per-client sequence number the driver allows, so
 * its doc holds exactly a txn's parents before it applies the txn. Gating
 * trims pull answers to an allowed prefix (each client's seqs arrive in
 * order) and re-delivers the last answer when the allowance grows.
 */
import type { ConvexClient } from "convex/browser";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { NotesTransport, PullAnswer } from "../../crdt/transport";

/** What one agent may receive: per remote Yjs client id, the highest seq. */
export class Gate {
  readonly allowed = new Map<number, number>();
  readonly own = new Set<number>();
  /** Per remote client id: the highest seq handed to the provider (deletions move no clock). */
  readonly delivered = new Map<number, number>();
  /** Set by the live subscription: re-deliver with the current allowance. */
  redeliver: (() => void) | null = null;

  /** Allow `clientId`'s updates up to `seq`, and re-deliver. */
  allow(clientId: number, seq: number): void {
    if ((this.allowed.get(clientId) ?? 0) >= seq) return;
    this.allowed.set(clientId, seq);
    this.redeliver?.();
  }

  /** The allowed prefix of a pull answer. */
  trim(answer: PullAnswer): PullAnswer {
    if (!answer.ok) return answer;
    let n = 0;
    for (const u of answer.updates) {
      if (!this.own.has(u.clientId) && u.clientSeq > (this.allowed.get(u.clientId) ?? 0)) break;
      n++;
    }
    if (n === answer.updates.length) return answer;
    const kept = answer.updates.slice(0, n);
    const last = kept[kept.length - 1];
    return { ok: true, updates: kept, cursor: last ? { ts: last.ts } : null, done: false };
  }

  /** Record updates the provider applied (it moved its cursor past them). */
  record(answer: PullAnswer): void {
    if (!answer.ok) return;
    for (const u of answer.updates) {
      if (u.clientSeq > (this.delivered.get(u.clientId) ?? 0)) {
        this.delivered.set(u.clientId, u.clientSeq);
      }
    }
  }
}

/** A transport over `client`; with `gate`, remote updates are held back as it says. */
export function convexClientTransport(
  client: ConvexClient,
  gate: Gate | null,
): NotesTransport<Id<"meetings">> {
  return {
    registerClient: (args) => client.mutation(api.notes.registerClient, args),
    push: (args) => client.mutation(api.notes.push, args),
    bootstrap: (args) => client.query(api.notes.bootstrap, args),
    resync: (args) => client.query(api.notes.resync, args),
    subscribePull(args, onResult, onError) {
      if (!gate) return client.onUpdate(api.notes.pull, args, onResult, onError);
      let last: PullAnswer | null = null;
      const deliver = () => {
        // A superseded subscription may still call back; its answers are ignored by the
        // provider, so they must not count as delivered either.
        if (!last || gate.redeliver !== deliver) return;
        const trimmed = gate.trim(last);
        onResult(trimmed);
        // The provider re-subscribes (replacing `redeliver`) exactly when it applied the
        // answer and moved its cursor; only then do these updates count as delivered.
        if (gate.redeliver !== deliver) gate.record(trimmed);
      };
      gate.redeliver = deliver;
      const stop = client.onUpdate(
        api.notes.pull,
        args,
        (answer) => {
          last = answer;
          deliver();
        },
        onError,
      );
      return () => {
        if (gate.redeliver === deliver) gate.redeliver = null;
        stop();
      };
    },
  };
}
