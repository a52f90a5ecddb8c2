/**
 * The notes transport over the real `ConvexClient`, with an optional delivery
 * gate for concurrent traces: an agent's provider may only receive other
 * agents' updates up to a per-client sequence number the driver allows, so
 * its doc holds exactly a txn's parents before it applies the txn.
 *
 * A gated transport follows the server's `notes.pull` stream itself (the real
 * subscription, cursor by cursor) and holds what it read in a reorder buffer.
 * It releases an update once the driver allows it, keeping each client's
 * updates in their order and otherwise the server's commit order, so an
 * allowed update is never stuck behind another client's update that is not
 * allowed yet (with three or more agents, concurrent branches interleave on
 * the server). The provider reads the released updates through the same
 * pull contract, with the release position as the cursor.
 */

import type { ConvexClient } from "convex/browser";
import { clientNotesTransport, fetchRoomKey } from "../../bench/lib/client-transports";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { NotesTransport, PullAnswer } from "../../crdt/transport";

type Pulled = Extract<PullAnswer, { ok: true }>["updates"][number];

/** Why 256: the same page size as the server's `notes.pull` (PULL_LIMIT). */
const RELEASE_PAGE = 256;

/** What one agent may receive: per remote Yjs client id, the highest seq. */
export class Gate {
  readonly allowed = new Map<number, number>();
  readonly own = new Set<number>();
  /** Per remote client id: the highest seq handed to the provider (deletions move no clock). */
  readonly delivered = new Map<number, number>();
  /** Read from the server, not yet released (server commit order). */
  private held: Pulled[] = [];
  /** Released to the provider, in release order; `ts` is the release position. */
  private released: Pulled[] = [];
  /** Release positions continue from the provider's first cursor (its bootstrap's). */
  private base: bigint | null = null;
  private consumer: { after: bigint; onResult: (answer: PullAnswer) => void } | null = null;
  private scheduled = false;

  /** Allow `clientId`'s updates up to `seq`, and release what that unblocks. */
  allow(clientId: number, seq: number): void {
    if ((this.allowed.get(clientId) ?? 0) >= seq) return;
    this.allowed.set(clientId, seq);
    this.release();
  }

  /** Updates read from the server (in commit order), after what was read before. */
  receive(updates: Pulled[]): void {
    this.held.push(...updates);
    this.release();
  }

  /** The provider (re)subscribes after `after` (its cursor). */
  attach(after: bigint | null, onResult: (answer: PullAnswer) => void): () => void {
    this.base ??= after ?? 0n;
    const consumer = { after: after ?? this.base, onResult };
    this.consumer = consumer;
    this.schedule();
    return () => {
      if (this.consumer === consumer) this.consumer = null;
    };
  }

  private release(): void {
    const blocked = new Set<number>();
    const keep: Pulled[] = [];
    for (const u of this.held) {
      const ok =
        this.own.has(u.clientId) ||
        (!blocked.has(u.clientId) && u.clientSeq <= (this.allowed.get(u.clientId) ?? 0));
      if (!ok) {
        // A client's later updates wait behind its first held one.
        blocked.add(u.clientId);
        keep.push(u);
        continue;
      }
      const ts = (this.base ?? 0n) + BigInt(this.released.length + 1);
      this.released.push({ ...u, ts });
    }
    const moved = keep.length !== this.held.length;
    this.held = keep;
    if (moved) this.schedule();
  }

  /** Answer the current subscriber asynchronously, as a real subscription would. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.deliver();
    });
  }

  private deliver(): void {
    const c = this.consumer;
    if (!c || this.base === null) return;
    const from = Number(c.after - this.base);
    if (from >= this.released.length) return;
    const updates = this.released.slice(from, from + RELEASE_PAGE);
    const last = updates[updates.length - 1]!;
    c.onResult({
      ok: true,
      updates,
      cursor: { ts: last.ts },
      done: from + updates.length >= this.released.length,
    });
    // The provider applies an answer of its current subscription synchronously (and may keep
    // the subscription, skipping updates it applied before): these updates are delivered.
    for (const u of updates) {
      if (u.clientSeq > (this.delivered.get(u.clientId) ?? 0)) {
        this.delivered.set(u.clientId, u.clientSeq);
      }
    }
  }
}

/**
 * Follow `notes.pull` from `after` through the real subscription, handing each
 * page's updates to `onUpdates` once.
 */
function followPull(
  client: ConvexClient,
  meetingId: Id<"meetings">,
  after: { ts: bigint } | null,
  onUpdates: (updates: Pulled[]) => void,
  onError: (error: Error) => void,
): void {
  let stop: (() => void) | null = null;
  let roomKey: string | null = null;
  const from = (cursor: { ts: bigint } | null) => {
    if (roomKey === null) {
      // The room key once (a replay never removes anyone, so it never rotates).
      fetchRoomKey(client, meetingId).then((k) => {
        roomKey = k;
        from(cursor);
      }, onError);
      return;
    }
    stop?.();
    stop = client.onUpdate(
      api.notes.pull,
      { meetingId, roomKey, after: cursor },
      (answer) => {
        if (!answer.ok) {
          onError(new Error(`${answer.code}: ${answer.message}`));
          return;
        }
        const fresh = answer.updates.filter((u) => !cursor || u.ts > cursor.ts);
        if (fresh.length === 0) return;
        onUpdates(fresh);
        from({ ts: fresh[fresh.length - 1]!.ts });
      },
      onError,
    );
  };
  from(after);
}

/** A transport over `client`; with `gate`, remote updates are held back as it says. */
export function convexClientTransport(
  client: ConvexClient,
  gate: Gate | null,
): NotesTransport<Id<"meetings">> {
  // The replay closes the client at the end, which ends this subscription too.
  let following = false;
  const plain = clientNotesTransport(client);
  return {
    ...plain,
    subscribePull(args, onResult, onError) {
      if (!gate) return plain.subscribePull(args, onResult, onError);
      // The server stream is followed once, from the provider's first cursor (a gated
      // provider never resyncs, so its later cursors are release positions).
      if (!following) {
        following = true;
        followPull(client, args.meetingId, args.after, (updates) => gate.receive(updates), onError);
      }
      return gate.attach(args.after?.ts ?? null, onResult);
    },
  };
}
