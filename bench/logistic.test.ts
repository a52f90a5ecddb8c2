import { describe, expect, test } from "vitest";
import { type Example, fitLogistic } from "./lib/logistic";

describe("L2 logistic regression (bench/lib/logistic.ts)", () => {
  // A feature that decides the label four times in five, and one that is noise.
  const data: Example[] = [];
  for (let i = 0; i < 100; i++) {
    const x = i % 2;
    const noise = i % 3 === 0 ? 1 : 0;
    const y = i % 5 === 0 ? 1 - x : x;
    data.push({ f: { bias: 1, x, noise }, y });
  }

  test("learns the deciding feature's weight near its log-odds, the noise near zero", () => {
    const w = fitLogistic(data, 0.01);
    expect(w.x!).toBeGreaterThan(2);
    expect(Math.abs(w.noise!)).toBeLessThan(0.5);
    // P(y=1 | x=1) = 0.8 in the data: the fitted probability is close.
    const p = 1 / (1 + Math.exp(-(w.bias! + w.x!)));
    expect(p).toBeGreaterThan(0.75);
    expect(p).toBeLessThan(0.85);
  });

  test("a stronger penalty shrinks the weights; the same data gives the same weights", () => {
    expect(Math.abs(fitLogistic(data, 100).x!)).toBeLessThan(Math.abs(fitLogistic(data, 0.01).x!));
    expect(fitLogistic(data, 1)).toEqual(fitLogistic(data, 1));
  });
});
