import { describe, expect, test } from "vitest";
import { findDue, resolveDue } from "./dueDate";

const WED = Date.UTC(2025, 2, 12, 15); // Wednesday 12 March 2025, 15:00 UTC
const FRI = Date.UTC(2025, 9, 17, 10); // Friday 17 October 2025

describe("due dates resolved against the meeting day", () => {
  test.each([
    ["by Friday", WED, "2025-03-14"],
    ["this Friday", WED, "2025-03-14"],
    ["on Wednesday", WED, "2025-03-19"], // the same weekday is next week's
    ["next Friday", WED, "2025-03-21"],
    ["next Monday", WED, "2025-03-17"],
    ["by the end of the week", WED, "2025-03-14"],
    ["end of next week", WED, "2025-03-21"],
    ["next week", WED, "2025-03-17"],
    ["tomorrow morning", WED, "2025-03-13"],
    ["tonight", WED, "2025-03-12"],
    ["EOD", WED, "2025-03-12"],
    ["in two weeks", WED, "2025-03-26"],
    ["within 10 days", WED, "2025-03-22"],
    ["before the end of the month", WED, "2025-03-31"],
    ["end of Q3", WED, "2025-09-30"],
    ["on March 20th", WED, "2025-03-20"],
    ["by the 9th of July", WED, "2025-07-09"],
    ["by the 20th", WED, "2025-03-20"],
    ["by the 5th", WED, "2025-04-05"], // passed this month: next month's
    ["by 3/20", WED, "2025-03-20"],
    ["January 5", WED, "2026-01-05"], // passed this year: next year's
    ["2025-04-01", WED, "2025-04-01"],
    ["by Wednesday the 22nd", FRI, "2025-10-22"], // the explicit date wins over the weekday
    ["by the end of the month", FRI, "2025-10-31"],
  ])("%s", (phrase, ref, date) => {
    expect(resolveDue(phrase, ref)).toBe(date);
  });

  test("finds the due phrase inside a sentence, with its lead word", () => {
    expect(findDue("I'll update the pricing page by Friday.", WED)).toEqual({
      phrase: "by Friday",
      index: 29,
      date: "2025-03-14",
    });
  });

  test("no date, no due (numbers and month-like words alone are not dates)", () => {
    for (const s of [
      "We had two hundred guests.",
      "It may work.",
      "Ship 4.2 soon.",
      "The march was long.",
    ]) {
      expect(findDue(s, WED)).toBeNull();
    }
  });
});
