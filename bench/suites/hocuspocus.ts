/**
 * Hocuspocus 4.7 (the most used Yjs server) as the peer baseline, in a child
 * process over loopback: keystroke → other clients latency with 2/5/20
 * clients at 200 keys/s, and cold open of the automerge-paper document
 * (provider created → synced, server holding the doc in memory or loading it).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { startChildServer } from "../lib/child-server";
import type { CdfChart } from "../lib/report-types";
import { type Summary, summarize } from "../lib/stats";
import type { Suite, SuiteContext, SuiteOutput } from "../lib/suite";
import { insertedChars, TRACE_FIELD } from "../lib/trace";
import { type LatencyClient, measureTypingLatency } from "../lib/typing-latency";

/** Connect one Hocuspocus provider to document `name`; resolves its `synced` on first sync. */
export function connectHocuspocus(url: string, name: string): LatencyClient {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  let resolveSynced: () => void = () => {};
  const synced = new Promise<void>((r) => {
    resolveSynced = r;
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    onSynced: () => resolveSynced(),
  });
  provider.attach();
  return {
    doc,
    synced,
    destroy: () => {
      provider.destroy();
      socket.destroy();
      doc.destroy();
    },
  };
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const { sizes } = ctx;
  const tmp = join(ctx.root, "bench", "out", "tmp");
  mkdirSync(tmp, { recursive: true });
  const statePath = join(tmp, "cold-state.bin");
  writeFileSync(statePath, Y.encodeStateAsUpdate(ctx.typed.doc));
  const server = await startChildServer(ctx.root, "bench/servers/hocuspocus-server.ts", {
    BENCH_COLD_STATE: statePath,
  });
  const url = `ws://127.0.0.1:${server.port}`;
  try {
    // Cold open: each run is a new provider on a fresh doc until synced.
    // First run also makes the server load the doc (onLoadDocument) — reported apart.
    ctx.progress(`hocuspocus: cold open × ${sizes.fastRuns + 1}`);
    const opens: number[] = [];
    for (let i = 0; i < sizes.fastRuns + 1; i++) {
      const t0 = performance.now();
      const c = connectHocuspocus(url, "cold");
      await c.synced;
      const ok = c.doc.getText(TRACE_FIELD).toString() === ctx.typed.text;
      opens.push(performance.now() - t0);
      await c.destroy();
      if (!ok) throw new Error("hocuspocus cold open: content differs from the trace");
    }
    const firstOpen = opens[0]!;
    const coldOpen = summarize(opens.slice(1));

    const latency: Record<number, Summary> = {};
    const latencySamples: Record<number, number[]> = {};
    const rows: (string | number | null)[][] = [];
    const chart: CdfChart = {
      kind: "cdf",
      id: "latency-hocuspocus",
      title: "Hocuspocus: keystroke → other clients (200 keys/s)",
      unit: "ms",
      series: [],
    };
    const chars = insertedChars(ctx.trace, sizes.latencySeconds * sizes.keysPerSecond);
    for (const n of sizes.clientCounts) {
      ctx.progress(`hocuspocus: ${n} clients, ${chars.length} keys at ${sizes.keysPerSecond}/s`);
      const r = await measureTypingLatency({
        clients: n,
        connect: async () => connectHocuspocus(url, `latency-${n}`),
        chars,
        keysPerSecond: sizes.keysPerSecond,
      });
      const s = summarize(r.samples.length > 0 ? r.samples : [Number.NaN]);
      latency[n] = s;
      latencySamples[n] = r.samples;
      rows.push([`${n}`, r.sent, r.samples.length, r.missing, s.median, s.p95, s.p99, s.max]);
      chart.series.push({ label: `${n} clients`, values: r.samples });
    }
    ctx.baselines.hocuspocus = { latencyMs: latency, latencySamples, coldOpenMs: coldOpen };
    return {
      status: "measured",
      notMeasured: [],
      headlines: [],
      charts: [chart],
      tables: [
        {
          title: "Hocuspocus: keystroke → other clients",
          columns: [
            "clients",
            "keys sent",
            "arrivals",
            "missing",
            "median ms",
            "p95 ms",
            "p99 ms",
            "max ms",
          ],
          rows,
          method:
            "Hocuspocus 4.7.0 server in a child process on 127.0.0.1 (default debounce: it stores " +
            "the document 2–10 s after changes, so delivery is not durable). Clients are HocuspocusProviders in the " +
            `bench process. Client 0 types the trace's inserted characters at ${sizes.keysPerSecond} keys/s for ` +
            `${sizes.latencySeconds} s, one transaction each; latency = arrival in each other client's doc − the ` +
            "keystroke's transaction, over every (receiver, keystroke) pair.",
        },
        {
          title: "Hocuspocus: cold open of the document",
          columns: ["measure", "median ms", "p95 ms", "p99 ms"],
          rows: [
            ["first open (server loads the doc)", firstOpen, null, null],
            ["open, doc warm in server", coldOpen.median, coldOpen.p95, coldOpen.p99],
          ],
          method:
            "A new HocuspocusProvider on a fresh Y.Doc connects to the document (server preloaded from the V1 " +
            "state) and waits for `synced`, including the WebSocket handshake; content verified.",
        },
      ],
      data: { latencyMs: latency, firstOpenMs: firstOpen, coldOpenMs: coldOpen },
    };
  } finally {
    await server.stop();
  }
}

/** The Hocuspocus baseline suite. */
export const hocuspocusSuite: Suite = {
  id: "hocuspocus",
  title: "Hocuspocus baseline",
  baseline: true,
  run,
};
