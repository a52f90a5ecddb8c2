"use client";

import { useMutation, useQuery } from "convex/react";
import { useEffect } from "react";
import { api } from "../../convex/_generated/api";
import type { MeetingId } from "../lib/api";
import { PromptFeedback, ProviderNote } from "./PromptFeedback";

/** Why: ideas help before the call and in its first minutes; after that the in-call prompts take over. */
const SHOW_AFTER_START_MS = 15 * 60 * 1000;

/**
 * Pre-call ideas: conversation starters and an agenda generated from the
 * participants' profiles, interests, goals and earlier meetings. Shown
 * before the meeting and at its start; opening the page refreshes stale ideas.
 */
export function PrecallIdeas({
  meetingId,
  status,
  startedAt,
}: {
  meetingId: MeetingId;
  status: string;
  startedAt: number | null;
}) {
  const ideas = useQuery(api.ai.prompts.list, { meetingId, kind: "precall" });
  const ensure = useMutation(api.ai.prompts.ensurePrecall);
  useEffect(() => {
    if (status === "scheduled" || status === "active")
      void ensure({ meetingId }).catch(() => undefined);
  }, [ensure, meetingId, status]);
  const early =
    status === "scheduled" ||
    (status === "active" && (startedAt === null || Date.now() - startedAt < SHOW_AFTER_START_MS));
  if (!early || !ideas?.enabled) return null;
  const starters = ideas.prompts.filter((p) => p.tags.includes("starter"));
  const agenda = ideas.prompts.filter((p) => p.tags.includes("agenda"));
  return (
    <section className="panel" aria-labelledby="precall-h" data-testid="precall-ideas">
      <h2 id="precall-h">Ideas for this call</h2>
      {ideas.prompts.length === 0 ? (
        <p className="muted" role="status">
          {ideas.generating ? "Preparing ideas from everyone's profiles…" : "No ideas yet."}
        </p>
      ) : null}
      {starters.length > 0 ? (
        <>
          <h3>Conversation starters</h3>
          <ul>
            {starters.map((p) => (
              <li key={p._id} data-testid="precall-starter">
                {p.content}
                <PromptFeedback meetingId={meetingId} promptId={p._id} mine={p.mine} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {agenda.length > 0 ? (
        <>
          <h3>Suggested agenda</h3>
          <ol>
            {agenda.map((p) => (
              <li key={p._id} data-testid="precall-agenda">
                {p.content}
                <PromptFeedback meetingId={meetingId} promptId={p._id} mine={p.mine} />
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {ideas.prompts[0] ? (
        <ProviderNote
          provider={ideas.prompts[0].provider}
          model={ideas.prompts[0].model}
          fallbackReason={ideas.prompts[0].fallbackReason}
        />
      ) : null}
    </section>
  );
}
