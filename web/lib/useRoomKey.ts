"use client";

import { useMutation, useQuery } from "convex/react";
import { useEffect } from "react";
import { type MeetingId, roomsAccess, roomsIssue } from "./api";

/**
 * The meeting's room key for the room's live views (`useQuery(x, {meetingId,
 * roomKey})`): undefined while loading or refused (the room's authenticated
 * views show the refusal), issued once for a meeting made before room keys.
 * When the key rotates, the components' query arguments change in the same
 * render as the old subscriptions' FORBIDDEN, so they move to the new key
 * (loading) instead of showing an error.
 */
export function useRoomKey(meetingId: MeetingId): string | undefined {
  const answer = useQuery(roomsAccess, { meetingId });
  const issue = useMutation(roomsIssue);
  const missing = answer?.ok === true && answer.key === null;
  useEffect(() => {
    if (missing) void issue({ meetingId }).catch(() => undefined);
  }, [missing, issue, meetingId]);
  return answer?.ok ? (answer.key ?? undefined) : undefined;
}
