/**
 * The narrow transport the notes provider talks through: four calls and one
 * subscription, matching `convex/notes.ts`. The real `ConvexClient` satisfies
 * it with one line per member (see `crdt/README.md`); tests pass a transport
 * over convex-test with hand-controlled delivery and faults.
 *
 * Refusals are values (`{ ok: false, code, message }`); a rejected promise
 * means the network or the server failed and the call may be retried.
 */

/** Where a reader of a meeting's note log stands (the last commitTs it consumed). */
export type NoteCursor = { ts: bigint };

/** A coded refusal from the server. */
export type Refusal = { ok: false; code: string; message: string; retryAfterMs?: number };

/** Answer of a push. */
export type PushAnswer = { ok: true; status: "stored" | "duplicate" } | Refusal;
/** Answer of a client registration (`lastSeq` = highest seq already stored). */
export type RegisterAnswer = { ok: true; lastSeq: number } | Refusal;
/** Answer of bootstrap/resync: state (or diff) through `cursor`. */
export type StateAnswer =
  | {
      ok: true;
      update: ArrayBuffer;
      /** The server's state vector through `cursor`. */
      stateVector: ArrayBuffer;
      encoding: "v1" | "v2";
      cursor: NoteCursor | null;
      done: boolean;
    }
  | Refusal;
/** Answer of a pull subscription: updates after the cursor, in commit order. */
export type PullAnswer =
  | {
      ok: true;
      updates: Array<{ ts: bigint; clientId: number; clientSeq: number; update: ArrayBuffer }>;
      cursor: NoteCursor | null;
      done: boolean;
    }
  | Refusal;

/** Stop a subscription. */
export type Unsubscribe = () => void;

/**
 * The connection as a transport sees it (e.g. the WebSocket is up and the
 * browser is online). The provider goes offline when it drops and
 * reconnects when it returns (rule N9).
 */
export interface TransportConnection {
  isConnected(): boolean;
  /** `onChange` runs on every change of {@link isConnected}. */
  subscribe(onChange: (connected: boolean) => void): Unsubscribe;
}

/** What the provider needs from the backend; `M` is the meeting id type. */
export interface NotesTransport<M extends string = string> {
  /** Optional connection state; without it the provider learns of outages from failed calls. */
  connection?: TransportConnection;
  registerClient(args: { meetingId: M; clientId: number }): Promise<RegisterAnswer>;
  push(args: {
    meetingId: M;
    clientId: number;
    clientSeq: number;
    update: ArrayBuffer;
  }): Promise<PushAnswer>;
  bootstrap(args: { meetingId: M }): Promise<StateAnswer>;
  resync(args: { meetingId: M; stateVector: ArrayBuffer }): Promise<StateAnswer>;
  /** Subscribe to `pull`; `onResult` runs on every new answer. */
  subscribePull(
    args: { meetingId: M; after: NoteCursor | null },
    onResult: (answer: PullAnswer) => void,
    onError: (error: Error) => void,
  ): Unsubscribe;
}

/** One awareness entry of another client, as the presence table serves it. */
export type PresenceEntry = { clientId: number; clock: number; state: string };
/** Answer of a presence write. */
export type PresenceAnswer = { ok: true } | Refusal;

/** What the awareness bridge needs from the backend (`convex/presence.ts`). */
export interface PresenceTransport<M extends string = string> {
  set(args: {
    meetingId: M;
    clientId: number;
    clock: number;
    state: string;
  }): Promise<PresenceAnswer>;
  leave(args: { meetingId: M; clientId: number }): Promise<PresenceAnswer>;
  subscribe(
    args: { meetingId: M },
    onResult: (answer: { ok: true; entries: PresenceEntry[] } | Refusal) => void,
    onError: (error: Error) => void,
  ): Unsubscribe;
}
