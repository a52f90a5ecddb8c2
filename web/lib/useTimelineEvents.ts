"use client";

import { useConvex } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useCallback, useEffect, useState } from "react";
import { api } from "../../convex/_generated/api";
import type { LogEvent } from "../../projections/core/logEvent";
import { fromWire } from "../../projections/timeline/wire";
import type { MeetingId } from "./api";
import { plainError } from "./errors";

/** Why: a meeting of an hour at 10 chunks/s is ~36k events = ~72 pages; a bound stops runaways. */
const MAX_PAGES = 400;

type Cursors = FunctionReturnType<typeof api.timeline.events>["cursors"];

/** Loading state of a meeting's log. */
export type TimelineEvents =
  | { status: "loading"; loaded: number }
  | {
      status: "ready";
      events: LogEvent[];
      /** Where the read stopped: `timeline.events` after these has what happened since. */
      cursors: Cursors;
      reload: () => void;
    }
  | { status: "error"; message: string };

/**
 * Reads the whole log of a meeting through `timeline.events`, page by page,
 * into memory (one-shot queries, not a subscription: the replay is of what
 * has happened; `reload` fetches what happened since).
 */
export function useTimelineEvents(meetingId: MeetingId): TimelineEvents {
  const convex = useConvex();
  const [state, setState] = useState<TimelineEvents>({ status: "loading", loaded: 0 });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger.
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const events: LogEvent[] = [];
      let cursors: Cursors | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await convex.query(api.timeline.events, {
          meetingId,
          ...(cursors ? { cursors } : {}),
        });
        if (cancelled) return;
        for (const w of res.events) {
          try {
            events.push(fromWire(w));
          } catch {
            // A poison event (the projectors park it too): the replay goes on without it.
          }
        }
        cursors = res.cursors;
        if (res.done) break;
        setState({ status: "loading", loaded: events.length });
      }
      if (!cancelled) setState({ status: "ready", events, cursors: cursors ?? {}, reload });
    };
    load().catch((e: unknown) => {
      if (!cancelled) setState({ status: "error", message: plainError(e) });
    });
    return () => {
      cancelled = true;
    };
  }, [convex, meetingId, reload, generation]);

  return state;
}
