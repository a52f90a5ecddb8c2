/**
 * A circuit breaker in front of an outside provider (pure; the state lives in
 * the `providerCircuits` table and time arrives as data).
 *
 * States: `closed` (requests go through; consecutive failures counted) →
 * `open` after {@link CircuitPolicy.failureThreshold} consecutive failures
 * (no request goes out until `openUntil`; callers take their fallback at once)
 * → `half_open` once the cool-down passed (one trial request at a time; its success
 * closes the circuit, its failure opens it again for another cool-down).
 */

/** A circuit's state. */
export type CircuitState = {
  status: "closed" | "open" | "half_open";
  failures: number;
  openUntil?: number;
};

/** Thresholds. */
export type CircuitPolicy = {
  failureThreshold: number;
  coolDownMs: number;
};

/**
 * Why 3 and 60 s: a provisioning tries up to 4 times, so one meeting meeting a
 * dead provider opens the circuit within its own retries, and the meetings
 * starting in the next minute go straight to the free call instead of each
 * waiting through its retries; a minute later one trial shows whether it is back.
 */
export const DEFAULT_CIRCUIT_POLICY: CircuitPolicy = { failureThreshold: 3, coolDownMs: 60_000 };

/** A circuit never used. */
export const CLOSED: CircuitState = { status: "closed", failures: 0 };

/**
 * Whether a request may go out at `now`, and the state to store when it does.
 * Open past its cool-down → half-open with one trial in flight: the trial
 * holds the circuit for another cool-down (`openUntil`), so concurrent callers
 * keep falling back until it reports (or, if it never does, until then).
 */
export function admit(
  state: CircuitState,
  now: number,
  policy: CircuitPolicy = DEFAULT_CIRCUIT_POLICY,
): { allowed: true; next: CircuitState } | { allowed: false; retryAt: number } {
  if (state.status === "closed") return { allowed: true, next: state };
  const until = state.openUntil ?? 0;
  if (now < until) return { allowed: false, retryAt: until };
  return {
    allowed: true,
    next: { status: "half_open", failures: state.failures, openUntil: now + policy.coolDownMs },
  };
}

/** The state after a request succeeded. */
export function afterSuccess(): CircuitState {
  return CLOSED;
}

/** The state after a request failed at `now`. */
export function afterFailure(
  state: CircuitState,
  now: number,
  policy: CircuitPolicy = DEFAULT_CIRCUIT_POLICY,
): CircuitState {
  const failures = state.failures + 1;
  if (state.status === "half_open" || failures >= policy.failureThreshold)
    return { status: "open", failures, openUntil: now + policy.coolDownMs };
  return { status: "closed", failures };
}
