/**
 * The shape of a meeting's notes document, one definition for every reader
 * and writer: the editor (`web/components/NotesEditor.tsx`), the server's
 * edits (`convex/notes.ts`), the view derivation (`notesView.ts`), the
 * timeline and the trace replayer.
 */

/**
 * The `Y.XmlFragment` TipTap's Collaboration extension binds to (TipTap's own
 * default field name), and the one the views derive text, ProseMirror JSON
 * and Markdown from.
 */
export const NOTES_FRAGMENT = "default";

/** Plain-text `Y.Text` the trace replayer (`scripts/trace.ts`) writes into, when present. */
export const TRACE_TEXT = "trace";
