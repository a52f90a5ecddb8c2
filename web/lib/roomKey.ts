/**
 * The meeting's room key on the client (see `convex/lib/roomKey.ts`): fetched
 * once through `rooms.access`, kept current by subscribing to it, and handed
 * to every room subscription, which moves to a new key when it rotates.
 *
 * A rotation reaches the client as two answers of one commit: `rooms.access`
 * answers the new key and every subscription on the old key answers
 * FORBIDDEN, in either order. So a FORBIDDEN on a key is never shown at once:
 * the key is asked for again, and only when it is still the same (the person
 * really lost access) does the refusal go through; otherwise the
 * subscription simply moves to the new key (the notes provider skips what it
 * already applied, so nothing is lost). The key is never logged or put in a
 * URL.
 */

/** A coded refusal, as the server answers it. */
export type KeyRefusal = { ok: false; code: string; message: string };
/** `rooms.access`'s answer (`key: null`: not issued yet). */
export type KeyAnswer = { ok: true; key: string | null } | KeyRefusal;

/** What {@link RoomKeys} needs from the backend (`rooms.access`, `rooms.issue`). */
export interface RoomKeyBackend {
  /** Subscribe to `rooms.access`. */
  watch(onAnswer: (a: KeyAnswer) => void, onError: (e: Error) => void): () => void;
  /** Ask `rooms.access` once. */
  fetch(): Promise<KeyAnswer>;
  /** `rooms.issue` (for a meeting made before room keys). */
  issue(): Promise<{ ok: true; key: string } | KeyRefusal>;
}

/** The outcome of {@link RoomKeys.get}: the key, or why there is none. */
export type KeyState = { ok: true; key: string } | KeyRefusal;

/** One meeting's room key, current, with listeners for rotations. */
export class RoomKeys {
  private state: KeyState | null = null;
  private waiting: Array<(s: KeyState) => void> = [];
  private readonly listeners = new Set<(s: KeyState) => void>();
  private readonly stop: () => void;
  private issuing = false;

  constructor(private readonly backend: RoomKeyBackend) {
    this.stop = backend.watch(
      (a) => this.take(a),
      () => {
        // The subscription retries by itself (the client reconnects); keep the last key.
      },
    );
  }

  /** The current key, or null before the first answer. */
  current(): KeyState | null {
    return this.state;
  }

  /** The key (waits for the first answer). */
  get(): Promise<KeyState> {
    if (this.state) return Promise.resolve(this.state);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Ask again (after a FORBIDDEN on `used`): the new key, or the refusal if there is none. */
  async refresh(): Promise<KeyState> {
    this.take(await this.backend.fetch());
    return this.get();
  }

  /** Call `onChange` on every new key or refusal; returns the unsubscribe function. */
  onChange(onChange: (s: KeyState) => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  /** Stop watching the key. */
  close(): void {
    this.stop();
    this.listeners.clear();
  }

  private take(a: KeyAnswer): void {
    if (a.ok && a.key === null) {
      this.issueOnce();
      return;
    }
    const next: KeyState = a.ok ? { ok: true, key: a.key as string } : a;
    if (this.state && sameState(this.state, next)) return;
    this.state = next;
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w(next);
    for (const l of [...this.listeners]) l(next);
  }

  private issueOnce(): void {
    if (this.issuing) return;
    this.issuing = true;
    this.backend.issue().then(
      (r) => {
        this.issuing = false;
        this.take(r);
      },
      () => {
        // A failed call is retried on the next answer of the subscription.
        this.issuing = false;
      },
    );
  }
}

function sameState(a: KeyState, b: KeyState): boolean {
  if (a.ok && b.ok) return a.key === b.key;
  return !a.ok && !b.ok && a.code === b.code;
}

/** Whether an answer is the refusal a stale key gets. */
export function isForbidden(answer: unknown): boolean {
  return (
    typeof answer === "object" &&
    answer !== null &&
    (answer as { ok?: unknown }).ok === false &&
    (answer as { code?: unknown }).code === "FORBIDDEN"
  );
}

/**
 * Run a one-shot room call with the current key; a FORBIDDEN answer asks for
 * the key again and retries once when it changed (a rotation raced the call).
 * Without a key, the key's refusal is the answer.
 */
export async function withRoomKey<A>(
  keys: RoomKeys,
  call: (roomKey: string) => Promise<A>,
): Promise<A | KeyRefusal> {
  const first = await keys.get();
  if (!first.ok) return first;
  const answer = await call(first.key);
  if (!isForbidden(answer)) return answer;
  const again = await keys.refresh();
  if (!again.ok || again.key === first.key) return answer;
  return await call(again.key);
}

/**
 * Hold a room subscription on the current key and move it to each new key.
 * A FORBIDDEN answer is held back until the key is asked for again: passed on
 * only when the key did not change (or is refused itself).
 */
export function keyedSubscription<A>(
  keys: RoomKeys,
  subscribe: (roomKey: string, onAnswer: (a: A) => void) => () => void,
  onAnswer: (a: A | KeyRefusal) => void,
): () => void {
  let stopped = false;
  let used: string | null = null;
  let stopInner: (() => void) | null = null;
  const open = (s: KeyState) => {
    if (stopped) return;
    if (!s.ok) {
      stopInner?.();
      stopInner = null;
      used = null;
      onAnswer(s);
      return;
    }
    if (s.key === used) return;
    stopInner?.();
    used = s.key;
    const key = s.key;
    stopInner = subscribe(key, (a) => {
      if (stopped || key !== used) return;
      if (!isForbidden(a)) return onAnswer(a);
      keys.refresh().then(
        (now) => {
          if (stopped || key !== used) return;
          if (now.ok && now.key !== key) open(now);
          else onAnswer(a);
        },
        () => onAnswer(a),
      );
    });
  };
  const stopKeys = keys.onChange(open);
  keys.get().then(open, () => undefined);
  return () => {
    stopped = true;
    stopKeys();
    stopInner?.();
  };
}
