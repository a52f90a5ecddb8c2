// @vitest-environment happy-dom
/**
 * Reactive pagination with query journals, through the unmodified
 * `ConvexReactClient` and `usePaginatedQuery`: a live list keeps every item
 * when rows are inserted above a page boundary (the first page grows, its end
 * stays pinned by the journal), and a cursor from another query fails with
 * Convex's `InvalidCursor` error, on which `usePaginatedQuery` resets to the
 * first page instead of throwing.
 */
import { ConvexProvider, ConvexReactClient, usePaginatedQuery } from "convex/react";
import { makeFunctionReference, type PaginationResult } from "convex/server";
import { act, createElement, useEffect } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine, waitFor, wsClient } from "./helpers";

type PageArgs = { channel: string; paginationOpts: { numItems: number; cursor: string | null } };
const page = makeFunctionReference<"query", PageArgs, PaginationResult<string>>("messages:page");
const pageOfCurrent = makeFunctionReference<
  "query",
  { paginationOpts: { numItems: number; cursor: string | null } },
  PaginationResult<string>
>("messages:pageOfCurrent");
const send = makeFunctionReference<"mutation", { channel: string; body: string }, string>(
  "messages:send",
);
const incr = makeFunctionReference<"mutation", { name: string }, number>("counters:incr");

// Updates arrive from the network, outside act(): tell React not to expect act() around them.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine({ dataDir: null });
});
afterAll(async () => {
  await engine.close();
});

type Seen = { results: string[]; status: string; loadMore: (n: number) => void };
type ProbeProps = {
  query: typeof page | typeof pageOfCurrent;
  args: Record<string, unknown>;
  initialNumItems: number;
  report: (seen: Seen) => void;
};

/** Renders nothing; reports every result of `usePaginatedQuery`. */
function Probe({ query, args, initialNumItems, report }: ProbeProps) {
  const r = usePaginatedQuery(query as typeof page, args as never, { initialNumItems });
  useEffect(() => {
    report({ results: r.results, status: r.status, loadMore: r.loadMore });
  });
  return null;
}

/** Render `usePaginatedQuery(query, args)` and report every render. */
async function renderPaginated(
  query: typeof page | typeof pageOfCurrent,
  args: Record<string, unknown>,
  initialNumItems: number,
) {
  const client = new ConvexReactClient(engine.url, {
    webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
    unsavedChangesWarning: false,
    logger: false,
  });
  let latest: Seen = { results: [], status: "LoadingFirstPage", loadMore: () => undefined };
  const listeners = new Set<() => void>();
  const report = (seen: Seen) => {
    latest = seen;
    for (const l of listeners) l();
  };
  const container = document.createElement("div");
  const root: Root = createRoot(container);
  await act(async () => {
    root.render(
      createElement(
        ConvexProvider,
        { client },
        createElement(Probe, { query, args, initialNumItems, report }),
      ),
    );
  });
  const until = (pred: (s: Seen) => boolean, ms = 10_000) =>
    new Promise<Seen>((ok, fail) => {
      const check = () => {
        if (pred(latest)) {
          listeners.delete(check);
          clearTimeout(timer);
          ok(latest);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        fail(new Error(`timed out; last ${JSON.stringify(latest)}`));
      }, ms);
      listeners.add(check);
      check();
    });
  return {
    until,
    loadMore: async (n: number) => {
      await act(async () => latest.loadMore(n));
    },
    close: async () => {
      await act(async () => root.unmount());
      await client.close();
    },
  };
}

describe("reactive pagination", () => {
  it("keeps every item when rows land above a page boundary: the page grows", async () => {
    const writer = httpClient(engine.url);
    for (let i = 1; i <= 6; i++) await writer.mutation(send, { channel: "pg", body: `m${i}` });
    const view = await renderPaginated(page, { channel: "pg" }, 3);
    try {
      await view.until((s) => s.results.length === 3);
      await view.loadMore(3);
      await view.until((s) => s.results.length === 6);
      await writer.mutation(send, { channel: "pg", body: "m7" });
      const after = await view.until((s) => s.results.includes("m7"));
      expect(after.results).toEqual(["m7", "m6", "m5", "m4", "m3", "m2", "m1"]);
      await writer.mutation(send, { channel: "pg", body: "m8" });
      await writer.mutation(send, { channel: "pg", body: "m9" });
      const more = await view.until((s) => s.results.includes("m9"));
      expect(more.results).toEqual(["m9", "m8", "m7", "m6", "m5", "m4", "m3", "m2", "m1"]);
    } finally {
      await view.close();
    }
  });

  it("pins a page's end in its journal, which the client sends back after a reconnect", async () => {
    const writer = httpClient(engine.url);
    for (let i = 1; i <= 4; i++) await writer.mutation(send, { channel: "jr", body: `j${i}` });
    const args = { channel: "jr", paginationOpts: { numItems: 2, cursor: null } };
    // A one-off run (no journal) keeps the page's size.
    expect((await writer.query(page, args)).page).toEqual(["j4", "j3"]);
    const client = wsClient(engine.url);
    // One subscription held throughout (the journal lives with it on the client).
    const hold = client.onUpdate(page, args, () => undefined);
    try {
      await waitFor<PaginationResult<string>>(
        (cb) => client.onUpdate(page, args, cb),
        (r) => r.page.join() === "j4,j3",
      );
      // The server forgets the session; the client resubscribes with the journal.
      engine.dropConnections();
      await writer.mutation(send, { channel: "jr", body: "j5" });
      const grown = await waitFor<PaginationResult<string>>(
        (cb) => client.onUpdate(page, args, cb),
        (r) => r.page.includes("j5"),
      );
      expect(grown.page).toEqual(["j5", "j4", "j3"]);
      expect(grown.isDone).toBe(false);
      expect((await writer.query(page, args)).page).toEqual(["j5", "j4"]);
    } finally {
      hold();
      await client.close();
    }
  });

  it("fails a cursor from another query with InvalidCursor", async () => {
    const client = httpClient(engine.url);
    await client.mutation(send, { channel: "ic-a", body: "a1" });
    await client.mutation(send, { channel: "ic-a", body: "a2" });
    const a = await client.query(page, {
      channel: "ic-a",
      paginationOpts: { numItems: 1, cursor: null },
    });
    await expect(
      client.query(page, {
        channel: "ic-b",
        paginationOpts: { numItems: 1, cursor: a.continueCursor },
      }),
    ).rejects.toThrow(/InvalidCursor: Tried to run a query starting from a cursor/);
    await expect(
      client.query(page, { channel: "ic-a", paginationOpts: { numItems: 1, cursor: "garbage" } }),
    ).rejects.toThrow(/InvalidCursor/);
  });

  it("usePaginatedQuery resets instead of throwing when a data-dependent query changes", async () => {
    const writer = httpClient(engine.url);
    for (let i = 1; i <= 4; i++) await writer.mutation(send, { channel: "c0", body: `old${i}` });
    for (let i = 1; i <= 2; i++) await writer.mutation(send, { channel: "c1", body: `new${i}` });
    const view = await renderPaginated(pageOfCurrent, {}, 2);
    try {
      await view.until((s) => s.results.length === 2);
      await view.loadMore(2);
      await view.until((s) => s.results.length === 4);
      // Page 2's cursor was made for channel c0; the query now reads c1.
      await writer.mutation(incr, { name: "current" });
      const reset = await view.until(
        (s) => s.results.length > 0 && s.results.every((r) => r.startsWith("new")),
      );
      expect(reset.results).toEqual(["new2", "new1"]);
    } finally {
      await view.close();
    }
  });
});
