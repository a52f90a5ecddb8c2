/**
 * The editor's schema as the notes document must honour it: what TipTap's
 * StarterKit (the web editor's extensions, `web/components/NotesEditor.tsx`)
 * can load through y-prosemirror, and what the views (`notesView.ts`) can
 * derive. `schema.test.ts` checks this table against TipTap's own schema.
 *
 * In Yjs the fragment `NOTES_FRAGMENT` holds block nodes as `Y.XmlElement`s
 * (node name = ProseMirror node type, attributes = node attrs); a textblock
 * holds `Y.XmlText` runs (formats = marks) and inline nodes as elements.
 * Anything else — a number or a string straight in the fragment, an unknown
 * node or mark, a Yjs type as an attribute value, a tree deeper than
 * {@link MAX_NOTES_DEPTH} — breaks the view derivation or every editor.
 */
import * as Y from "yjs";
import { NOTES_FRAGMENT } from "./document";

/** What a node may contain. */
type Children = "block" | "listItem" | "inline" | "text" | "none";

/** Block nodes by name, and what each contains (StarterKit). */
export const BLOCK_NODES: Readonly<Record<string, Children>> = {
  paragraph: "inline",
  heading: "inline",
  codeBlock: "text",
  blockquote: "block",
  bulletList: "listItem",
  orderedList: "listItem",
  listItem: "block",
  horizontalRule: "none",
};
/** Inline nodes other than text (elements inside a textblock). */
export const INLINE_NODES: Readonly<Record<string, Children>> = { hardBreak: "none" };
/** Mark names (formats of `Y.XmlText`; y-prosemirror may suffix `--<hash>`). */
export const MARKS: readonly string[] = ["bold", "italic", "strike", "code", "underline", "link"];

/**
 * Why: nested lists add two levels each (list, item); 64 levels is far beyond
 * any real document, while the views and editors recurse once per level.
 */
export const MAX_NOTES_DEPTH = 64;

/** Why the document would break. */
export type SchemaViolation = { ok: false; message: string };

// biome-ignore lint/suspicious/noExplicitAny: Yjs types its event parameter per type; any type will do here.
type Node = Y.AbstractType<any>;

/** The root of `t` and how deep `t` sits under it. */
function rootOf(t: Node): { root: Node; depth: number } {
  let depth = 0;
  let cur = t;
  while (cur._item !== null) {
    cur = cur._item.parent as Node;
    depth++;
  }
  return { root: cur, depth };
}

/** What `t` (inside the notes fragment) may contain. */
function childrenOf(t: Node, isRoot: boolean): Children | "marks" | null {
  if (isRoot) return "block";
  if (t instanceof Y.XmlText) return "marks";
  if (t instanceof Y.XmlElement) return BLOCK_NODES[t.nodeName] ?? INLINE_NODES[t.nodeName] ?? null;
  return null;
}

function allowsElement(kind: Children, name: string): boolean {
  if (kind === "block") return name in BLOCK_NODES && name !== "listItem";
  if (kind === "listItem") return name === "listItem";
  if (kind === "inline") return name in INLINE_NODES;
  return false;
}

function markName(key: string): string {
  const i = key.indexOf("--");
  return i < 0 ? key : key.slice(0, i);
}

/**
 * Check the types a transaction changed inside the notes fragment (and every
 * type it created under them) against the editor's schema. Types outside the
 * fragment are not the editor's and are left alone.
 */
export function checkNotesSchema(
  doc: Y.Doc,
  changed: Iterable<Node>,
  isNew: (t: Node) => boolean,
): { ok: true } | SchemaViolation {
  const fragment = doc.share.get(NOTES_FRAGMENT);
  const stack: Array<{ t: Node; depth: number }> = [];
  for (const t of changed) {
    const { root, depth } = rootOf(t);
    if (root !== fragment) continue;
    stack.push({ t, depth });
  }
  while (stack.length > 0) {
    const { t, depth } = stack.pop()!;
    if (depth > MAX_NOTES_DEPTH) return bad(`the notes nest deeper than ${MAX_NOTES_DEPTH} levels`);
    const kind = childrenOf(t, t === fragment);
    if (kind === null) return bad("the notes hold a node the editor does not know");
    for (const [key, item] of t._map) {
      if (item.deleted) continue;
      if (t === fragment || t instanceof Y.XmlText)
        return bad(`the notes hold an attribute "${key}" where none may be`);
      if (!(item.content instanceof Y.ContentAny))
        return bad(`the attribute "${key}" of a notes node is not a plain value`);
    }
    for (let item = t._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      const c = item.content;
      if (kind === "marks") {
        if (c instanceof Y.ContentString) continue;
        if (c instanceof Y.ContentFormat && MARKS.includes(markName(c.key))) continue;
        return bad("the notes hold text content the editor cannot load (an unknown mark or embed)");
      }
      if (!(c instanceof Y.ContentType)) {
        return bad("the notes hold a value where only editor nodes may be");
      }
      const child = c.type as Node;
      if (child instanceof Y.XmlText) {
        if (kind !== "inline" && kind !== "text")
          return bad("the notes hold text outside a textblock");
      } else if (child instanceof Y.XmlElement) {
        if (!allowsElement(kind as Children, child.nodeName))
          return bad(`the notes hold a "${child.nodeName}" node where the editor allows none`);
      } else {
        return bad("the notes hold a Yjs type the editor does not use");
      }
      if (isNew(child)) stack.push({ t: child, depth: depth + 1 });
    }
  }
  return { ok: true };
}

function bad(message: string): SchemaViolation {
  return { ok: false, message };
}
