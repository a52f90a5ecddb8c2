/**
 * Plain text and Markdown from a TipTap/ProseMirror JSON document, on the
 * server (no DOM, no editor schema). Node and mark names are TipTap
 * StarterKit's; unknown nodes render their children.
 */

/** A ProseMirror node as JSON (`yXmlFragmentToProsemirrorJSON` output). */
export type PMNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PMNode[];
  text?: string;
  marks?: { type: string; attrs?: unknown }[];
};

const TEXTBLOCKS = new Set(["paragraph", "heading", "codeBlock"]);

function isTextblock(n: PMNode): boolean {
  if (TEXTBLOCKS.has(n.type)) return true;
  const kids = n.content ?? [];
  return kids.length > 0 && kids.every((c) => c.type === "text" || c.type === "hardBreak");
}

function inlineText(n: PMNode): string {
  return (n.content ?? []).map((c) => (c.type === "hardBreak" ? "\n" : (c.text ?? ""))).join("");
}

/**
 * Plain text: every textblock (paragraph, heading, code block, list item
 * paragraph…) on its own line, in document order, joined by "\n".
 */
export function plainText(doc: PMNode): string {
  const lines: string[] = [];
  const walk = (n: PMNode) => {
    if (n.type !== "doc" && isTextblock(n)) {
      lines.push(inlineText(n));
      return;
    }
    for (const c of n.content ?? []) walk(c);
  };
  walk(doc);
  return lines.join("\n");
}

function markAttr(m: { attrs?: unknown }, key: string): string | undefined {
  const a = m.attrs;
  if (typeof a === "object" && a !== null && key in a) {
    const v = (a as Record<string, unknown>)[key];
    return typeof v === "string" ? v : undefined;
  }
  return undefined;
}

function inlineMarkdown(n: PMNode): string {
  return (n.content ?? [])
    .map((c) => {
      if (c.type === "hardBreak") return "  \n";
      let t = c.text ?? "";
      if (t === "") return t;
      for (const m of c.marks ?? []) {
        if (m.type === "code") t = `\`${t}\``;
        else if (m.type === "bold") t = `**${t}**`;
        else if (m.type === "italic") t = `*${t}*`;
        else if (m.type === "strike") t = `~~${t}~~`;
        else if (m.type === "link") t = `[${t}](${markAttr(m, "href") ?? ""})`;
      }
      return t;
    })
    .join("");
}

function blockMarkdown(n: PMNode, indent: string): string[] {
  const kids = n.content ?? [];
  switch (n.type) {
    case "doc":
      return kids.flatMap((c, i) =>
        i === 0 ? blockMarkdown(c, indent) : ["", ...blockMarkdown(c, indent)],
      );
    case "heading": {
      const level = typeof n.attrs?.level === "number" ? n.attrs.level : 1;
      return [`${indent}${"#".repeat(Math.min(6, Math.max(1, level)))} ${inlineMarkdown(n)}`];
    }
    case "codeBlock": {
      const lang = typeof n.attrs?.language === "string" ? n.attrs.language : "";
      return [
        `${indent}\`\`\`${lang}`,
        ...inlineText(n)
          .split("\n")
          .map((l) => indent + l),
        `${indent}\`\`\``,
      ];
    }
    case "blockquote":
      return kids.flatMap((c) => blockMarkdown(c, indent)).map((l) => `> ${l}`);
    case "horizontalRule":
      return [`${indent}---`];
    case "bulletList":
    case "orderedList": {
      const start = typeof n.attrs?.start === "number" ? n.attrs.start : 1;
      return kids.flatMap((item, i) => {
        const bullet = n.type === "bulletList" ? "- " : `${start + i}. `;
        const lines = (item.content ?? []).flatMap((c) => blockMarkdown(c, ""));
        return lines.map((l, j) =>
          j === 0 ? indent + bullet + l : `${indent}${" ".repeat(bullet.length)}${l}`,
        );
      });
    }
    case "paragraph":
      return [indent + inlineMarkdown(n)];
    default:
      return isTextblock(n)
        ? [indent + inlineMarkdown(n)]
        : kids.flatMap((c) => blockMarkdown(c, indent));
  }
}

/** Markdown of the document (CommonMark + GFM strikethrough). */
export function toMarkdown(doc: PMNode): string {
  return blockMarkdown(doc, "").join("\n");
}
