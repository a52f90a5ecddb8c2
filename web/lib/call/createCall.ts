/**
 * Picks the `CallClient` implementation for the provider the server decided
 * (`rtcSessions.callInfo`). One case per provider of `convex/lib/callProvider.ts`.
 */
import type { CallClient } from "./callClient";
import { MeshCall, type MeshDeps } from "./meshCall";

/** Build the call client for `provider`. */
export function createCallClient(provider: "mesh", deps: MeshDeps): CallClient {
  switch (provider) {
    case "mesh":
      return new MeshCall(deps);
  }
}
