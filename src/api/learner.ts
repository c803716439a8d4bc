// Learner endpoints: exams, attempts (start, read, save answers, check in practice, submit,
// result), progress, the review queue. Each calls the use case the pages call; nothing here
// decides a rule.
import { Conflict } from "../errors";
import type { AttemptsService, ExamsService } from "../modules/exams";
import { mayReview, presentCheckedAnswer } from "../modules/exams";
import type { ProgressService } from "../modules/progress";
import type { ReviewService } from "../modules/review";
import { created, endpointGroup, type Endpoint } from "./endpoint";
import {
  presentOpenAttempt,
  presentProgress,
  presentResult,
  presentChecked,
  presentReviewNext,
  presentSubmitted,
} from "./learner.presenter";
import {
  answerBody,
  answerParams,
  Attempt,
  AttemptRef,
  attemptIdParams,
  cardParams,
  checkBody,
  Checked,
  Exam,
  examSlugParams,
  startBody,
  gradeBody,
  Graded,
  missedBody,
  Progress,
  quizBody,
  Result,
  reviewQuery,
  ReviewNext,
  Saved,
  SelfAssessed,
  selfAssessmentBody,
  SubmittedAttempt,
} from "./learner.schemas";
import { keysetPage, pageOf } from "./pagination";
import { page, pageQuery } from "./schemas";

export type LearnerDeps = {
  exams: ExamsService;
  attempts: AttemptsService;
  progress: ProgressService;
  review: ReviewService;
};

const attemptConflicts = "Refused by the attempt's rules: `stale_answer`, `attempt_submitted`, `deadline_passed`.";
const noAttempt = "No such attempt of yours.";
const attemptAt = (started: { id: string; resumed: boolean }) =>
  created(started, `/api/v1/attempts/${started.id}`, started.resumed ? 200 : 201);

