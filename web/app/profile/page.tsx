"use client";

import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { ProfileEditor } from "../../components/matching/ProfileEditor";
import { Provisioned } from "../../components/Provisioned";
import { RequireSignIn } from "../../components/RequireSignIn";

function Editor() {
  return <ProfileEditor onboardingRequested={useSearchParams().get("onboarding") === "1"} />;
}

/** Your profile, and onboarding after the first sign-in (`?onboarding=1`). */
export default function ProfilePage() {
  return (
    <div className="page">
      <RequireSignIn>
        <Provisioned>
          <Suspense>
            <Editor />
          </Suspense>
        </Provisioned>
      </RequireSignIn>
    </div>
  );
}
