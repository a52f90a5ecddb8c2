/**
 * Stored documents as the syscall layer hands them to functions: the JSON
 * text of `convexToJson(doc)` and Convex's size of the document, computed
 * once per stored document object and shared by every read of it.
 *
 * Why: convex-test converts and measures a document on every read
 * (`1.0/queryStreamNext`), so fifty subscribers re-running their queries after
 * each commit converted the same rows fifty times (issue 20: about a third of
 * the engine's CPU under a live meeting). Sound because the store never
 * mutates a document object in place: every insert, patch, replace and commit
 * stores a new object (convex-test 0.0.60's `DatabaseFake`), so an object's
 * JSON and size never change; entries go with their objects (WeakMap).
 */
import { convexToJson, getDocumentSize, type Value } from "convex/values";

type Entry = { json: string; size: number };
const entries = new WeakMap<object, Entry>();

function entryOf(doc: Record<string, unknown>): Entry {
  let e = entries.get(doc);
  if (!e) {
    e = {
      json: JSON.stringify(convexToJson(doc as Value)),
      size: getDocumentSize(doc as Record<string, Value>),
    };
    entries.set(doc, e);
  }
  return e;
}

/** `JSON.stringify(convexToJson(doc))`, once per document object. */
export function docJson(doc: Record<string, unknown>): string {
  return entryOf(doc).json;
}

/** `getDocumentSize(doc)` (what a read charges against the read limit), once per document object. */
export function docSize(doc: Record<string, unknown>): number {
  return entryOf(doc).size;
}
