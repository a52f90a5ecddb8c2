/**
 * Keystroke → other clients latency, for any Yjs sync stack (Hocuspocus, our
 * provider over the engine). Client 0 types the given characters at the end
 * of the shared text at a fixed rate, one transaction per keystroke; every
 * other client timestamps the arrival of each keystroke. Insert-only typing
 * makes the writer's Yjs clock count keystrokes 1:1, so arrival = the writer's
 * clock in the receiver's state vector — no marker in the content.
 */

import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { sleep } from "./timing";
import { TRACE_FIELD } from "./trace";

/** One connected client of the system under test. */
export type LatencyClient = {
  doc: Y.Doc;
  /** Resolves when the client holds the server's state. */
  synced: Promise<void>;
  destroy: () => void | Promise<void>;
  /** Writes this client has sent so far (pushes), where the stack exposes them. */
  writes?: () => number;
};

/** What one latency run measured. */
export type LatencyRun = {
  clients: number;
  sent: number;
  /** Per (receiver, keystroke) arrival latency in ms. */
  samples: number[];
  /** Keystroke arrivals missing after the drain timeout (receivers × sent − samples). */
  missing: number;
  /** How late the writer fell behind its schedule at worst (a loaded client, not the server). */
  maxScheduleSlipMs: number;
  /** Writes (pushes) the writer sent for the keystrokes, or null when the stack does not say. */
  writerWrites: number | null;
};

/** How long to wait for stragglers after the last keystroke before counting them missing. */
const DRAIN_TIMEOUT_MS = 10_000;

/** Run one typing session and collect arrival latencies. */
export async function measureTypingLatency(opts: {
  clients: number;
  connect: (i: number) => Promise<LatencyClient>;
  chars: string;
  keysPerSecond: number;
  field?: string;
}): Promise<LatencyRun> {
  const field = opts.field ?? TRACE_FIELD;
  const clients: LatencyClient[] = [];
  try {
    for (let i = 0; i < opts.clients; i++) clients.push(await opts.connect(i));
    await Promise.all(clients.map((c) => c.synced));
    const writer = clients[0]!;
    const writerId = writer.doc.clientID;
    const base = Y.getState(writer.doc.store, writerId);
    const writesBefore = writer.writes?.() ?? null;
    const sendAt: number[] = [];
    const samples: number[] = [];
    const receivers = clients.slice(1);
    let outstanding = receivers.length * opts.chars.length;
    let allArrived: () => void = () => {};
    const done = new Promise<void>((r) => {
      allArrived = r;
    });
    for (const rc of receivers) {
      let seen = base;
      rc.doc.on("update", () => {
        const now = performance.now();
        const clock = Y.getState(rc.doc.store, writerId);
        for (let c = seen; c < clock; c++) {
          const t = sendAt[c - base];
          if (t !== undefined) samples.push(now - t);
          outstanding--;
        }
        if (clock > seen) seen = clock;
        if (outstanding <= 0) allArrived();
      });
    }
    const text = writer.doc.getText(field);
    const interval = 1000 / opts.keysPerSecond;
    const t0 = performance.now();
    let maxSlip = 0;
    for (let k = 0; k < opts.chars.length; k++) {
      const target = t0 + k * interval;
      const wait = target - performance.now();
      if (wait > 0.5) await sleep(wait);
      maxSlip = Math.max(maxSlip, performance.now() - target);
      sendAt[k] = performance.now();
      writer.doc.transact(() => text.insert(text.length, opts.chars[k]!));
    }
    if (receivers.length > 0) await Promise.race([done, sleep(DRAIN_TIMEOUT_MS)]);
    const writesAfter = writer.writes?.() ?? null;
    return {
      writerWrites:
        writesBefore === null || writesAfter === null ? null : writesAfter - writesBefore,
      clients: opts.clients,
      sent: opts.chars.length,
      samples,
      missing: Math.max(0, outstanding),
      maxScheduleSlipMs: maxSlip,
    };
  } finally {
    for (const c of clients) await c.destroy();
  }
}
