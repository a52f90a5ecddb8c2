/**
 * The notes edits not yet on the server, in words a person understands: the
 * provider counts Yjs updates (one per keystroke, so a sentence was "52
 * unsynced changes"); this reads what those updates hold instead: words
 * written, characters removed, formatting changed.
 */
import * as Y from "yjs";
import type { OutboxEntry } from "../../crdt/outbox";
import { ownEditsSince } from "../../crdt/updates";

/** What the pending updates change in the notes. */
export type PendingSummary = {
  /** Words in the text written (runs typed in one place count as one text). */
  words: number;
  /** Characters written, for a change too short to hold a word. */
  characters: number;
  /** Characters (and other content) removed that the server had. */
  removed: number;
  /** Bold, italic, heading and other formatting marks set or cleared. */
  formatting: number;
};

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** What the outbox store holds when the notes open (`OutboxStore.load`). */
export type LoadedOutbox = {
  entries: readonly OutboxEntry[];
  lastSeqs: ReadonlyMap<number, number>;
  settled: ReadonlyMap<number, number>;
};

/**
 * The edits earlier visits on this device made that the server may not have, as updates, when
 * the notes open (before the server answers, so offline too): the outbox's entries, and what the
 * document restored from IndexedDB holds of this device's earlier client ids past the clock the
 * server was last known to hold (an edit whose outbox write was lost when the page went away is
 * still in the document). `current` (the open doc's own id) is left out: its edits are counted
 * as they are made.
 */
export function pendingAtStart(doc: Y.Doc, loaded: LoadedOutbox, current: number): Uint8Array[] {
  const since = new Map<number, number>();
  for (const id of loaded.lastSeqs.keys()) {
    if (id !== current) since.set(id, loaded.settled.get(id) ?? 0);
  }
  const tail = ownEditsSince(doc, since);
  const entries = loaded.entries.filter((e) => e.clientId !== current).map((e) => e.update);
  return tail ? [...entries, tail] : entries;
}

/** Summarises `updates` (Yjs v1 updates of one document, in any order). */
export function summarisePending(updates: readonly Uint8Array[]): PendingSummary {
  const summary: PendingSummary = { words: 0, characters: 0, removed: 0, formatting: 0 };
  if (updates.length === 0) return summary;
  const { structs, ds } = Y.decodeUpdate(Y.mergeUpdates(updates as Uint8Array[]));
  // Text typed in one place is a chain of items each after the previous one; join those,
  // keep texts written in different places apart so their words are not run together.
  const texts: string[] = [];
  let prevEnd: { client: number; clock: number } | null = null;
  const own = new Map<number, [number, number][]>();
  for (const s of structs) {
    const { client, clock } = s.id;
    const ranges = own.get(client) ?? [];
    ranges.push([clock, clock + s.length]);
    own.set(client, ranges);
    if (!(s instanceof Y.Item)) continue;
    const content = s.content;
    if (content instanceof Y.ContentString) {
      // Text written and erased again within the pending updates never reaches anyone.
      const str = surviving(content.str, clock, ds.clients.get(client) ?? []);
      if (str.length === 0) continue;
      const follows =
        prevEnd !== null &&
        s.origin !== null &&
        s.origin.client === prevEnd.client &&
        s.origin.clock === prevEnd.clock;
      if (follows && texts.length > 0) texts[texts.length - 1] += str;
      else texts.push(str);
      summary.characters += str.length;
      prevEnd = { client, clock: clock + s.length - 1 };
    } else if (content instanceof Y.ContentFormat) {
      summary.formatting++;
    }
  }
  for (const text of texts) summary.words += text.match(WORD)?.length ?? 0;
  // Removals of content the pending updates wrote themselves (typed, then erased) cancel out.
  for (const [client, deletes] of ds.clients) {
    for (const d of deletes) {
      let len = d.len;
      for (const [from, to] of own.get(client) ?? []) {
        len -= Math.max(0, Math.min(to, d.clock + d.len) - Math.max(from, d.clock));
      }
      summary.removed += Math.max(0, len);
    }
  }
  return summary;
}

/** The characters of `str` (written at `clock`) that `deletes` leave. */
function surviving(str: string, clock: number, deletes: readonly { clock: number; len: number }[]) {
  let out = "";
  for (let i = 0; i < str.length; i++) {
    const at = clock + i;
    if (!deletes.some((d) => at >= d.clock && at < d.clock + d.len)) out += str[i];
  }
  return out;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * "5 new words", "5 new words and 3 deleted characters", "formatting",
 * "2 new characters"…; null when nothing countable is pending.
 */
export function describePending(s: PendingSummary): string | null {
  const parts: string[] = [];
  if (s.words > 0) parts.push(plural(s.words, "new word", "new words"));
  else if (s.characters > 0) parts.push(plural(s.characters, "new character", "new characters"));
  if (s.removed > 0) parts.push(plural(s.removed, "deleted character", "deleted characters"));
  if (s.formatting > 0 && parts.length === 0) parts.push("formatting changes");
  else if (s.formatting > 0) parts.push("formatting");
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