export function learnerEndpoints(deps: LearnerDeps): Endpoint[] {
  const { exams, attempts, progress, review } = deps;
  const listing = endpointGroup({ tag: "Exams", scope: "learner" });
  const sitting = endpointGroup({ tag: "Attempts", scope: "learner" });
  const studying = endpointGroup({ tag: "Progress", scope: "learner" });
  const reviewing = endpointGroup({ tag: "Review", scope: "learner" });

  listing.get("/exams", {
    operationId: "listExams",
    summary: "Published mock exams and modules, newest first, with your best score and open attempt",
    schemas: { query: pageQuery },
    responses: { 200: ["A page of exams.", page(Exam)] },
    handler: async ({ query }, actor) => {
      const { items, next } = await exams.pageForLearner({ userId: actor.id, page: keysetPage(query) });
      const listed = items.map((l) => ({
        slug: l.exam.slug,
        title: l.exam.title,
        description: l.exam.description,
        kind: l.exam.kind as "mock" | "module",
        questionCount: l.exam.questionCount,
        timeLimitSeconds: l.exam.timeLimitSeconds,
        passMarkPercent: l.exam.passMarkPercent,
        bestScorePercent: l.best,
        submittedAttempts: l.taken,
        openAttemptId: l.openAttemptId,
      }));
      return pageOf(listed, next);
    },
  });

  sitting.post("/exams/{slug}/attempts", {
    operationId: "startAttempt",
    summary: "Start an attempt (timed, or practice for modules), or get the open one",
    description: "201 with a new attempt; 200 with the attempt already open for this exam (it resumes, in its mode).",
    schemas: { params: examSlugParams, body: startBody },
    responses: {
      200: { description: "The attempt already open.", schema: AttemptRef, headers: ["Location"] },
      201: { description: "A new attempt.", schema: AttemptRef, headers: ["Location"] },
      404: "No such exam (or not published).",
      409: "The exam has closed, every attempt is used, or a mock exam was asked for in practice mode.",
    },
    handler: async ({ params, body }, actor) =>
      attemptAt(
        await attempts.startAttempt({
          examSlug: params.slug,
          userId: actor.id,
          mode: body.mode,
          ...(body.stack ? { stack: body.stack } : {}),
        }),
      ),
  });

  sitting.post("/quizzes", {
    operationId: "startCustomQuiz",
    summary: "Build a quiz of your own (topics, count, time; timed or practice) and start it",
    schemas: { body: quizBody },
    responses: {
      201: { description: "The quiz's attempt.", schema: AttemptRef, headers: ["Location"] },
      409: "No questions to draw from.",
    },
    handler: async ({ body }, actor) => {
      const exam = await exams.createCustomQuiz({
        userId: actor.id,
        topicPaths: body.topics,
        questionCount: body.questionCount,
        minutes: body.minutes,
      });
      return attemptAt(await attempts.startAttempt({ examSlug: exam.slug, userId: actor.id, mode: body.mode }));
    },
  });

  sitting.post("/missed-quizzes", {
    operationId: "startMissedQuiz",
    summary: "Practise the questions you answered wrongly again (the latest 20), or take them timed",
    schemas: { body: missedBody },
    responses: {
      201: { description: "The quiz's attempt.", schema: AttemptRef, headers: ["Location"] },
      409: "No missed questions yet (`nothing_missed`).",
    },
    handler: async ({ body }, actor) => {
      const exam = await exams.createMissedQuiz({ userId: actor.id });
      if (!exam) throw new Conflict("No missed questions yet.", "nothing_missed");
      return attemptAt(await attempts.startAttempt({ examSlug: exam.slug, userId: actor.id, mode: body.mode }));
    },
  });

  sitting.get("/attempts/{id}", {
    operationId: "getAttempt",
    summary: "An attempt: its questions while open (never a key), or where its result is",
    description: "An overdue open attempt is submitted on this request and answers as submitted.",
    schemas: { params: attemptIdParams },
    responses: { 200: ["The attempt.", Attempt], 404: noAttempt },
    handler: async ({ params }, actor) => {
      const open = await attempts.openAttempt({ attemptId: params.id, userId: actor.id, allVersions: true });
      if (open.submitted) return presentSubmitted(await submittedAttempt(attempts, params.id, actor.id));
      return presentOpenAttempt(open.attempt, open.items, open.versions!, open.now);
    },
  });

  sitting.put("/attempts/{id}/answers/{position}", {
    operationId: "saveAnswer",
    summary: "Save the answer to one question (sequence- and deadline-checked, like the page)",
    schemas: { params: answerParams, body: answerBody },
    responses: {
      200: ["Saved.", Saved],
      404: "No such attempt of yours, or no such question in it.",
      409: `${attemptConflicts} Practice: \`answer_checked\` once checked.`,
    },
    handler: ({ params, body }, actor) =>
      attempts.saveAnswer({
        attemptId: params.id,
        userId: actor.id,
        position: params.position,
        seq: body.seq,
        response: body.response,
        flagged: body.flagged,
      }),
  });

  sitting.post("/attempts/{id}/answers/{position}/check", {
    operationId: "checkAnswer",
    summary: "Practice mode: save and mark one answer, then lock it (its key, explanation and feedback)",
    description:
      "Only this question's marking is returned. A repeat with the same answer answers the same; another answer is refused (`answer_checked`).",
    schemas: { params: answerParams, body: checkBody },
    responses: {
      200: ["Marked and locked.", Checked],
      404: "No such attempt of yours, or no such question in it.",
      409: "Not a practice attempt, submitted, `answer_checked`, or `question_held` (in an exam you have open).",
    },
    handler: async ({ params, body }, actor) => {
      await attempts.checkAnswer({
        attemptId: params.id,
        userId: actor.id,
        position: params.position,
        response: body.response,
        flagged: body.flagged,
      });
      const open = await attempts.openAttempt({ attemptId: params.id, userId: actor.id, show: params.position });
      const marking = !open.submitted && open.shown ? presentCheckedAnswer(open.attempt, open.shown) : null;
      if (!marking) throw new Conflict("This attempt was submitted meanwhile.", "attempt_submitted");
      return presentChecked(params.position, marking);
    },
  });

  sitting.post("/attempts/{id}/answers/{position}/self-assessment", {
    operationId: "assessEssay",
    summary: "Practice essays: how your answer compared with the model answer (never a score)",
    description:
      "Only after the essay was checked (its model answer shown). Stored once; the same assessment again changes nothing, another is refused (`already_assessed`). `missed` and `partly` bring the essay into review (a card, or an Again/Hard grade of the card you have); `had` is a Good grade of a card you have.",
    schemas: { params: answerParams, body: selfAssessmentBody },
    responses: {
      200: ["Stored (now or before).", SelfAssessed],
      404: "No such attempt of yours, or no such question in it.",
      409: "`not_an_essay`, `essay_not_shown` (check it first) or `already_assessed`.",
    },
    handler: ({ params, body }, actor) =>
      attempts.assessEssay({
        attemptId: params.id,
        userId: actor.id,
        position: params.position,
        assessment: body.assessment,
      }),
  });

  sitting.post("/attempts/{id}/submission", {
    operationId: "submitAttempt",
    summary: "Submit the attempt (idempotent: a repeat changes nothing)",
    schemas: { params: attemptIdParams },
    responses: { 200: ["Submitted (now or before).", SubmittedAttempt], 404: noAttempt },
    handler: async ({ params }, actor) => {
      await attempts.submitAttempt({ attemptId: params.id, userId: actor.id });
      return presentSubmitted(await submittedAttempt(attempts, params.id, actor.id));
    },
  });

  sitting.get("/attempts/{id}/result", {
    operationId: "getResult",
    summary: "The result: score, per-topic breakdown, and the review as the exam's policy allows",
    schemas: { params: attemptIdParams },
    responses: { 200: ["The result.", Result], 404: noAttempt, 409: "The attempt is still open (`attempt_open`)." },
    handler: async ({ params }, actor) => {
      const result = await attempts.result({ attemptId: params.id, userId: actor.id });
      if (result.open) throw new Conflict("The attempt is still open: submit it first.", "attempt_open");
      return presentResult(result.attempt, result.items, mayReview(result.attempt.exam, result.now));
    },
  });

  studying.get("/progress", {
    operationId: "getProgress",
    summary: "Per-topic mastery, readiness for the mock exam, recent attempts",
    schemas: {},
    responses: { 200: ["Your progress.", Progress] },
    handler: async (_input, actor) => presentProgress(await progress.dashboard({ userId: actor.id })),
  });

  reviewing.get("/review/next", {
    operationId: "nextReviewCard",
    summary: "The review queue: counts and the next card (flashcards and missed questions)",
    schemas: { query: reviewQuery },
    responses: { 200: ["The queue's counts and next card (null when none is due).", ReviewNext] },
    handler: async ({ query }, actor) =>
      presentReviewNext(
        await review.session({
          userId: actor.id,
          ...(query.topic ? { topic: query.topic } : {}),
          weak: query.mode === "weak",
        }),
      ),
  });

  reviewing.post("/review/cards/{cardKey}/grades", {
    operationId: "gradeCard",
    summary: "Grade a card (1 again .. 4 easy); a repeat with the same version changes nothing",
    schemas: { params: cardParams, body: gradeBody },
    responses: { 200: ["Graded, with the card's next due time.", Graded], 404: "No such card." },
    handler: async ({ params, body }, actor) => {
      const graded = await review.gradeCard({
        userId: actor.id,
        cardKey: params.cardKey,
        rating: body.rating as 1 | 2 | 3 | 4,
        version: body.version,
      });
      return { repeated: graded.repeated, due: graded.due?.toISOString() ?? null };
    },
  });

  return [...listing.list, ...sitting.list, ...studying.list, ...reviewing.list];
}

/** A submitted attempt's summary (after a submission, or for an attempt read once closed). */
async function submittedAttempt(attempts: AttemptsService, attemptId: string, userId: string) {
  const result = await attempts.result({ attemptId, userId });
  if (result.open) throw new Conflict("The attempt is still open.", "attempt_open");
  return result.attempt;
}
