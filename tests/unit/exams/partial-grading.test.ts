// Grading with partial credit: a single choice scores the chosen option's weight, a short or
// numeric answer the best matching answer's; the feedback shown is that answer's.
import { matchPattern } from "../../../src/modules/banks";
import type { StoredBody } from "../../../src/modules/banks";
import { gradeResponse, typedAnswerFeedback, type LearnerAnswer } from "../../../src/modules/exams/grading";

const grade = (type: "single" | "short" | "numeric", body: StoredBody, answer: LearnerAnswer, partialCredit = true) =>
  gradeResponse(type, body, answer, { partialCredit, matchPattern });

const option = (id: string, correct: boolean, weight?: number) => ({
  id,
  md: id,
  html: id,
  correct,
  ...(weight !== undefined ? { weight } : {}),
});

describe("single choice with partial credit", () => {
  const body: StoredBody = {
    options: [option("a", true, 100), option("b", false, 50), option("c", false, 0), option("d", false, -25)],
  };

  it("scores the chosen option's weight", () => {
    expect(grade("single", body, { type: "single", optionId: "a" })).toEqual({ correct: true, score: 1 });
    expect(grade("single", body, { type: "single", optionId: "b" })).toEqual({ correct: false, score: 0.5 });
    expect(grade("single", body, { type: "single", optionId: "c" })).toEqual({ correct: false, score: 0 });
    expect(grade("single", body, { type: "single", optionId: "d" })).toEqual({ correct: false, score: 0 });
  });

  it("is right or wrong when the exam gives no partial credit, and 0 for an option it never offered", () => {
    expect(grade("single", body, { type: "single", optionId: "b" }, false)).toEqual({ correct: false, score: 0 });
    expect(grade("single", body, { type: "single", optionId: "zz" })).toEqual({ correct: false, score: 0 });
  });
});

describe("short answers with weights", () => {
  const body: StoredBody = {
    accept: ["REST"],
    caseSensitive: false,
    weighted: [
      { text: "REST", weight: 100, feedback: "Yes." },
      { text: "RPC", weight: 30, feedback: "A style, but not the one that names resources." },
      { text: "SOAP", weight: 0, feedback: "SOAP is a protocol." },
    ],
    otherFeedback: "It has four letters.",
  };

  it("scores the matching answer's weight, after trimming and folding case", () => {
    expect(grade("short", body, { type: "short", text: "  rest " })).toEqual({ correct: true, score: 1 });
    expect(grade("short", body, { type: "short", text: "rpc" })).toEqual({ correct: false, score: 0.3 });
    expect(grade("short", body, { type: "short", text: "SOAP" })).toEqual({ correct: false, score: 0 });
    expect(grade("short", body, { type: "short", text: "GraphQL" })).toEqual({ correct: false, score: 0 });
    expect(grade("short", body, { type: "short", text: "rpc" }, false)).toEqual({ correct: false, score: 0 });
  });

  it("gives the matching answer's feedback, else the one for any other answer", () => {
    expect(typedAnswerFeedback(body, { type: "short", text: "RPC" })).toBe(
      "A style, but not the one that names resources.",
    );
    expect(typedAnswerFeedback(body, { type: "short", text: "soap" })).toBe("SOAP is a protocol.");
    expect(typedAnswerFeedback(body, { type: "short", text: "GraphQL" })).toBe("It has four letters.");
    expect(typedAnswerFeedback(body, { type: "short", text: "   " })).toBe("");
    expect(typedAnswerFeedback(body, null)).toBe("");
  });

  it("still gives full marks to the pattern, and grades old bodies without weights as before", () => {
    const withPattern: StoredBody = { ...body, pattern: "rest(ful)?" };
    expect(grade("short", withPattern, { type: "short", text: "RESTful" })).toEqual({ correct: true, score: 1 });
    const plain: StoredBody = { accept: ["REST"], caseSensitive: false };
    expect(grade("short", plain, { type: "short", text: "rest" })).toEqual({ correct: true, score: 1 });
    expect(typedAnswerFeedback(plain, { type: "short", text: "rest" })).toBe("");
  });
});

describe("numeric answers with weights", () => {
  const body: StoredBody = {
    answers: [
      { value: 60, tolerance: 0, feedback: "Sixty seconds." },
      { value: 60, tolerance: 5, weight: 50, feedback: "Close." },
      { value: 100, tolerance: 0, weight: 0, feedback: "A minute is not decimal." },
    ],
    otherFeedback: "Count the seconds in a minute.",
  };

  it("scores the best matching answer's weight", () => {
    expect(grade("numeric", body, { type: "numeric", value: 60 })).toEqual({ correct: true, score: 1 });
    expect(grade("numeric", body, { type: "numeric", value: 63 })).toEqual({ correct: false, score: 0.5 });
    expect(grade("numeric", body, { type: "numeric", value: 100 })).toEqual({ correct: false, score: 0 });
    expect(grade("numeric", body, { type: "numeric", value: 63 }, false)).toEqual({ correct: false, score: 0 });
  });

  it("gives the best matching answer's feedback, else the one for any other number", () => {
    expect(typedAnswerFeedback(body, { type: "numeric", value: 60 })).toBe("Sixty seconds.");
    expect(typedAnswerFeedback(body, { type: "numeric", value: 57 })).toBe("Close.");
    expect(typedAnswerFeedback(body, { type: "numeric", value: 100 })).toBe("A minute is not decimal.");
    expect(typedAnswerFeedback(body, { type: "numeric", value: 7 })).toBe("Count the seconds in a minute.");
  });

  it("treats an answer without a weight as full marks, as stored bodies before weights", () => {
    const plain: StoredBody = { answers: [{ value: 1.5, tolerance: 0.1 }] };
    expect(grade("numeric", plain, { type: "numeric", value: 1.55 })).toEqual({ correct: true, score: 1 });
  });
});
