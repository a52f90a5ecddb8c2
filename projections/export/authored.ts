/**
 * The text a person wrote that is still in a notes document: characters whose
 * Yjs item was created by one of their client ids (the server registers each
 * client id to its author, `noteClients`) and is not deleted, gathered per
 * text block. Pure over a `Y.Doc`.
 */
import * as Y from "yjs";

function ownText(text: Y.XmlText | Y.Text, clientIds: ReadonlySet<number>): string {
  let out = "";
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !clientIds.has(item.id.client)) continue;
    if (item.content instanceof Y.ContentString) out += item.content.str;
  }
  return out;
}

function walk(
  node: Y.XmlFragment | Y.XmlElement | Y.XmlText,
  clientIds: ReadonlySet<number>,
  out: string[],
) {
  if (node instanceof Y.XmlText) {
    const s = ownText(node, clientIds);
    if (s.trim().length > 0) out.push(s);
    return;
  }
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlElement || child instanceof Y.XmlText) walk(child, clientIds, out);
  }
}

/** The blocks of `fragment` (and the `trace` text, if any) that hold text by `clientIds`. */
export function authoredBlocks(
  doc: Y.Doc,
  fragment: string,
  clientIds: ReadonlySet<number>,
): string[] {
  const out: string[] = [];
  if (clientIds.size === 0) return out;
  walk(doc.getXmlFragment(fragment), clientIds, out);
  return out;
}
