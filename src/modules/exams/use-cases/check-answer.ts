// Use case: check one answer of a practice attempt. The answer is saved and marked at once
// with the same grading as a submission, and the item is locked: from then on its key is
// shown, so its answer must not change (the save statement refuses an item with a score).
// A question that is also in another attempt the learner has open (a timed mock started
// beside the practice) is not checked: its key would help there.
import { Prisma, retryingTransaction } from "../../../db";
import { Conflict, Invalid, NotFound, TooManyRequests } from "../../../errors";
import { matchPattern } from "../../banks";
import { SandboxBusy, SandboxUnavailable, type SqlRecord } from "../../sandbox";
import { lockedItemForCheck, sqlRunItem } from "../attempts.repo";
import { gradeResponse, type LearnerAnswer } from "../grading";
import { isOverdue } from "../timer";
import type { AttemptsDeps } from "./deps";
import { heldQuestions } from "./held-questions";
import { ownAttempt } from "./own-attempt";
import { checkResponse } from "./save-answer";
import { runStatement, submitAttempt } from "./submit-attempt";

export type CheckAnswerOptions = {
  attemptId: string;
  userId: string;
  position: number;
  response: LearnerAnswer | null;
  flagged: boolean;
};

/** correct and score are null for an essay: its model answer is shown, and it is never marked. */
export type CheckedAnswer = { position: number; correct: boolean | null; score: number | null };

/** Key order aside (jsonb stores keys in its own order). */
const canonical = (answer: LearnerAnswer | null) =>
  JSON.stringify(answer && Object.fromEntries(Object.entries(answer).sort(([a], [b]) => a.localeCompare(b))));
const sameAnswer = (a: LearnerAnswer | null, b: LearnerAnswer | null) => canonical(a) === canonical(b);

export async function checkAnswer(deps: AttemptsDeps, input: CheckAnswerOptions): Promise<CheckedAnswer> {
  const { prisma, clock } = deps;
  const attempt = await ownAttempt(prisma, input.attemptId, input.userId);
  if (attempt.status !== "open")
    throw new Conflict("This attempt has been submitted; answers can no longer change.", "attempt_submitted");
  if (attempt.mode !== "practice") throw new Conflict("Answers are checked one by one only in practice mode.");
  if (isOverdue(attempt.deadlineAt, clock.now())) {
    await submitAttempt(deps, { attemptId: attempt.id, by: "deadline" });
    throw new Conflict("This practice stayed open too long and was submitted.", "deadline_passed");
  }
  if (!input.response && !(await isEssayItem(deps, attempt.id, input.position)))
    throw new Invalid("Choose or write an answer, then check it.", [
      { field: "answer", message: "Choose or write an answer, then check it." },
    ]);
  const response = input.response;
  if (response?.type === "essay" || !response) return showModelAnswer(deps, { ...input, response });
  const held = await heldQuestions(deps, { userId: input.userId, exceptAttempt: attempt.id });
  // An SQL answer is marked on its run, made before the transaction (it may take up to the
  // sandbox's time limit) and stored with the mark, as a submission would.
  const sql = await runForCheck(deps, attempt.id, input.position, response);
  return retryingTransaction(prisma, async (tx) => {
    const item = await lockedItemForCheck(tx, attempt.id, input.position);
    if (!item) throw new NotFound("There is no such question in this attempt.");
    if (item.checkedAt) {
      // A repeated check (a double click, a resent form) answers as the first one did.
      if (sameAnswer(item.response, response))
        return { position: item.position, correct: item.correct!, score: item.score! };
      throw new Conflict("This answer was checked: it can no longer change.", "answer_checked");
    }
    if (held.has(item.version.questionId))
      throw new Conflict(
        "This question is also in an exam you have open: finish that exam first, then check it here.",
        "question_held",
      );
    checkResponse(item.version.type, item.displayOrder, response);
    const result = gradeResponse(item.version.type, item.version.body, response, {
      partialCredit: attempt.exam.partialCredit,
      matchPattern: deps.matchPattern ?? matchPattern,
      sql: sql ?? null,
    });
    const now = clock.now();
    await tx.attemptItem.update({
      where: { id: item.id },
      data: {
        response,
        seq: item.seq + 1,
        flagged: input.flagged,
        answeredAt: now,
        correct: result.correct,
        score: result.score,
        checkedAt: now,
        ...(sql ? { sqlResult: sql } : {}),
      },
    });
    return { position: item.position, correct: result.correct, score: result.score };
  });
}

async function isEssayItem(deps: AttemptsDeps, attemptId: string, position: number): Promise<boolean> {
  const item = await sqlRunItem(deps.prisma, attemptId, position);
  return item?.questionVersion.type === "essay";
}

/**
 * An essay's "check": its answer (or a blank) is kept and locked, and the model answer shown
 * from now on. Nothing is marked: correct and score stay null (essay.ts). The model answer is
 * the essay's whole key, so a question held by another open attempt is not shown either.
 */
async function showModelAnswer(
  deps: AttemptsDeps,
  input: CheckAnswerOptions & { response: LearnerAnswer | null },
): Promise<CheckedAnswer> {
  const held = await heldQuestions(deps, { userId: input.userId, exceptAttempt: input.attemptId });
  return retryingTransaction(deps.prisma, async (tx) => {
    const item = await lockedItemForCheck(tx, input.attemptId, input.position);
    if (!item) throw new NotFound("There is no such question in this attempt.");
    if (item.checkedAt) {
      if (sameAnswer(item.response, input.response)) return { position: item.position, correct: null, score: null };
      throw new Conflict("This answer was checked: it can no longer change.", "answer_checked");
    }
    if (held.has(item.version.questionId))
      throw new Conflict(
        "This question is also in an exam you have open: finish that exam first, then check it here.",
        "question_held",
      );
    if (input.response) checkResponse(item.version.type, item.displayOrder, input.response);
    else if (item.version.type !== "essay") throw new Invalid("Choose or write an answer, then check it.");
    const now = deps.clock.now();
    await tx.attemptItem.update({
      where: { id: item.id },
      data: {
        response: input.response ?? Prisma.DbNull,
        seq: item.seq + 1,
        flagged: input.flagged,
        answeredAt: input.response ? now : null,
        checkedAt: now,
      },
    });
    return { position: item.position, correct: null, score: null };
  });
}

/**
 * Runs the statement of an unchecked SQL item (nothing for other items, or one already
 * checked: the transaction answers those). A busy or unavailable sandbox is an error to try
 * again, not a wrong answer: the item stays open.
 */
async function runForCheck(
  deps: AttemptsDeps,
  attemptId: string,
  position: number,
  response: LearnerAnswer,
): Promise<SqlRecord | undefined> {
  const item = await sqlRunItem(deps.prisma, attemptId, position);
  const body = item?.questionVersion.body;
  if (!item || item.checkedAt || item.questionVersion.type !== "sql" || !body || !("exercise" in body))
    return undefined;
  if (response.type !== "sql") return undefined; // refused by checkResponse in the transaction
  try {
    return await runStatement(deps, body, response.query);
  } catch (error) {
    if (error instanceof SandboxBusy) throw new TooManyRequests(error.message, 2);
    if (error instanceof SandboxUnavailable)
      throw new Conflict(`${error.message.split(":")[0]}; try again later.`, "sandbox_unavailable");
    throw error;
  }
}
