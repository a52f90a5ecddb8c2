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

/** Delete the live characters of `text` created by `clientIds`; returns how many went. */
function deleteOwn(text: Y.XmlText | Y.Text, clientIds: ReadonlySet<number>): number {
  const ranges: Array<[number, number]> = [];
  let index = 0;
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (clientIds.has(item.id.client)) ranges.push([index, item.length]);
    index += item.length;
  }
  // From the end, so earlier indexes stay valid.
  for (const [at, length] of ranges.reverse()) text.delete(at, length);
  return ranges.reduce((n, [, length]) => n + length, 0);
}

function deleteWalk(node: Y.XmlFragment | Y.XmlElement | Y.XmlText, ids: ReadonlySet<number>) {
  if (node instanceof Y.XmlText) return deleteOwn(node, ids);
  let n = 0;
  for (const child of node.toArray())
    if (child instanceof Y.XmlElement || child instanceof Y.XmlText) n += deleteWalk(child, ids);
  return n;
}

/**
 * Erasure (issue 18): delete every live character of `fragment` (and of the
 * `trace` text, when the document has one) whose Yjs item was created by
 * `clientIds` — the same walk as {@link authoredBlocks}. Call inside a
 * transaction on a doc holding the server's state; the caller stores the
 * resulting update. Other people's characters and the block structure stay.
 * Returns the number of characters deleted.
 */
export function deleteAuthored(
  doc: Y.Doc,
  fragment: string,
  clientIds: ReadonlySet<number>,
  traceText?: string,
): number {
  if (clientIds.size === 0) return 0;
  let n = deleteWalk(doc.getXmlFragment(fragment), clientIds);
  if (traceText !== undefined && doc.share.has(traceText))
    n += deleteOwn(doc.getText(traceText), clientIds);
  return n;
}
