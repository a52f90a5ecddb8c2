"use client";

import Link from "next/link";
import { MeetingList } from "../components/MeetingList";
import { RequireSignIn } from "../components/RequireSignIn";

/** Home: your meetings. */
export default function HomePage() {
  return (
    <div className="page">
      <RequireSignIn>
        <div className="pagehead">
          <h1>Your meetings</h1>
          <Link className="button" href="/meetings/new">
            Schedule a meeting
          </Link>
        </div>
        <MeetingList />
      </RequireSignIn>
    </div>
  );
}
