"use client";

import { useParams } from "next/navigation";
import type { Id } from "../../../../convex/_generated/dataModel";
import { ErrorBoundary } from "../../../components/ErrorBoundary";
import { Conversation } from "../../../components/matching/Conversation";
import { Provisioned } from "../../../components/Provisioned";
import { RequireSignIn } from "../../../components/RequireSignIn";

/** A conversation with one connection. */
export default function ConversationPage() {
  const { userId } = useParams<{ userId: string }>();
  return (
    <div className="page">
      <RequireSignIn>
        <Provisioned>
          <ErrorBoundary>
            <Conversation userId={userId as Id<"users">} />
          </ErrorBoundary>
        </Provisioned>
      </RequireSignIn>
    </div>
  );
}
