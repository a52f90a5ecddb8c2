"use client";

import { useMutation, useQuery } from "convex/react";
import Link from "next/link";
import { useState } from "react";
import {
  connectionsList,
  connectionsPending,
  connectionsRemove,
  connectionsRequest,
  connectionsRespond,
  connectionsSuggestions,
  matchingBlocks,
  matchingUnblock,
} from "../../lib/api";
import { failureOf, plainError } from "../../lib/errors";
import { PersonChip } from "../PersonChip";

function useAction() {
  const [note, setNote] = useState<string | null>(null);
  const run = async (fn: () => Promise<{ ok: boolean }>) => {
    try {
      setNote(failureOf((await fn()) as never));
    } catch (e) {
      setNote(plainError(e));
    }
  };
  return { note, run };
}

/** Requests, connections, suggestions and the block lists. All reactive. */
export function Connections() {
  const list = useQuery(connectionsList, {});
  const pending = useQuery(connectionsPending, {});
  const suggestions = useQuery(connectionsSuggestions, {});
  const blocks = useQuery(matchingBlocks, {});
  const respond = useMutation(connectionsRespond);
  const request = useMutation(connectionsRequest);
  const remove = useMutation(connectionsRemove);
  const unblock = useMutation(matchingUnblock);
  const { note, run } = useAction();
  if (!list || !pending || !suggestions || !blocks) return <p className="muted">Loading…</p>;
  return (
    <>
      <div className="pagehead">
        <h1>Connections</h1>
        <Link href="/messages">Messages</Link>
      </div>
      {note ? (
        <p role="alert" className="error">
          {note}
        </p>
      ) : null}
      {pending.incoming.length > 0 ? (
        <section aria-labelledby="h-incoming">
          <h2 id="h-incoming">Requests to you</h2>
          <ul className="list">
            {pending.incoming.map((c) => (
              <li key={c.connectionId}>
                <span>
                  <PersonChip person={c.person} />
                  {c.note ? <span className="muted"> “{c.note}”</span> : null}
                </span>
                <span className="actions">
                  <button
                    type="button"
                    className="button"
                    onClick={() =>
                      void run(() => respond({ connectionId: c.connectionId, accept: true }))
                    }
                  >
                    Accept
                  </button>
                  <button
                    type="button"
                    className="button secondary"
                    onClick={() =>
                      void run(() => respond({ connectionId: c.connectionId, accept: false }))
                    }
                  >
                    Decline
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="h-connections">
        <h2 id="h-connections">Your connections</h2>
        {list.length === 0 ? <p className="muted">No connections yet.</p> : null}
        <ul className="list">
          {list.map((c) => (
            <li key={c.connectionId}>
              <PersonChip person={c.person} />
              <span className="actions">
                <Link className="button" href={`/messages/${c.person.userId}`}>
                  Message
                </Link>
                <button
                  type="button"
                  className="link"
                  onClick={() => void run(() => remove({ userId: c.person.userId }))}
                >
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ul>
      </section>
      {pending.outgoing.length > 0 ? (
        <section aria-labelledby="h-outgoing">
          <h2 id="h-outgoing">Waiting for an answer</h2>
          <ul className="list">
            {pending.outgoing.map((c) => (
              <li key={c.connectionId}>
                <PersonChip person={c.person} />
                <button
                  type="button"
                  className="link"
                  onClick={() => void run(() => remove({ userId: c.person.userId }))}
                >
                  Withdraw
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="h-suggestions">
        <h2 id="h-suggestions">People you may know</h2>
        {suggestions.length === 0 ? (
          <p className="muted">Suggestions come from your matches and meetings.</p>
        ) : null}
        <ul className="list">
          {suggestions.map((s) => (
            <li key={s.person.userId}>
              <span>
                <PersonChip person={s.person} /> <span className="muted">{s.reason}</span>
              </span>
              <button
                type="button"
                className="button"
                onClick={() => void run(() => request({ userId: s.person.userId }))}
              >
                Connect
              </button>
            </li>
          ))}
        </ul>
      </section>
      {blocks.length > 0 ? (
        <section aria-labelledby="h-blocks">
          <h2 id="h-blocks">Blocked and not matched</h2>
          <ul className="list">
            {blocks.map((b) => (
              <li key={`${b.person.userId}-${b.kind}`}>
                <span>
                  <PersonChip person={b.person} link={false} />{" "}
                  <span className="muted">{b.kind === "block" ? "blocked" : "not matched"}</span>
                </span>
                <button
                  type="button"
                  className="link"
                  onClick={() => void run(() => unblock({ userId: b.person.userId, kind: b.kind }))}
                >
                  Undo
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
