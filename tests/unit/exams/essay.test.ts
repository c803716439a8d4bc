// Essays are never scored: grading leaves them out, the pages build their model answer only
// once the item was checked, and statistics count self-assessments, not scores.
import { matchPattern, type StoredBody } from "../../../src/modules/banks";
import { presentQuestion } from "../../../src/modules/exams/attempts.presenter";
import { assessmentCounts, scoredItems } from "../../../src/modules/exams/essay";
import { itemState } from "../../../src/modules/exams/item-state";
import { essayChecked, selfAssessmentOf } from "../../../src/modules/exams/essay.presenter";
import { gradeResponse, scoreAttempt } from "../../../src/modules/exams/grading";
import { selfAssessmentEffect } from "../../../src/modules/review/self-assessment";
import { jsonAnswer } from "../../../src/modules/exams/attempts.schemas";

const essayBody = { modelAnswer: { md: "**MODEL**", html: "<strong>MODEL</strong>" } } as StoredBody;

describe("essay grading", () => {
  it("leaves essays out of the items graded", () => {
    const items = [
      { id: "a", version: { type: "essay" } },
      { id: "b", version: { type: "single" } },
      { id: "c", version: { type: "essay" } },
    ];
    expect(scoredItems(items).map((i) => i.id)).toEqual(["b"]);
  });

  it("never marks an essay right, even when asked to grade one", () => {
    const result = gradeResponse(
      "essay",
      essayBody,
      { type: "essay", text: "MODEL" },
      {
        partialCredit: true,
        matchPattern,
      },
    );
    expect(result).toEqual({ correct: false, score: 0 });
  });

  it("reports no pass or fail when nothing was scored", () => {
    expect(scoreAttempt([], 50)).toMatchObject({ total: 0, scorePercent: 0, passed: null });
    const one = scoreAttempt([{ topicPath: "t", result: { correct: true, score: 1 } }], 50);
    expect(one).toMatchObject({ total: 1, passed: true });
  });
});

describe("essay answers", () => {
  const answer = (text: string) => jsonAnswer.safeParse({ position: 1, seq: 1, response: { type: "essay", text } });

  it("accept up to 10,000 characters of text", () => {
    expect(answer("x".repeat(10_000)).success).toBe(true);
    expect(answer("x".repeat(10_001)).success).toBe(false);
    expect(answer("   ").success).toBe(false); // blank is a null response, not an empty essay
  });
});

describe("essay pages", () => {
  const attempt = {
    id: "att",
    deadlineAt: new Date("2026-01-02T00:00:00Z"),
    startedAt: new Date("2026-01-01T00:00:00Z"),
    mode: "practice" as const,
    exam: { title: "E", slug: "e", passMarkPercent: 50, questionCount: 1 },
  };
  const item = (checkedAt: Date | null, selfAssessment: string | null = null) => ({
    position: 1,
    displayOrder: [],
    response: { type: "essay" as const, text: "mine <b>" },
    seq: 1,
    flagged: false,
    checkedAt,
    selfAssessment,
  });
  const version = { type: "essay", stemHtml: "<p>Explain</p>", body: essayBody };

  it("show a text area and nothing of the model answer before it is asked for", () => {
    const it0 = item(null);
    const view = presentQuestion(
      attempt,
      [it0].map(itemState),
      { item: it0, version, explanationHtml: null },
      new Date(),
    );
    expect(view.essay).toEqual({ text: "mine <b>", maxLength: 10_000 });
    expect(view.checked).toBeNull();
    expect(JSON.stringify(view)).not.toContain("MODEL");
  });

  it("show the answer beside the model answer once checked, with the choices until one is given", () => {
    const it1 = item(new Date());
    const view = presentQuestion(
      attempt,
      [it1].map(itemState),
      { item: it1, version, explanationHtml: "<p>why</p>" },
      new Date(),
    );
    expect(view.checked?.essay).toMatchObject({
      answerText: "mine <b>",
      modelAnswerHtml: "<strong>MODEL</strong>",
      assessment: null,
    });
    expect(view.checked?.essay?.choices.map((c) => c.label)).toEqual(["I had it", "Partly", "Missed it"]);
    expect(essayChecked(item(new Date(), "partly"), essayBody).assessment).toEqual({
      value: "partly",
      label: "Partly",
    });
    expect(selfAssessmentOf("nonsense")).toBeNull();
  });
});

describe("self-assessment", () => {
  it("counts learners each way, ignoring unknown values", () => {
    expect(
      assessmentCounts([
        { assessment: "had", learners: 2 },
        { assessment: "missed", learners: 1 },
        { assessment: "bogus", learners: 5 },
      ]),
    ).toEqual({ had: 2, partly: 0, missed: 1, total: 3 });
  });

  it("makes a card when missed or partly, grades an existing one Again, Hard or Good", () => {
    expect(selfAssessmentEffect("had", false)).toEqual({ kind: "none" });
    expect(selfAssessmentEffect("partly", false)).toEqual({ kind: "create" });
    expect(selfAssessmentEffect("missed", false)).toEqual({ kind: "create" });
    expect(selfAssessmentEffect("missed", true)).toEqual({ kind: "grade", rating: 1 });
    expect(selfAssessmentEffect("partly", true)).toEqual({ kind: "grade", rating: 2 });
    expect(selfAssessmentEffect("had", true)).toEqual({ kind: "grade", rating: 3 });
  });
});
