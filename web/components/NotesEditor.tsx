"use client";

import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";

/** The person typing, as their caret shows them to others. */
export type CaretUser = { name: string; color: string };

type Props = {
  doc: Y.Doc;
  awareness: Awareness;
  user: CaretUser;
  editable: boolean;
};

function Toolbar({ editor }: { editor: NonNullable<ReturnType<typeof useEditor>> }) {
  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      h2: e.isActive("heading", { level: 2 }),
      bullet: e.isActive("bulletList"),
      ordered: e.isActive("orderedList"),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const chain = () => editor.chain().focus();
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Formatting">
      <button type="button" aria-pressed={s.bold} onClick={() => chain().toggleBold().run()}>
        Bold
      </button>
      <button type="button" aria-pressed={s.italic} onClick={() => chain().toggleItalic().run()}>
        Italic
      </button>
      <button
        type="button"
        aria-pressed={s.h2}
        onClick={() => chain().toggleHeading({ level: 2 }).run()}
      >
        Heading
      </button>
      <button
        type="button"
        aria-pressed={s.bullet}
        onClick={() => chain().toggleBulletList().run()}
      >
        • List
      </button>
      <button
        type="button"
        aria-pressed={s.ordered}
        onClick={() => chain().toggleOrderedList().run()}
      >
        1. List
      </button>
      <button type="button" disabled={!s.canUndo} onClick={() => chain().undo().run()}>
        Undo
      </button>
      <button type="button" disabled={!s.canRedo} onClick={() => chain().redo().run()}>
        Redo
      </button>
    </div>
  );
}

/**
 * The meeting's shared notes: TipTap over the Yjs document of the notes
 * provider. StarterKit's own undo/redo is off; the Collaboration extension's
 * Yjs undo manager takes its place, so undo only undoes your own edits.
 * Carets of the other people in the room come from the provider's awareness.
 */
export function NotesEditor({ doc, awareness, user, editable }: Props) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: doc, field: NOTES_FRAGMENT }),
        CollaborationCaret.configure({ provider: { awareness }, user }),
      ],
      editorProps: {
        attributes: {
          "aria-label": "Meeting notes",
          "aria-multiline": "true",
          role: "textbox",
          "data-testid": "notes-editor",
        },
      },
    },
    [doc, awareness, user.name, user.color, editable],
  );
  if (!editor) return <p className="muted">Opening the notes…</p>;
  return (
    <div className="notes">
      {editable ? <Toolbar editor={editor} /> : null}
      <EditorContent editor={editor} />
    </div>
  );
}
