"use client";

import { useMutation } from "convex/react";
import { useState } from "react";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { MeetingId } from "../lib/api";

type Kind = "used" | "dismissed" | "upvoted";

/** Use / upvote / dismiss buttons of one prompt (feedback later rankings use). */
export function PromptFeedback({
  meetingId,
  promptId,
  mine,
}: {
  meetingId: MeetingId;
  promptId: Id<"prompts">;
  mine: readonly Kind[];
}) {
  const send = useMutation(api.ai.prompts.feedback);
  const [error, setError] = useState<string | null>(null);
  const give = (kind: Kind) => {
    setError(null);
    send({ meetingId, promptId, kind }).then(
      (r) => {
        if (!r.ok) setError(r.message);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <span
      className="prompt-actions"
      style={{ display: "inline-flex", gap: "0.3rem", marginLeft: "0.4rem" }}
    >
      <button
        type="button"
        className="link"
        onClick={() => give("used")}
        disabled={mine.includes("used")}
        aria-label="I used this"
      >
        {mine.includes("used") ? "used" : "use"}
      </button>
      <button
        type="button"
        className="link"
        onClick={() => give("upvoted")}
        disabled={mine.includes("upvoted")}
        aria-label="Upvote"
      >
        {mine.includes("upvoted") ? "▲ upvoted" : "▲"}
      </button>
      <button type="button" className="link" onClick={() => give("dismissed")} aria-label="Dismiss">
        ✕
      </button>
      {error ? (
        <span role="alert" className="error">
          {error}
        </span>
      ) : null}
    </span>
  );
}

/** Which provider wrote something, and whether the local one stood in for an LLM. */
export function ProviderNote({
  provider,
  model,
  fallbackReason,
}: {
  provider: string;
  model: string | null;
  fallbackReason: string | null;
}) {
  const label =
    provider === "llm"
      ? `AI model ${model ?? ""}`.trim()
      : `local ${provider.replace(/^local-/, "")} provider`;
  return (
    <p
      className="muted"
      style={{ fontSize: "0.8rem", margin: "0.3rem 0 0" }}
      data-testid="provider-note"
    >
      By the {label}.
      {fallbackReason ? (
        <span data-testid="fallback-note">
          {" "}
          The AI service could not answer ({fallbackReason}), so the local provider did.
        </span>
      ) : null}
    </p>
  );
}
