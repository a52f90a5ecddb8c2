/**
 * Apply a (validated) V1 update to the current notes document and tell
 * whether every reader can live with the result: it applies without a throw
 * (some bit-flipped updates pass a scratch doc and throw on the real state),
 * and what it changed inside the editor's fragment honours the editor's
 * schema (`schema.ts`), so the views derive and every editor loads it.
 * Also tells whether it changed anything at all (a re-sent update changes
 * nothing). Mutates `doc`: callers pass a throwaway copy of the state.
 */
import * as Y from "yjs";
import { NOTES_FRAGMENT } from "./document";
import { checkNotesSchema } from "./schema";

/** The outcome of {@link applyChecked}. */
export type CheckedApply = { ok: true; changed: boolean } | { ok: false; message: string };

function pendingOf(doc: Y.Doc): string {
  const s = doc.store;
  return `${s.pendingStructs ? s.pendingStructs.update.join(",") : "-"}|${s.pendingDs ? s.pendingDs.join(",") : "-"}`;
}

function sameClocks(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Apply `update` to `doc` (the current state) and check the result; see the module comment. */
export function applyChecked(doc: Y.Doc, update: Uint8Array): CheckedApply {
  // Type the editor's root before anything lands in it, as every editor does.
  doc.getXmlFragment(NOTES_FRAGMENT);
  const pendingBefore = pendingOf(doc);
  let tr: Y.Transaction | null = null;
  const capture = (t: Y.Transaction) => {
    tr = t;
  };
  doc.on("afterTransaction", capture);
  try {
    Y.applyUpdate(doc, update);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, message: `the update does not apply to the current notes (${why})` };
  } finally {
    doc.off("afterTransaction", capture);
  }
  const t = tr as Y.Transaction | null;
  const pendingChanged = pendingOf(doc) !== pendingBefore;
  if (!t) return { ok: true, changed: pendingChanged };
  const before = t.beforeState;
  const checked = checkNotesSchema(
    doc,
    t.changed.keys(),
    (type) => type._item !== null && type._item.id.clock >= (before.get(type._item.id.client) ?? 0),
  );
  if (!checked.ok) return checked;
  const changed =
    pendingChanged || t.deleteSet.clients.size > 0 || !sameClocks(before, t.afterState);
  return { ok: true, changed };
}
