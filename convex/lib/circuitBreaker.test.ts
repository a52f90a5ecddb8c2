/**
 * The circuit breaker (pure): closed counts consecutive failures and opens at
 * the threshold; open refuses until its cool-down ends, then lets one trial
 * through (half-open, holding the circuit for another cool-down so concurrent
 * callers keep falling back); the trial's success closes it, its failure
 * opens it again. A success anywhere resets the count.
 */
import { describe, expect, test } from "vitest";
import { admit, afterFailure, afterSuccess, CLOSED } from "./circuitBreaker";

const policy = { failureThreshold: 3, coolDownMs: 1_000 };

describe("circuit breaker", () => {
  test("opens after the threshold of consecutive failures, not before", () => {
    let s = CLOSED;
    s = afterFailure(s, 10, policy);
    s = afterFailure(s, 20, policy);
    expect(s).toEqual({ status: "closed", failures: 2 });
    expect(admit(s, 25, policy)).toEqual({ allowed: true, next: s });
    s = afterFailure(s, 30, policy);
    expect(s).toEqual({ status: "open", failures: 3, openUntil: 1_030 });
    expect(admit(s, 1_029, policy)).toEqual({ allowed: false, retryAt: 1_030 });
  });

  test("a success in between resets the count", () => {
    let s = afterFailure(afterFailure(CLOSED, 1, policy), 2, policy);
    s = afterSuccess();
    expect(afterFailure(s, 3, policy)).toEqual({ status: "closed", failures: 1 });
  });

  test("after the cool-down one trial goes out; others wait for it", () => {
    const open = { status: "open" as const, failures: 3, openUntil: 1_000 };
    const trial = admit(open, 1_000, policy);
    expect(trial).toEqual({
      allowed: true,
      next: { status: "half_open", failures: 3, openUntil: 2_000 },
    });
    if (!trial.allowed) throw new Error("unreachable");
    expect(admit(trial.next, 1_500, policy)).toEqual({ allowed: false, retryAt: 2_000 });
    // The trial fails: open again for a cool-down. It succeeds: closed.
    expect(afterFailure(trial.next, 1_600, policy)).toEqual({
      status: "open",
      failures: 4,
      openUntil: 2_600,
    });
    expect(afterSuccess()).toEqual(CLOSED);
    // A trial that never reports frees the circuit for another trial after its hold.
    expect(admit(trial.next, 2_000, policy)).toMatchObject({ allowed: true });
  });
});
