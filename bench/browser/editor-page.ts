/**
 * The page of the browser keystroke benchmark (bundled by esbuild, run in
 * Chromium): the room's TipTap editor (StarterKit without its own undo,
 * Collaboration on the `default` fragment, CollaborationCaret) over either
 * our notes provider through the unmodified `ConvexClient`, or Hocuspocus's
 * provider. The page timestamps each printable keydown it types and each
 * character that appears in its editor, on the browser's shared clock
 * (`performance.timeOrigin + performance.now()`), so the bench process can
 * pair a keystroke in one page with its arrival in another.
 */
import { HocuspocusProvider } from "@hocuspocus/provider";
import { Editor } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import StarterKit from "@tiptap/starter-kit";
import { ConvexClient } from "convex/browser";
import type { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { Id } from "../../convex/_generated/dataModel";
import { AwarenessBridge } from "../../crdt/awareness";
import { NotesProvider } from "../../crdt/provider";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import { clientNotesTransport, clientPresenceTransport } from "../lib/client-transports";

/** What the bench process passes in (`window.BENCH_CONFIG`). */
export type PageConfig =
  | { kind: "ours"; url: string; token: string; meetingId: string; name: string }
  | { kind: "hocuspocus"; url: string; document: string; name: string };

/** What the page exposes to the bench process (`window.bench`). */
export type PageApi = {
  ready: Promise<void>;
  /** Shared-clock times of the printable keys typed here, in order. */
  typedAt: number[];
  /** Shared-clock time each character count of the editor's text was first reached. */
  arrivedAt: number[];
  /** Pushes our provider sent (null for Hocuspocus). */
  pushes: () => number | null;
  text: () => string;
};

const now = () => performance.timeOrigin + performance.now();

function start(config: PageConfig): PageApi {
  const doc = new Y.Doc();
  const typedAt: number[] = [];
  const arrivedAt: number[] = [];
  let pushes = 0;
  let awareness: Awareness;
  let connected: Promise<void>;
  if (config.kind === "ours") {
    const client = new ConvexClient(config.url, { unsavedChangesWarning: false });
    const authed = new Promise<void>((resolve, reject) =>
      client.setAuth(
        async () => config.token,
        (ok) => (ok ? resolve() : reject(new Error("the engine refused the token"))),
      ),
    );
    const transport = clientNotesTransport(client);
    const provider = new NotesProvider<Id<"meetings">>({
      meetingId: config.meetingId as Id<"meetings">,
      doc,
      transport: {
        ...transport,
        push: (args) => {
          pushes++;
          return transport.push(args);
        },
      },
    });
    awareness = provider.awareness;
    connected = authed.then(async () => {
      new AwarenessBridge({
        meetingId: config.meetingId as Id<"meetings">,
        awareness,
        transport: clientPresenceTransport(client),
      });
      await provider.connect();
      if (provider.status !== "live") throw new Error(`provider ${provider.status}`);
    });
  } else {
    let synced: () => void = () => {};
    connected = new Promise<void>((r) => {
      synced = r;
    });
    const provider = new HocuspocusProvider({
      url: config.url,
      name: config.document,
      document: doc,
      onSynced: () => synced(),
    });
    awareness = provider.awareness as Awareness;
  }
  const element = document.createElement("div");
  document.body.append(element);
  const editor = new Editor({
    element,
    extensions: [
      StarterKit.configure({ undoRedo: false }),
      Collaboration.configure({ document: doc, field: NOTES_FRAGMENT }),
      CollaborationCaret.configure({
        provider: { awareness },
        user: { name: config.name, color: "#36c" },
      }),
    ],
    editorProps: { attributes: { "data-testid": "editor" } },
  });
  // A transaction updates the DOM synchronously: the text is on screen when this runs.
  editor.on("transaction", () => {
    const n = editor.state.doc.textContent.length;
    const t = now();
    while (arrivedAt.length < n) arrivedAt.push(t);
  });
  document.addEventListener(
    "keydown",
    (e) => {
      if (e.key.length === 1) typedAt.push(now());
    },
    true,
  );
  return {
    ready: connected,
    typedAt,
    arrivedAt,
    pushes: () => (config.kind === "ours" ? pushes : null),
    text: () => editor.state.doc.textContent,
  };
}

const w = window as unknown as { BENCH_CONFIG: PageConfig; bench: PageApi };
w.bench = start(w.BENCH_CONFIG);
