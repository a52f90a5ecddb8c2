"use client";

import { useMutation, useQuery } from "convex/react";
import Link from "next/link";
import { useState } from "react";
import type { Id } from "../../../convex/_generated/dataModel";
import { connectionsRequest, directMessagesWithPerson, matchingBlock } from "../../lib/api";
import { failureOf, plainError } from "../../lib/errors";

/** Connect, message, block or keep out of matching, for one person. */
export function PersonActions({ userId }: { userId: Id<"users"> }) {
  const conversation = useQuery(directMessagesWithPerson, { userId });
  const request = useMutation(connectionsRequest);
  const block = useMutation(matchingBlock);
  const [note, setNote] = useState<string | null>(null);
  const run = async (fn: () => Promise<{ ok: boolean }>, done: string) => {
    try {
      const r = await fn();
      setNote(failureOf(r as never) ?? done);
    } catch (e) {
      setNote(plainError(e));
    }
  };
  return (
    <div className="actions">
      {conversation?.canSend ? (
        <Link className="button" href={`/messages/${userId}`}>
          Message
        </Link>
      ) : (
        <button
          type="button"
          className="button"
          onClick={() => void run(() => request({ userId }), "Request sent.")}
        >
          Connect
        </button>
      )}
      <button
        type="button"
        className="button secondary"
        onClick={() =>
          void run(
            () => block({ userId, kind: "doNotMatch" }),
            "You will not be matched with them.",
          )
        }
      >
        Do not match
      </button>
      <button
        type="button"
        className="button danger"
        onClick={() => void run(() => block({ userId, kind: "block" }), "Blocked.")}
      >
        Block
      </button>
      {note ? <span role="status">{note}</span> : null}
    </div>
  );
}
