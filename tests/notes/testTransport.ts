/**
 * A {@link NotesTransport} over convex-test, with hand-controlled delivery
 * and network faults, in the style of tldraw's hand-flushed test sockets:
 *
 * - subscriptions are re-run by `hub.deliver()` (or automatically after each
 *   mutation with `autoDeliver`), so tests choose when remote updates arrive;
 * - `link.online = false` makes every call reject and pauses delivery
 *   (a partition); `link.dropNextAck` lets the next push commit but loses its
 *   answer; `link.duplicateNextPush` sends the next push twice.
 *
 * The room's reads carry the link's room key (`rooms.access`, fetched once per
 * meeting; `forgetRoomKey()` makes the next read fetch it again, as a client
 * does after a rotation).
 */

import { fetchRoomKey } from "../../bench/lib/client-transports";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type {
  NoteCursor,
  NotesTransport,
  PresenceEntry,
  PresenceTransport,
  PullAnswer,
  Refusal,
} from "../../crdt/transport";
import type { TestBackend } from "../harness/convex";

type Backend = ReturnType<TestBackend["withIdentity"]>;
type Sub = {
  link: TestLink;
  run: () => Promise<void>;
};

/** The shared "server side" of every test link over one convex-test backend. */
export class TestHub {
  readonly subs = new Set<Sub>();
  /** Re-run subscriptions after every mutation (live-ish behaviour). */
  autoDeliver = true;

  /**
   * Re-run every subscription of online links and deliver the answers; `order`
   * (swap indices, e.g. from a property test) permutes which client hears first.
   */
  async deliver(order: readonly number[] = []): Promise<void> {
    const subs = [...this.subs];
    for (const [i, k] of order.entries()) {
      if (subs.length < 2) break;
      const a = i % subs.length;
      const b = k % subs.length;
      [subs[a], subs[b]] = [subs[b]!, subs[a]!];
    }
    for (const sub of subs) {
      if (sub.link.online && this.subs.has(sub)) await sub.run();
    }
  }

  /** Called after every mutation. */
  async changed(): Promise<void> {
    if (this.autoDeliver) await this.deliver();
  }
}

/** One client's connection: a transport plus fault switches. */
export class TestLink {
  online = true;
  dropNextAck = false;
  duplicateNextPush = false;
  /** The next pull run fails with this error instead of answering (a server error). */
  failNextPull: Error | null = null;
  /** Rewrites pull answers before delivery (to lose or reorder deliveries). */
  filterPull: ((answer: PullAnswer) => PullAnswer) | null = null;
  /** Pushes that reached the server (including duplicates and lost acks). */
  pushes = 0;
  private connected = true;
  private readonly connectionListeners = new Set<(up: boolean) => void>();

  /** Report the connection down or up to providers that follow it (see `withConnection`). */
  setConnected(up: boolean): void {
    this.online = up;
    if (up === this.connected) return;
    this.connected = up;
    for (const l of [...this.connectionListeners]) l(up);
  }

  /** This link's transport, also reporting its connection (rule N9). */
  withConnection(): NotesTransport<Id<"meetings">> {
    return {
      ...this.transport,
      connection: {
        isConnected: () => this.connected,
        subscribe: (onChange) => {
          this.connectionListeners.add(onChange);
          return () => this.connectionListeners.delete(onChange);
        },
      },
    };
  }

  constructor(
    readonly hub: TestHub,
    readonly as: Backend,
  ) {}

  private readonly roomKeys = new Map<Id<"meetings">, Promise<string>>();

  /** This link's room key of `meetingId` (fetched once; see {@link forgetRoomKey}). */
  roomKey(meetingId: Id<"meetings">): Promise<string> {
    let k = this.roomKeys.get(meetingId);
    if (!k) {
      k = fetchRoomKey(this.as, meetingId);
      this.roomKeys.set(meetingId, k);
    }
    return k;
  }

  /** Fetch the room keys again on the next read. */
  forgetRoomKey(): void {
    this.roomKeys.clear();
  }

  private check(): void {
    if (!this.online) throw new Error("offline (test partition)");
  }

  /** The notes transport of this link. */
  readonly transport: NotesTransport<Id<"meetings">> = {
    registerClient: async (args) => {
      this.check();
      const r = await this.as.mutation(api.notes.registerClient, args);
      return r;
    },
    push: async (args) => {
      this.check();
      this.pushes++;
      let r = await this.as.mutation(api.notes.push, args);
      if (this.duplicateNextPush) {
        this.duplicateNextPush = false;
        this.pushes++;
        r = await this.as.mutation(api.notes.push, args);
      }
      await this.hub.changed();
      if (this.dropNextAck) {
        this.dropNextAck = false;
        throw new Error("acknowledgement lost (test fault)");
      }
      return r;
    },
    bootstrap: async (args) => {
      this.check();
      return await this.as.query(api.notes.bootstrap, {
        ...args,
        roomKey: await this.roomKey(args.meetingId),
      });
    },
    resync: async (args) => {
      this.check();
      return await this.as.query(api.notes.resync, {
        ...args,
        roomKey: await this.roomKey(args.meetingId),
      });
    },
    subscribePull: (args, onResult, onError) => {
      let last = "";
      const sub: Sub = {
        link: this,
        run: async () => {
          try {
            const fault = this.failNextPull;
            this.failNextPull = null;
            if (fault) throw fault;
            const roomKey = await this.roomKey(args.meetingId);
            const answer: PullAnswer = await this.as.query(api.notes.pull, { ...args, roomKey });
            const key = fingerprint(answer);
            if (key === last) return;
            last = key;
            onResult(this.filterPull ? this.filterPull(answer) : answer);
          } catch (e) {
            onError(e instanceof Error ? e : new Error(String(e)));
          }
        },
      };
      this.hub.subs.add(sub);
      // Like a real subscription: the first answer arrives soon after subscribing.
      queueMicrotask(() => {
        if (this.online && this.hub.subs.has(sub)) void sub.run();
      });
      return () => {
        this.hub.subs.delete(sub);
      };
    },
  };

  /** The presence transport of this link. */
  readonly presence: PresenceTransport<Id<"meetings">> = {
    set: async (args) => {
      this.check();
      const r = await this.as.mutation(api.presence.set, args);
      await this.hub.changed();
      return r;
    },
    leave: async (args) => {
      this.check();
      const r = await this.as.mutation(api.presence.leave, args);
      await this.hub.changed();
      return r;
    },
    subscribe: (args, onResult, onError) => {
      let last = "";
      const sub: Sub = {
        link: this,
        run: async () => {
          try {
            const roomKey = await this.roomKey(args.meetingId);
            const answer: { ok: true; entries: PresenceEntry[] } | Refusal = await this.as.query(
              api.presence.list,
              { ...args, roomKey },
            );
            const key = JSON.stringify(answer);
            if (key === last) return;
            last = key;
            onResult(answer);
          } catch (e) {
            onError(e instanceof Error ? e : new Error(String(e)));
          }
        },
      };
      this.hub.subs.add(sub);
      queueMicrotask(() => {
        if (this.online && this.hub.subs.has(sub)) void sub.run();
      });
      return () => {
        this.hub.subs.delete(sub);
      };
    },
  };
}

function fingerprint(answer: PullAnswer): string {
  if (!answer.ok) return `refused:${answer.code}`;
  const c: NoteCursor | null = answer.cursor;
  return `${c ? c.ts.toString() : "-"}:${answer.updates.length}:${answer.done}`;
}
