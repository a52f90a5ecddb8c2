/**
 * The name of the `Y.XmlFragment` inside a meeting's notes document that the
 * editor binds to. It must match the fragment the server reads to derive
 * plain text, ProseMirror JSON and Markdown (`projections/`), and TipTap's
 * own default.
 */
export const NOTES_FIELD = "default";
