/**
 * `meetingNotes` read model: the meeting's TipTap document, compacted. The
 * fold state is a `Y.Doc` (Yjs updates are idempotent and commutative, so
 * re-applying an update changes nothing); the derived fields are computed
 * from it. Events: `notes` updates (V1, validated by the server on append).
 */
import { yXmlFragmentToProsemirrorJSON } from "y-prosemirror";
import * as Y from "yjs";
import type { Fold } from "../core/fold";
import { wordCount } from "../core/keywords";
import type { LogEvent } from "../core/logEvent";
import { NOTES_FRAGMENT, TRACE_TEXT } from "./document";
import { type PMNode, plainText, toMarkdown } from "./prosemirror";

/** Everything a reader wants from the notes document besides the Yjs state. */
export type NotesDerived = {
  /** Textblocks of the `default` fragment joined by "\n". */
  text: string;
  /** Content of the `trace` Y.Text, or null when the document has none. */
  traceText: string | null;
  prosemirror: PMNode;
  markdown: string;
  /** Words of `text` plus `traceText`. */
  wordCount: number;
};

/** {@link NotesDerived} as stored and served: ProseMirror JSON as a string. */
export type StoredNotesDerived = Omit<NotesDerived, "prosemirror"> & { prosemirror: string };

/** The stored form of derived fields. */
export function storedNotesDerived(d: NotesDerived): StoredNotesDerived {
  return { ...d, prosemirror: JSON.stringify(d.prosemirror) };
}

/** Read the derived fields of a notes document (does not modify it). */
export function deriveNotes(doc: Y.Doc): NotesDerived {
  const prosemirror = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(NOTES_FRAGMENT)) as PMNode;
  const text = plainText(prosemirror);
  const traceText = doc.share.has(TRACE_TEXT) ? doc.getText(TRACE_TEXT).toString() : null;
  return {
    text,
    traceText,
    prosemirror,
    markdown: toMarkdown(prosemirror),
    wordCount: wordCount(text) + (traceText === null ? 0 : wordCount(traceText)),
  };
}

/** Apply one note update to `doc` (mutates and returns it). Throws on a malformed update. */
export function evolveNotes(doc: Y.Doc, e: LogEvent): Y.Doc {
  if (e.stream === "notes") Y.applyUpdate(doc, e.update);
  return doc;
}

/** The `meetingNotes` fold (state = a `Y.Doc`, mutated in place). */
export const notesFold: Fold<Y.Doc> = {
  streams: ["notes"],
  init: () => new Y.Doc({ gc: true }),
  evolve: evolveNotes,
};
