// The content check: every shipped bank parses and follows the authoring rules of
// docs/question-bank-format.md and docs/content.md.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { parseNativeYaml } from "../../src/modules/banks/formats/native-yaml";
import type { ParsedBank, ParsedQuestion } from "../../src/modules/banks/model";
import { bankFindings, duplicateFindings, sentenceCount, TARGETS } from "../../scripts/content/rules";

const dir = path.resolve(__dirname, "../../question-banks");
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "exams.yaml");
const banks: ParsedBank[] = files.map((f) => {
  const result = parseNativeYaml(readFileSync(path.join(dir, f), "utf8"), { file: f });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join("\n"));
  return result.bank;
});
const questions = banks.flatMap((b) => b.questions);
const choice = (q: ParsedQuestion) => (q.type === "single" || q.type === "multiple" ? q.options : []);

describe("shipped content", () => {
  it("has at least 14 banks, 700 questions and 420 cards, 50 and 30 per bank", () => {
    expect(banks.length).toBeGreaterThanOrEqual(14);
    expect(questions.length).toBeGreaterThanOrEqual(700);
    expect(banks.reduce((n, b) => n + b.cards.length, 0)).toBeGreaterThanOrEqual(420);
    for (const b of banks) {
      expect([b.slug, b.questions.length >= 50, b.cards.length >= 30]).toEqual([b.slug, true, true]);
    }
  });

  it("gives every question an explanation of two to five sentences", () => {
    const sentences = sentenceCount;
    const bad = questions
      .filter((q) => !q.explanation.trim() || sentences(q.explanation) < 2 || sentences(q.explanation) > 6)
      .map((q) => q.externalId);
    expect(bad).toEqual([]);
  });

  it("keeps ids and stems unique across all banks", () => {
    const ids = [...questions.map((q) => q.externalId), ...banks.flatMap((b) => b.cards.map((c) => c.externalId))];
    expect(ids.length - new Set(ids).size).toBe(0);
    const stems = questions.map((q) => q.stem.trim().toLowerCase().replace(/\s+/g, " "));
    expect(stems.filter((s, i) => stems.indexOf(s) !== i)).toEqual([]);
  });

  it("has exactly one key in single choice, distinct options, and no all/none of the above", () => {
    for (const q of questions) {
      if (q.type === "single")
        expect([q.externalId, q.options.filter((o) => o.correct).length]).toEqual([q.externalId, 1]);
      const texts = choice(q).map((o) => o.text.trim().toLowerCase());
      expect([q.externalId, new Set(texts).size]).toEqual([q.externalId, texts.length]);
      for (const t of texts) expect(t).not.toMatch(/\b(all|none) of the (above|options)\b/);
    }
  });

  it("does not favour one answer position or the longest option for the key", () => {
    for (const b of banks) {
      const singles = b.questions.filter((q) => q.type === "single");
      const positions = new Map<number, number>();
      let longest = 0;
      for (const q of singles) {
        const key = q.options.findIndex((o) => o.correct);
        positions.set(key, (positions.get(key) ?? 0) + 1);
        const lengths = q.options.map((o) => o.text.length);
        const max = Math.max(...lengths);
        if (lengths[key] === max && lengths.filter((l) => l === max).length === 1) longest += 1;
      }
      expect([b.slug, Math.max(...positions.values()) / singles.length <= 0.4]).toEqual([b.slug, true]);
      expect([b.slug, longest / singles.length <= 0.5]).toEqual([b.slug, true]);
    }
  });

  it("has code in at least 20% and other types than single choice in at least 15% of questions", () => {
    const withCode = questions.filter((q) =>
      /```|`/.test(
        q.stem +
          choice(q)
            .map((o) => o.text)
            .join(" "),
      ),
    );
    expect(withCode.length / questions.length).toBeGreaterThanOrEqual(0.2);
    expect(questions.filter((q) => q.type !== "single").length / questions.length).toBeGreaterThanOrEqual(0.15);
  });
});

describe("second-edition content rules (scripts/content/rules.ts)", () => {
  it("reaches 1,300 questions and 700 cards, with no rule broken in any bank", () => {
    expect(questions.length).toBeGreaterThanOrEqual(TARGETS.totalQuestions);
    expect(banks.reduce((n, b) => n + b.cards.length, 0)).toBeGreaterThanOrEqual(TARGETS.totalCards);
    expect(banks.flatMap(bankFindings)).toEqual([]);
  });

  it("has no near-duplicate questions or cards across the banks", () => {
    expect(duplicateFindings(banks)).toEqual([]);
  });
});

describe("exam definitions", () => {
  const exams = parseYaml(readFileSync(path.join(dir, "exams.yaml"), "utf8")) as {
    format: string;
    exams: {
      slug: string;
      kind: string;
      questionCount: number;
      timeLimitMinutes: number;
      passMarkPercent: number | null;
      blueprint?: Record<string, number>;
      counts?: Record<string, number>;
      topics?: string[];
    }[];
  };
  const slugs = new Set(banks.map((b) => b.slug));

  it("defines the mock exam: 60 questions, 90 minutes, 70% by explicit counts over the banks", () => {
    expect(exams.format).toBe("stackprep-exams/1");
    const mock = exams.exams.find((e) => e.kind === "mock")!;
    expect(mock).toMatchObject({ questionCount: 60, timeLimitMinutes: 90, passMarkPercent: 70 });
    // Explicit per-topic counts (issue: parallel forms) replace the percent weights that summed to 100.
    expect(Object.values(mock.counts!).reduce((a, b) => a + b, 0)).toBe(mock.questionCount);
    expect(Object.keys(mock.counts!).sort()).toEqual([...slugs].sort());
  });

  it("defines one practice module per bank", () => {
    const modules = exams.exams.filter((e) => e.kind === "module");
    expect(modules.flatMap((m) => m.topics ?? []).sort()).toEqual([...slugs].sort());
    for (const m of modules) {
      const available = banks.find((b) => b.slug === m.topics![0])!.questions.length;
      expect(m.questionCount).toBeLessThanOrEqual(available);
    }
  });
});
