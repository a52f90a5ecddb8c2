"use client";

import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { api } from "../../../convex/_generated/api";
import { RequireSignIn } from "../../components/RequireSignIn";

type Hit = FunctionReturnType<typeof api.search.meetings>[number];
type Kind = Hit["kind"];

const KINDS: Array<{ value: Kind | ""; label: string }> = [
  { value: "", label: "Everything" },
  { value: "notes", label: "Notes" },
  { value: "transcript", label: "Transcript" },
  { value: "chat", label: "Chat" },
  { value: "title", label: "Titles" },
];

/** The snippet with the matched words in bold. */
function Snippet({ hit }: { hit: Hit }) {
  const parts: React.ReactNode[] = [];
  let from = 0;
  for (const [a = 0, b = 0] of hit.highlights) {
    parts.push(hit.snippet.slice(from, a));
    parts.push(<mark key={a}>{hit.snippet.slice(a, b)}</mark>);
    from = b;
  }
  parts.push(hit.snippet.slice(from));
  return <span style={{ whiteSpace: "pre-wrap" }}>{parts}</span>;
}

function Results({ query, kind }: { query: string; kind: Kind | "" }) {
  const hits = useQuery(
    api.search.meetings,
    query.trim() ? { query, ...(kind ? { kind } : {}), limit: 30 } : "skip",
  );
  if (!query.trim()) return null;
  if (hits === undefined) return <p className="muted">Searching…</p>;
  if (hits.length === 0) return <p className="muted">No results in your meetings.</p>;
  return (
    <ol className="search-results" data-testid="search-results">
      {hits.map((h) => (
        <li key={`${h.meetingId}:${h.key}`} className="card">
          <p className="muted">
            {h.meetingTitle} · {h.kind}
            {h.by ? ` · ${h.by}` : ""} · {new Date(h.at).toLocaleString()}
          </p>
          <p>
            <Snippet hit={h} />
          </p>
          <Link href={h.href} data-testid="search-hit-link">
            ▶ Open the replay at this moment
          </Link>
        </li>
      ))}
    </ol>
  );
}

/** `/search` — search the notes, transcripts, chat and titles of your meetings. */
export default function SearchPage() {
  const [query, setQuery] = useState("");
  const [kind, setKind] = useState<Kind | "">("");
  const deferred = useDeferredValue(query);
  return (
    <div className="page">
      <RequireSignIn>
        <section className="card">
          <h1>Search your meetings</h1>
          <form onSubmit={(e) => e.preventDefault()}>
            <input
              type="search"
              aria-label="Search"
              placeholder="Words from notes, transcripts, chat or titles"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              maxLength={200}
            />
            <select
              aria-label="Where"
              value={kind}
              onChange={(e) => setKind(e.target.value as Kind | "")}
            >
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </form>
          <p className="muted" role="note" data-testid="search-help">
            Only meetings you belong to are searched. Words match whole words; only the{" "}
            <strong>last word</strong> you type also matches as a prefix (<code>budg</code> finds
            “budget”, but <code>budg plan</code> does not). There is no fuzzy matching: a typo finds
            nothing. Best matches come first; new notes, transcript and chat become searchable a few
            seconds after they are written.
          </p>
        </section>
        <Results query={deferred} kind={kind} />
      </RequireSignIn>
    </div>
  );
}
