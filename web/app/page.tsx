"use client";

import { useQuery } from "convex/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { MeetingList } from "../components/MeetingList";
import { OfflineMeetings } from "../components/OfflineMeetings";
import { Provisioned } from "../components/Provisioned";
import { RequireSignIn } from "../components/RequireSignIn";
import { profilesMine } from "../lib/api";

/** After the first sign-in, onboarding comes first: an unfinished profile goes to /profile. */
function OnboardingRedirect() {
  const profile = useQuery(profilesMine, {});
  const router = useRouter();
  useEffect(() => {
    if (profile && !profile.onboarded) router.replace("/profile?onboarding=1");
  }, [profile, router]);
  return null;
}

/** Home: your meetings. */
export default function HomePage() {
  return (
    <div className="page">
      <RequireSignIn>
        <Provisioned quietOffline>
          <OnboardingRedirect />
        </Provisioned>
        <div className="pagehead">
          <h1>Your meetings</h1>
          <Link className="button" href="/meetings/new">
            Schedule a meeting
          </Link>
        </div>
        <OfflineMeetings />
        <MeetingList />
      </RequireSignIn>
    </div>
  );
}
