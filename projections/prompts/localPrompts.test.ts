import { describe, expect, test } from "vitest";
import { incallLocally, precallLocally } from "./localPrompts";
import type { IncallInput, PrecallPerson } from "./types";

const person = (name: string, extra: Partial<PrecallPerson> = {}): PrecallPerson => ({
  userId: name.toLowerCase(),
  name,
  headline: null,
  company: null,
  jobTitle: null,
  bio: null,
  interests: [],
  goals: [],
  skills: [],
  ...extra,
});

describe("local pre-call ideas", () => {
  test("the same ideas whatever order the participants arrive in (ids are random)", () => {
    const a = person("Grace Hopper", { interests: ["Compilers"], jobTitle: "Rear admiral" });
    const b = person("Ada Lovelace", { interests: ["compilers"], jobTitle: "Analyst" });
    const base = { title: "t", description: null, scheduledAt: 0, history: [] };
    const one = precallLocally({ ...base, people: [a, b] });
    const two = precallLocally({ ...base, people: [b, a] });
    expect(one).toEqual(two);
    expect(one.starters[0]!.content).toContain("Ada and Grace share an interest in");
  });

  test("starters from shared interests, goals and the last shared meeting; an agenda with its open items", () => {
    const out = precallLocally({
      title: "Partnership check-in",
      description: null,
      scheduledAt: 0,
      people: [
        person("Lena Fischer", {
          interests: ["Carbon accounting", "Cycling"],
          goals: ["find a financing partner"],
        }),
        person("Omar Haddad", {
          interests: ["carbon accounting"],
          jobTitle: "CEO",
          company: "Retrofit Capital",
        }),
      ],
      history: [
        {
          title: "Intro call",
          at: Date.UTC(2025, 4, 22),
          decisions: ["Run one pilot first"],
          openItems: [{ text: "Send the lender one-pager", ownerName: "Omar Haddad" }],
          keyTakeaways: [],
        },
      ],
    });
    const starters = out.starters.map((s) => s.content).join("\n");
    expect(starters).toContain("Lena and Omar share an interest in Carbon accounting");
    expect(starters).toContain(
      'Last time ("Intro call", 2025-05-22) you decided: Run one pilot first',
    );
    expect(starters).toContain("Lena wants to find a financing partner");
    expect(out.agenda.map((a) => a.content)).toContain(
      "Follow up: Omar — Send the lender one-pager",
    );
    expect(out.agenda.at(-1)!.content).toMatch(/next steps/);
    for (const d of [...out.starters, ...out.agenda]) {
      expect(d.relevance).toBeGreaterThan(0);
      expect(d.relevance).toBeLessThanOrEqual(1);
    }
  });

  test("strangers with empty profiles still get a starter", () => {
    const out = precallLocally({
      title: "Chat",
      description: null,
      scheduledAt: null,
      people: [person("A B"), person("C D")],
      history: [],
    });
    expect(out.starters).toHaveLength(1);
    expect(out.starters[0]!.content).toMatch(/introductions/i);
  });
});

describe("local in-call prompt", () => {
  const base: IncallInput = {
    title: "Roadmap",
    trigger: "lull",
    recent: [
      { speaker: "Ann Lee", text: "The migration plan is mostly done." },
      { speaker: "Ann Lee", text: "Who should own the data backfill next quarter?" },
    ],
    notes: "",
    topics: ["data backfill", "migration plan"],
    previousTopics: [],
    present: [
      { name: "Ann Lee", speakingMs: 120_000 },
      { name: "Bo Chan", speakingMs: 5_000 },
    ],
    shown: [],
  };
  test("a lull after an unanswered question brings it back to the quiet person", () => {
    expect(incallLocally(base).content).toBe(
      "Still open: “Who should own the data backfill next quarter?” — Bo, what do you think?",
    );
  });
  test("a topic shift asks to capture what was left", () => {
    const p = incallLocally({ ...base, trigger: "topic_shift", previousTopics: ["pricing tiers"] });
    expect(p.content).toMatch(/moved on from pricing tiers to data backfill/);
  });
  test("never repeats a prompt already shown", () => {
    const first = incallLocally(base);
    expect(incallLocally({ ...base, shown: [first.content] }).content).not.toBe(first.content);
  });
});
