"use client";

import type { ReactNode } from "react";
import type { PMNode } from "../../projections/meetingNotes/prosemirror";

/** Only web links are followed; anything else (javascript:, data:) renders as text. */
function safeHref(href: unknown): string | null {
  if (typeof href !== "string") return null;
  try {
    const u = new URL(href);
    return u.protocol === "https:" || u.protocol === "http:" || u.protocol === "mailto:"
      ? u.href
      : null;
  } catch {
    return null;
  }
}

function text(n: PMNode, key: number): ReactNode {
  let out: ReactNode = n.text ?? "";
  for (const m of n.marks ?? []) {
    if (m.type === "bold") out = <strong>{out}</strong>;
    else if (m.type === "italic") out = <em>{out}</em>;
    else if (m.type === "strike") out = <s>{out}</s>;
    else if (m.type === "underline") out = <u>{out}</u>;
    else if (m.type === "code") out = <code>{out}</code>;
    else if (m.type === "link") {
      const href = safeHref((m.attrs as { href?: unknown } | undefined)?.href);
      if (href)
        out = (
          <a href={href} rel="noopener noreferrer nofollow" target="_blank">
            {out}
          </a>
        );
    }
  }
  return <span key={key}>{out}</span>;
}

function node(n: PMNode, key: number): ReactNode {
  const kids = (n.content ?? []).map((c, i) => (c.type === "text" ? text(c, i) : node(c, i)));
  switch (n.type) {
    case "doc":
      return <div key={key}>{kids}</div>;
    case "paragraph":
      return <p key={key}>{kids}</p>;
    case "heading": {
      const level = Number(n.attrs?.level);
      const H = level === 1 ? "h3" : level === 2 ? "h4" : "h5";
      return <H key={key}>{kids}</H>;
    }
    case "bulletList":
      return <ul key={key}>{kids}</ul>;
    case "orderedList":
      return <ol key={key}>{kids}</ol>;
    case "listItem":
      return <li key={key}>{kids}</li>;
    case "blockquote":
      return <blockquote key={key}>{kids}</blockquote>;
    case "codeBlock":
      return (
        <pre key={key}>
          <code>{kids}</code>
        </pre>
      );
    case "horizontalRule":
      return <hr key={key} />;
    case "hardBreak":
      return <br key={key} />;
    default:
      // Unknown nodes render their children (as the server's text and Markdown do).
      return <div key={key}>{kids}</div>;
  }
}

/**
 * The notes as rich text (headings, bold, lists, links…) from their
 * ProseMirror JSON, as React elements: no HTML string is ever injected, and
 * links other than http(s)/mailto are not followed.
 */
export function RichNotes({ doc }: { doc: PMNode }) {
  return <div className="rich-notes">{node(doc, 0)}</div>;
}
