// Learner endpoints: exams, attempts (start, read, save answers, submit, result), progress,
// the review queue. Each calls the use case the pages call; nothing here decides a rule.
import { Conflict } from "../errors";
import type { AttemptsService, ExamsService } from "../modules/exams";
import { mayReview } from "../modules/exams";
import type { ProgressService } from "../modules/progress";
import type { ReviewService } from "../modules/review";
import { endpoint, problemOf, type Endpoint } from "./endpoint";
import { presentOpenAttempt, presentResult, presentSubmitted } from "./learner.presenter";
import {
  answerBody,
  answerParams,
  Attempt,
  AttemptRef,
  attemptIdParams,
  cardParams,
  Exam,
  examSlugParams,
  startBody,
  gradeBody,
  Graded,
  Progress,
  quizBody,
  Result,
  reviewQuery,
  ReviewNext,
  Saved,
  SubmittedAttempt,
} from "./learner.schemas";
import { paginate } from "./pagination";
import { page, pageQuery } from "./schemas";

export type LearnerDeps = {
  exams: ExamsService;
  attempts: AttemptsService;
  progress: ProgressService;
  review: ReviewService;
};

const attemptConflicts = "Refused by the attempt's rules: `stale_answer`, `attempt_submitted`, `deadline_passed`.";

