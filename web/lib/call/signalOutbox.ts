/** Signals to one peer go out one call at a time, retried when the server says "later". */
import type { OutSignal, SignalingChannel } from "./signaling";

/** One peer's queue of signals and whether a send is in flight. */
export type SignalBox = { sending: boolean; queue: OutSignal[] };

/** The server's per-call cap (`MAX_SIGNALS_PER_SEND` in convex/lib/rtcRules.ts). */
const BATCH = 20;

type SendResult = Awaited<ReturnType<SignalingChannel["send"]>>;

/**
 * Sends what is queued in batches while `alive()` holds; a refusal that may
 * pass (rate limit, conflict, a failed call) puts the batch back and waits
 * the server's `retryAfterMs` (1 s when it names none).
 */
export async function drainSignals(
  box: SignalBox,
  send: (batch: OutSignal[]) => Promise<SendResult>,
  alive: () => boolean,
): Promise<void> {
  box.sending = true;
  try {
    while (box.queue.length > 0 && alive()) {
      const batch = box.queue.splice(0, BATCH);
      const r = await send(batch).catch((e: unknown) => ({
        ok: false as const,
        code: "INTERNAL",
        message: String(e),
        retryAfterMs: 1000,
      }));
      if (!r.ok) console.warn("[call] signals refused", r.code, r.message);
      if (!r.ok && (r.code === "RATE_LIMITED" || r.code === "CONFLICT" || r.code === "INTERNAL")) {
        box.queue.unshift(...batch);
        await new Promise((res) => setTimeout(res, r.retryAfterMs ?? 1000));
      }
    }
  } finally {
    box.sending = false;
  }
}
