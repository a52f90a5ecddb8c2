/**
 * "A person who closes the tab and comes back": how long until the others see
 * them again. Person 1 opens the notes as the web app does (`web/lib/useNotes.ts`:
 * the awareness bridge starts, the caret's user is set, then the provider
 * connects and registers its fresh Yjs client), and an observer that stays in
 * the meeting times the moment their awareness holds the returning state. The
 * tab then closes (bridge destroyed → presence row left; provider and client
 * closed) and the observer waits to see it gone before the next return.
 */
import { performance } from "node:perf_hooks";
import type { Id } from "../../convex/_generated/dataModel";
import { AwarenessBridge } from "../../crdt/awareness";
import { NotesProvider } from "../../crdt/provider";
import { clientNotesTransport, clientPresenceTransport } from "./client-transports";
import { engineClient } from "./engine-clients";
import { sleep } from "./timing";

/** Longest wait for one return or one departure before counting it missing. */
const WAIT_MS = 15_000;

type Session = {
  provider: NotesProvider<Id<"meetings">>;
  bridge: AwarenessBridge<Id<"meetings">>;
  close: () => Promise<void>;
};

/** Open the meeting's notes as the web app does; the caret's user is `name`. */
async function open(
  url: string,
  token: string,
  meetingId: Id<"meetings">,
  name: string,
): Promise<Session> {
  const { client, authed } = engineClient(url, token);
  await authed;
  const provider = new NotesProvider<Id<"meetings">>({
    meetingId,
    transport: clientNotesTransport(client),
  });
  const bridge = new AwarenessBridge({
    meetingId,
    awareness: provider.awareness,
    transport: clientPresenceTransport(client),
  });
  provider.awareness.setLocalStateField("user", { name, color: "#36c" });
  void provider.connect();
  return {
    provider,
    bridge,
    close: async () => {
      await bridge.destroy();
      provider.destroy();
      await client.close();
    },
  };
}

/** Poll `cond` every few ms until it holds; the time it first held, or null after `WAIT_MS`. */
async function until(cond: () => boolean): Promise<number | null> {
  const end = performance.now() + WAIT_MS;
  while (performance.now() < end) {
    if (cond()) return performance.now();
    await sleep(2);
  }
  return null;
}

/** Time `tries` returns of person 1 as seen by person 0 (ms from the page opening). */
export async function measurePresenceReturn(opts: {
  url: string;
  meetingId: string;
  tokens: [string, string];
  tries: number;
}): Promise<{ samples: number[]; missing: number }> {
  const meetingId = opts.meetingId as Id<"meetings">;
  const observer = await open(opts.url, opts.tokens[0], meetingId, "observer");
  const samples: number[] = [];
  let missing = 0;
  const sees = (name: string) =>
    [...observer.provider.awareness.getStates().values()].some(
      (s) => (s as { user?: { name?: string } }).user?.name === name,
    );
  try {
    for (let i = 0; i < opts.tries; i++) {
      const name = `returning-${i}`;
      const t0 = performance.now();
      const page = await open(opts.url, opts.tokens[1], meetingId, name);
      const seen = await until(() => sees(name));
      if (seen === null) missing++;
      else samples.push(seen - t0);
      await page.close();
      await until(() => !sees(name));
    }
  } finally {
    await observer.close();
  }
  return { samples, missing };
}
