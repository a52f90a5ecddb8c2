/**
 * Bridges a y-protocols `Awareness` (cursors, selections, user name and
 * colour, as TipTap's CollaborationCaret uses them) to the ephemeral presence
 * table (`convex/presence.ts`) through a {@link PresenceTransport}:
 *
 * - local state changes are published at most every `throttleMs`, and
 *   re-published every `heartbeatMs` so the row does not expire; a publish the
 *   server refuses or that fails (the Yjs client not registered yet while the
 *   provider connects, no token yet, the network) is retried with backoff from
 *   `retryMs`, so a returning person shows within a second, not a heartbeat;
 * - the subscription's entries become remote awareness states (encoded as a
 *   y-protocols awareness update, so clocks and change events behave as with
 *   any other provider); clients that vanish from the list are removed.
 */
import * as encoding from "lib0/encoding";
import { type Awareness, applyAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import { Backoff } from "./backoff";
import type { PresenceEntry, PresenceTransport, Unsubscribe } from "./transport";

/** Why 200 ms: cursor moves feel live at 5 updates/s and stay within the presence limit. */
export const AWARENESS_THROTTLE_MS = 200;
/** Why 10 s: a third of the server's 30 s TTL, so one lost beat never expires a cursor. */
export const AWARENESS_HEARTBEAT_MS = 10_000;
/** Why 250 ms: the provider registers the Yjs client within a round trip or two of opening. */
export const AWARENESS_RETRY_MS = 250;

/** Options of {@link AwarenessBridge}. */
export type AwarenessBridgeOptions<M extends string> = {
  meetingId: M;
  awareness: Awareness;
  transport: PresenceTransport<M>;
  throttleMs?: number;
  heartbeatMs?: number;
  /** First retry delay after a refused or failed publish (doubling up to the heartbeat). */
  retryMs?: number;
};

/** Keeps an Awareness in sync with the meeting's presence rows. */
export class AwarenessBridge<M extends string = string> {
  private readonly opts: Required<AwarenessBridgeOptions<M>>;
  private unsubscribe: Unsubscribe | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private lastSent = 0;
  private remote = new Set<number>();
  private readonly retry: Backoff;
  private destroyed = false;

  /** Start bridging immediately. */
  constructor(options: AwarenessBridgeOptions<M>) {
    this.opts = {
      throttleMs: AWARENESS_THROTTLE_MS,
      heartbeatMs: AWARENESS_HEARTBEAT_MS,
      retryMs: AWARENESS_RETRY_MS,
      ...options,
    };
    this.retry = new Backoff(this.opts.retryMs, this.opts.heartbeatMs);
    const { awareness, transport, meetingId } = this.opts;
    awareness.on("update", this.onLocalChange);
    this.unsubscribe = transport.subscribe(
      { meetingId },
      (answer) => {
        if (answer.ok) this.applyRemote(answer.entries);
      },
      () => undefined,
    );
    this.heartbeat = setInterval(() => void this.publish(), this.opts.heartbeatMs);
    this.schedule();
  }

  /** Stop bridging and remove this client's presence row. */
  async destroy(): Promise<void> {
    const { awareness, transport, meetingId } = this.opts;
    this.destroyed = true;
    awareness.off("update", this.onLocalChange);
    this.unsubscribe?.();
    this.retry.cancel();
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    removeAwarenessStates(awareness, [...this.remote], this);
    await transport.leave({ meetingId, clientId: awareness.clientID }).catch(() => undefined);
  }

  /** Publish the local state now (used by the throttle, the heartbeat and tests). */
  async publish(): Promise<void> {
    const { awareness, transport, meetingId } = this.opts;
    const state = awareness.getLocalState();
    if (state === null) return;
    this.lastSent = Date.now();
    const meta = awareness.meta.get(awareness.clientID);
    const answer = await transport
      .set({
        meetingId,
        clientId: awareness.clientID,
        clock: meta?.clock ?? 0,
        state: JSON.stringify(state),
      })
      .catch(() => null);
    if (this.destroyed) return;
    if (answer?.ok) this.retry.reset();
    else this.retry.schedule(() => void this.publish());
  }

  private readonly onLocalChange = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === this) return;
    const mine = this.opts.awareness.clientID;
    if ([...change.added, ...change.updated, ...change.removed].includes(mine)) this.schedule();
  };

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + this.opts.throttleMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.publish();
    }, wait);
  }

  private applyRemote(entries: PresenceEntry[]): void {
    const { awareness } = this.opts;
    const others = entries.filter((e) => e.clientId !== awareness.clientID);
    const seen = new Set(others.map((e) => e.clientId));
    const gone = [...this.remote].filter((id) => !seen.has(id));
    if (gone.length > 0) removeAwarenessStates(awareness, gone, this);
    this.remote = seen;
    if (others.length === 0) return;
    // Same wire shape as y-protocols' encodeAwarenessUpdate: count, then (client, clock, JSON).
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, others.length);
    for (const e of others) {
      encoding.writeVarUint(enc, e.clientId);
      encoding.writeVarUint(enc, e.clock);
      encoding.writeVarString(enc, e.state);
    }
    try {
      applyAwarenessUpdate(awareness, encoding.toUint8Array(enc), this);
    } catch {
      // A malformed remote state (bad JSON) is skipped; the server bounds but does not parse it.
    }
  }
}