export function learnerEndpoints(deps: LearnerDeps): Endpoint[] {
  const { exams, attempts, progress, review } = deps;
  return [
    endpoint({
      method: "get",
      path: "/exams",
      operationId: "listExams",
      summary: "Published mock exams and modules, with your best score and open attempt",
      tag: "Exams",
      scope: "learner",
      schemas: { query: pageQuery },
      responses: { 200: { description: "A page of exams.", schema: page(Exam), headers: ["ETag"] } },
      handler: async ({ query }, actor) => {
        const listed = await exams.listForLearner({ userId: actor.id });
        const all = listed.map((l) => ({
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
        return { status: 200, json: paginate(all, (e) => e.slug, query) };
      },
    }),
    endpoint({
      method: "post",
      path: "/exams/{slug}/attempts",
      operationId: "startAttempt",
      summary: "Start an attempt, or get the open one",
      description: "201 with a new attempt; 200 with the attempt already open for this exam (it resumes).",
      tag: "Attempts",
      scope: "learner",
      schemas: { params: examSlugParams, body: startBody },
      responses: {
        200: { description: "The attempt already open.", schema: AttemptRef, headers: ["Location"] },
        201: { description: "A new attempt.", schema: AttemptRef, headers: ["Location"] },
        404: problemOf("No such exam (or not published)."),
        409: problemOf("The exam has closed, or every attempt is used."),
      },
      handler: async ({ params, body }, actor) => {
        const started = await attempts.startAttempt({
          examSlug: params.slug,
          userId: actor.id,
          ...(body.stack ? { stack: body.stack } : {}),
        });
        return {
          status: started.resumed ? 200 : 201,
          json: started,
          headers: { Location: `/api/v1/attempts/${started.id}` },
        };
      },
    }),
    endpoint({
      method: "post",
      path: "/quizzes",
      operationId: "startCustomQuiz",
      summary: "Build a quiz of your own (topics, count, time) and start it",
      tag: "Attempts",
      scope: "learner",
      schemas: { body: quizBody },
      responses: {
        201: { description: "The quiz's attempt.", schema: AttemptRef, headers: ["Location"] },
        409: problemOf("No questions to draw from."),
      },
      handler: async ({ body }, actor) => {
        const exam = await exams.createCustomQuiz({
          userId: actor.id,
          topicPaths: body.topics,
          questionCount: body.questionCount,
          minutes: body.minutes,
        });
        const started = await attempts.startAttempt({ examSlug: exam.slug, userId: actor.id });
        return { status: 201, json: started, headers: { Location: `/api/v1/attempts/${started.id}` } };
      },
    }),
    endpoint({
      method: "get",
      path: "/attempts/{id}",
      operationId: "getAttempt",
      summary: "An attempt: its questions while open (never a key), or where its result is",
      description: "An overdue open attempt is submitted on this request and answers as submitted.",
      tag: "Attempts",
      scope: "learner",
      schemas: { params: attemptIdParams },
      responses: {
        200: { description: "The attempt.", schema: Attempt, headers: ["ETag"] },
        404: problemOf("No such attempt of yours."),
      },
      handler: async ({ params }, actor) => {
        const open = await attempts.openAttempt({ attemptId: params.id, userId: actor.id, allVersions: true });
        if (open.submitted) {
          const result = await attempts.result({ attemptId: params.id, userId: actor.id });
          if (result.open) throw new Conflict("The attempt is still open.", "attempt_open");
          return { status: 200, json: presentSubmitted(result.attempt) };
        }
        return { status: 200, json: presentOpenAttempt(open.attempt, open.items, open.versions!, open.now) };
      },
    }),
    endpoint({
      method: "put",
      path: "/attempts/{id}/answers/{position}",
      operationId: "saveAnswer",
      summary: "Save the answer to one question (sequence- and deadline-checked, like the page)",
      tag: "Attempts",
      scope: "learner",
      schemas: { params: answerParams, body: answerBody },
      responses: {
        200: { description: "Saved.", schema: Saved },
        404: problemOf("No such attempt of yours, or no such question in it."),
        409: problemOf(attemptConflicts),
      },
      handler: async ({ params, body }, actor) => {
        const saved = await attempts.saveAnswer({
          attemptId: params.id,
          userId: actor.id,
          position: params.position,
          seq: body.seq,
          response: body.response,
          flagged: body.flagged,
        });
        return { status: 200, json: saved };
      },
    }),
    endpoint({
      method: "post",
      path: "/attempts/{id}/submission",
      operationId: "submitAttempt",
      summary: "Submit the attempt (idempotent: a repeat changes nothing)",
      tag: "Attempts",
      scope: "learner",
      schemas: { params: attemptIdParams },
      responses: {
        200: { description: "Submitted (now or before).", schema: SubmittedAttempt },
        404: problemOf("No such attempt of yours."),
      },
      handler: async ({ params }, actor) => {
        await attempts.submitAttempt({ attemptId: params.id, userId: actor.id });
        const result = await attempts.result({ attemptId: params.id, userId: actor.id });
        if (result.open) throw new Conflict("The attempt is still open.", "attempt_open");
        return { status: 200, json: presentSubmitted(result.attempt) };
      },
    }),
    endpoint({
      method: "get",
      path: "/attempts/{id}/result",
      operationId: "getResult",
      summary: "The result: score, per-topic breakdown, and the review as the exam's policy allows",
      tag: "Attempts",
      scope: "learner",
      schemas: { params: attemptIdParams },
      responses: {
        200: { description: "The result.", schema: Result, headers: ["ETag"] },
        404: problemOf("No such attempt of yours."),
        409: problemOf("The attempt is still open (`attempt_open`)."),
      },
      handler: async ({ params }, actor) => {
        const result = await attempts.result({ attemptId: params.id, userId: actor.id });
        if (result.open) throw new Conflict("The attempt is still open: submit it first.", "attempt_open");
        const json = presentResult(result.attempt, result.items, mayReview(result.attempt.exam, result.now));
        return { status: 200, json };
      },
    }),
    endpoint({
      method: "get",
      path: "/progress",
      operationId: "getProgress",
      summary: "Per-topic mastery, readiness for the mock exam, recent attempts",
      tag: "Progress",
      scope: "learner",
      schemas: {},
      responses: { 200: { description: "Your progress.", schema: Progress, headers: ["ETag"] } },
      handler: async (_input, actor) => {
        const d = await progress.dashboard({ userId: actor.id });
        const latest = d.snapshots[d.snapshots.length - 1];
        return {
          status: 200,
          json: {
            readiness: latest
              ? {
                  at: latest.at.toISOString(),
                  status: latest.status,
                  predictedPercent: latest.predictedPercent,
                  predictedLow: latest.predictedLow,
                  predictedHigh: latest.predictedHigh,
                  passProbability: latest.pPass,
                  passProbabilityLow: latest.pPassLow,
                  passProbabilityHigh: latest.pPassHigh,
                  missingTopics: latest.missingTopics,
                }
              : null,
            topics: d.topics.map((t) => ({
              path: t.path,
              title: t.title,
              answers: t.answers,
              blanks: t.blanks,
              enough: t.enough,
              mastery: t.mean,
              low: t.low,
              high: t.high,
            })),
            recentAttempts: d.attempts.map((a) => ({
              id: a.id,
              examTitle: a.exam.title,
              scorePercent: a.scorePercent,
              passed: a.passed,
              submittedAt: a.submittedAt?.toISOString() ?? null,
            })),
          },
        };
      },
    }),
    endpoint({
      method: "get",
      path: "/review/next",
      operationId: "nextReviewCard",
      summary: "The review queue: counts and the next card (flashcards and missed questions)",
      tag: "Review",
      scope: "learner",
      schemas: { query: reviewQuery },
      responses: {
        200: { description: "The queue's counts and next card (null when none is due).", schema: ReviewNext },
      },
      handler: async ({ query }, actor) => {
        const session = await review.session({
          userId: actor.id,
          ...(query.topic ? { topic: query.topic } : {}),
          weak: query.mode === "weak",
        });
        const card = session.card;
        return {
          status: 200,
          json: {
            counts: session.counts,
            card: card && {
              cardKey: card.cardKey,
              origin: card.origin,
              isNew: card.isNew,
              version: card.version,
              topicTitle: card.topicTitle,
              frontHtml: card.frontHtml,
              choicesHtml: card.choicesHtml,
              backHtml: card.backHtml,
              explanationHtml: card.explanationHtml,
              ratings: card.buttons.map((b) => ({ rating: b.rating, label: b.label, interval: b.intervalLabel })),
            },
          },
        };
      },
    }),
    endpoint({
      method: "post",
      path: "/review/cards/{cardKey}/grades",
      operationId: "gradeCard",
      summary: "Grade a card (1 again .. 4 easy); a repeat with the same version changes nothing",
      tag: "Review",
      scope: "learner",
      schemas: { params: cardParams, body: gradeBody },
      responses: {
        200: { description: "Graded, with the card's next due time.", schema: Graded },
        404: problemOf("No such card."),
      },
      handler: async ({ params, body }, actor) => {
        const graded = await review.gradeCard({
          userId: actor.id,
          cardKey: params.cardKey,
          rating: body.rating as 1 | 2 | 3 | 4,
          version: body.version,
        });
        return { status: 200, json: { repeated: graded.repeated, due: graded.due?.toISOString() ?? null } };
      },
    }),
  ];
}
