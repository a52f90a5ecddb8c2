import { describe, expect, test } from "vitest";
import { type PMNode, plainText, toMarkdown } from "./prosemirror";

const t = (text: string, marks?: PMNode["marks"]): PMNode => ({
  type: "text",
  text,
  ...(marks ? { marks } : {}),
});
const para = (...content: PMNode[]): PMNode => ({ type: "paragraph", content });

const doc: PMNode = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [t("Decisions")] },
    para(
      t("Ship "),
      t("on Friday", [{ type: "bold" }]),
      t(", see "),
      t("plan", [{ type: "link", attrs: { href: "https://x.io" } }]),
    ),
    {
      type: "bulletList",
      content: [
        { type: "listItem", content: [para(t("Ann: deck"))] },
        { type: "listItem", content: [para(t("Bob: venue"))] },
      ],
    },
    {
      type: "orderedList",
      attrs: { start: 3 },
      content: [{ type: "listItem", content: [para(t("third"))] }],
    },
    { type: "codeBlock", attrs: { language: "ts" }, content: [t("let a = 1;\nlet b = 2;")] },
    { type: "blockquote", content: [para(t("quoted"))] },
    { type: "paragraph" },
    para(t("line"), { type: "hardBreak" }, t("break")),
  ],
};

describe("ProseMirror JSON to text and Markdown", () => {
  test("plain text: one line per textblock, in document order", () => {
    expect(plainText(doc)).toBe(
      [
        "Decisions",
        "Ship on Friday, see plan",
        "Ann: deck",
        "Bob: venue",
        "third",
        "let a = 1;\nlet b = 2;",
        "quoted",
        "",
        "line\nbreak",
      ].join("\n"),
    );
  });

  test("markdown: headings, marks, links, lists, code, quotes", () => {
    expect(toMarkdown(doc)).toBe(
      [
        "## Decisions",
        "",
        "Ship **on Friday**, see [plan](https://x.io)",
        "",
        "- Ann: deck",
        "- Bob: venue",
        "",
        "3. third",
        "",
        "```ts",
        "let a = 1;",
        "let b = 2;",
        "```",
        "",
        "> quoted",
        "",
        "",
        "",
        "line  \nbreak",
      ].join("\n"),
    );
  });
});
