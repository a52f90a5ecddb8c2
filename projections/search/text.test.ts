/** The pure text helpers of search: notes chunking and snippets. */
import { describe, expect, test } from "vitest";
import { escapeInline } from "../export/markdown";
import { chunkNotes, MAX_NOTE_CHUNKS, NOTE_CHUNK_CHARS, snippet } from "./text";

describe("chunkNotes", () => {
  test("keeps whole paragraphs together up to the chunk size, drops empty text", () => {
    const para = "x".repeat(400);
    const chunks = chunkNotes([para, para, para, "", "   "].join("\n"));
    expect(chunks).toEqual([`${para}\n${para}`, `${para}\n\n   `]);
    expect(chunkNotes("\n\n")).toEqual([]);
  });

  test("cuts a paragraph longer than a chunk, and keeps at most MAX_NOTE_CHUNKS", () => {
    const long = "y".repeat(NOTE_CHUNK_CHARS * 2 + 10);
    expect(chunkNotes(long).map((c) => c.length)).toEqual([NOTE_CHUNK_CHARS, NOTE_CHUNK_CHARS, 10]);
    const many = Array.from({ length: MAX_NOTE_CHUNKS * 2 }, () => "z".repeat(900)).join("\n");
    expect(chunkNotes(many)).toHaveLength(MAX_NOTE_CHUNKS);
  });
});

describe("snippet", () => {
  test("centres on the first match and highlights every matched token in the window", () => {
    const text = `${"filler ".repeat(40)}the Budget plan and budgeting ${"tail ".repeat(40)}`;
    const s = snippet(text, "plan budg", 80);
    expect(s.text.startsWith("…")).toBe(true);
    expect(s.text.endsWith("…")).toBe(true);
    const marked = s.highlights.map(([a, b]) => s.text.slice(a, b));
    expect(marked).toEqual(["Budget", "plan", "budgeting"]);
  });

  test("a text without a match starts at the beginning", () => {
    expect(snippet("short text", "zzz")).toEqual({ text: "short text", highlights: [] });
  });
});

describe("escapeInline", () => {
  test("user text cannot become Markdown markup or break the line", () => {
    expect(escapeInline("# *bold* [x](y)\nnext")).toBe("\\# \\*bold\\* \\[x\\](y) next");
  });
});
