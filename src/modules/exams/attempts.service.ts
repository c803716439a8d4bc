// The attempt engine: start (selection frozen in rows), save answers (sequence-checked,
// deadline-checked), submit (graded in the same transaction, idempotent), results.
// Every use case checks that the attempt belongs to the acting user (another user's id: 404).
import type { Pool } from "pg";
import type { Clock } from "../../clock";
import { Prisma, retryingTransaction, type Db } from "../../db";
import { Conflict, Invalid, NotFound } from "../../errors";
import { matchPattern, type PatternMatcher, type StoredBody } from "../banks";
import { gradeResponse, scoreAttempt, type LearnerAnswer } from "./grading";
import type { Rng } from "./rng";
import {
  heldQuestionIds,
  loadPool,
  lockAttempt,
  lockAttemptItems,
  overdueAttemptIds,
  saveAnswerStatement,
  saveRefusal,
  type SaveActor,
} from "./attempts.repo";
import { selectQuestions } from "./selection";
import { deadlineFor, isOverdue, SAVE_GRACE_MS } from "./timer";
import { authorizeAttempt } from "./exams.policy";

type Tx = Prisma.TransactionClient;
/** What other modules learn of a graded attempt, inside the grading transaction. */
export type GradedAttempt = {
  attemptId: string;
  userId: string;
  at: Date;
  items: {
    questionId: string;
    topicPath: string;
    difficulty: number;
    score: number;
    correct: boolean;
    flagged: boolean;
  }[];
};
export type SubmitHook = (tx: Prisma.TransactionClient, graded: GradedAttempt) => Promise<void>;
type SaveInput = { attemptId: string; position: number; seq: number; response: LearnerAnswer | null; flagged: boolean };
export type AttemptsDeps = {
  prisma: Db;
  /** The pg pool under `prisma`: answer saves run on it directly (attempts.repo.ts says why). */
  pool: Pool;
  clock: Clock;
  newRng: () => Rng;
  onGraded?: SubmitHook[];
  /** Short-answer pattern matching; the default is banks' linear-time matcher. */
  matchPattern?: PatternMatcher;
};

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

export function attemptsService(deps: AttemptsDeps) {
  const { prisma, clock } = deps;

  async function ownAttempt(client: Db | Tx, attemptId: string, userId: string) {
    const attempt = await client.attempt.findUnique({ where: { id: attemptId }, include: { exam: true } });
    if (!attempt) throw new NotFound("There is no such attempt.");
    authorizeAttempt({ id: userId }, attempt);
    return attempt;
  }

  /**
   * Grades and closes an open attempt; a submitted one is returned as it is (idempotent), so
   * the transaction may be retried whole after a deadlock or a wait for a connection.
   */
  async function submit(input: { attemptId: string; userId?: string; by: "learner" | "deadline" }) {
    // Repeated posts (a double click, 50 at once) mostly arrive after the first has graded:
    // answer them from one read, without queueing for a transaction and the row lock.
    const current = await prisma.attempt.findUnique({ where: { id: input.attemptId } });
    if (!current || (input.userId && current.userId !== input.userId)) throw new NotFound("There is no such attempt.");
    if (current.status === "submitted") return current;
    return retryingTransaction(prisma, async (tx) => {
      const locked = await lockAttempt(tx, input.attemptId);
      if (!locked || (input.userId && locked.userId !== input.userId)) throw new NotFound("There is no such attempt.");
      if (locked.status === "submitted") return tx.attempt.findUniqueOrThrow({ where: { id: input.attemptId } });
      // Saves lock only the item they write: wait for those in flight, and make later ones
      // wait for this grading (which sets every score, so they are refused).
      await lockAttemptItems(tx, input.attemptId);
      const attempt = await tx.attempt.findUniqueOrThrow({
        where: { id: input.attemptId },
        include: { exam: true, items: { include: { questionVersion: true } } },
      });
      const now = clock.now();
      const graded = attempt.items.map((item) => ({
        item,
        result: gradeResponse(
          item.questionVersion.type,
          item.questionVersion.body as StoredBody,
          item.response as LearnerAnswer | null,
          { partialCredit: attempt.exam.partialCredit, matchPattern: deps.matchPattern ?? matchPattern },
        ),
      }));
      for (const { item, result } of graded) {
        await tx.attemptItem.update({ where: { id: item.id }, data: { correct: result.correct, score: result.score } });
      }
      const score = scoreAttempt(
        graded.map(({ item, result }) => ({ topicPath: item.topicPath.split("/")[0]!, result })),
        attempt.exam.passMarkPercent,
      );
      const gradedAttempt: GradedAttempt = {
        attemptId: attempt.id,
        userId: attempt.userId,
        at: now,
        items: graded.map(({ item, result }) => ({
          questionId: item.questionVersion.questionId,
          topicPath: item.topicPath,
          difficulty: item.questionVersion.difficulty,
          score: result.score,
          correct: result.correct,
          flagged: item.flagged,
        })),
      };
      for (const hook of deps.onGraded ?? []) await hook(tx, gradedAttempt);
      const end = input.by === "deadline" ? new Date(Math.min(now.getTime(), attempt.deadlineAt.getTime())) : now;
      return tx.attempt.update({
        where: { id: attempt.id },
        data: {
          status: "submitted",
          openKey: null,
          submittedAt: now,
          submittedBy: input.by,
          scorePercent: score.scorePercent,
          passed: score.passed,
          correctCount: score.correctCount,
          timeUsedSeconds: Math.max(0, Math.round((end.getTime() - attempt.startedAt.getTime()) / 1000)),
          topicBreakdown: score.byTopic,
        },
      });
    });
  }

  async function save(input: SaveInput & { actor: SaveActor }): Promise<{ saved: true; seq: number } | null> {
    const now = clock.now();
    const ids = input.response ? responseIds(input.response) : [];
    if (new Set(ids).size !== ids.length) {
      if ("session" in input.actor) return null; // answered on the ordinary path, after sign-in and CSRF checks
      throw new Invalid("Each option or item can be chosen once.");
    }
    const response = input.response ? { type: input.response.type, ids, json: JSON.stringify(input.response) } : null;
    const outcome = await saveAnswerStatement(deps.pool, { ...input, response, now, graceMs: SAVE_GRACE_MS });
    if (!outcome.actorId) return null;
    if (outcome.saved) return { saved: true, seq: input.seq };
    const refusal = await saveRefusal(prisma, { ...input, now, graceMs: SAVE_GRACE_MS });
    if (!refusal.found || !refusal.userId) throw new NotFound("There is no such attempt.");
    authorizeAttempt({ id: outcome.actorId }, { userId: refusal.userId });
    const submitted = new Conflict(
      "This attempt has been submitted; answers can no longer change.",
      "attempt_submitted",
    );
    if (refusal.status !== "open") throw submitted;
    if (refusal.late) {
      await submit({ attemptId: input.attemptId, by: "deadline" });
      throw new Conflict(
        `Time is up: answers are accepted until the deadline (plus ${SAVE_GRACE_MS / 1000} seconds for answers already on their way). Your attempt was submitted with the answers saved before then.`,
        "deadline_passed",
      );
    }
    if (!refusal.itemFound) throw new NotFound("There is no such question in this attempt.");
    if (input.response) checkResponse(refusal.type ?? "", refusal.displayOrder ?? [], input.response);
    // Refused, yet everything but the sequence number fits as things stand: if that fits too,
    // the item was graded (a submission's scores, seen by the statement's re-check).
    if (refusal.itemSeq === null || refusal.itemSeq < input.seq) throw submitted;
    throw new Conflict(
      "A newer answer to this question was already saved (from another tab?). Reload the page to see it.",
      "stale_answer",
    );
  }

  /** Questions of the learner's other open attempts (attempts.repo.ts heldQuestionIds). */
  async function held(userId: string, except: { attempt?: string; exam?: string } = {}): Promise<Set<string>> {
    const ids = await heldQuestionIds(prisma, {
      userId,
      now: clock.now(),
      graceMs: SAVE_GRACE_MS,
      ...(except.attempt ? { except: except.attempt } : {}),
      ...(except.exam ? { exceptExam: except.exam } : {}),
    });
    return new Set(ids);
  }

  async function createAttempt(examId: string, userId: string) {
    const exam = await prisma.exam.findUniqueOrThrow({ where: { id: examId } });
    // Practice (modules, custom quizzes) drawn during an open attempt leaves out its questions:
    // submitting the practice at once would otherwise show their keys. A mock keeps its whole
    // pool, so its blueprint stays the exam's; what it shares with an open practice attempt is
    // held back on that attempt's result instead (result below).
    // An open attempt of this same exam is not practice beside it: a concurrent start of the
    // same exam resumes it (the open-key conflict below), so it must not empty the pool first.
    const heldBack = exam.kind === "mock" ? new Set<string>() : await held(userId, { exam: examId });
    const pool = (await loadPool(prisma)).filter((q) => !heldBack.has(q.questionId));
    const selected = selectQuestions({
      pool,
      count: exam.questionCount,
      blueprint: exam.blueprint as Record<string, number> | null,
      topicPaths: exam.topicPaths,
      shuffleQuestions: exam.shuffleQuestions,
      shuffleOptions: exam.shuffleOptions,
      rng: deps.newRng(),
    });
    if (selected.length === 0)
      throw new Conflict(
        heldBack.size
          ? "Every question on these topics is in an attempt you have open. Finish that attempt first, or choose other topics."
          : "This exam has no questions to draw from yet.",
      );
    const now = clock.now();
    return retryingTransaction(prisma, async (tx) => {
      const attempt = await tx.attempt.create({
        data: {
          examId,
          userId,
          openKey: `${examId}:${userId}`,
          startedAt: now,
          deadlineAt: deadlineFor(now, exam.timeLimitSeconds, exam.closesAt),
        },
      });
      await tx.attemptItem.createMany({
        data: selected.map((s, i) => ({
          attemptId: attempt.id,
          position: i + 1,
          questionVersionId: s.versionId,
          topicPath: s.topicPath,
          displayOrder: s.displayOrder,
        })),
      });
      return attempt;
    });
  }

  return {
    submitAttempt: (input: { attemptId: string; userId: string }) => submit({ ...input, by: "learner" }),

    /** Starts an attempt, or resumes the open one; an overdue open one is submitted first. */
    async startAttempt(input: { examSlug: string; userId: string }): Promise<{ id: string; resumed: boolean }> {
      const exam = await prisma.exam.findUnique({ where: { slug: input.examSlug } });
      if (!exam || (!exam.published && exam.ownerId !== input.userId)) throw new NotFound("There is no such exam.");
      const now = clock.now();
      if (exam.closesAt && exam.closesAt <= now) throw new Conflict("This exam has closed.");
      const open = await prisma.attempt.findUnique({ where: { openKey: `${exam.id}:${input.userId}` } });
      if (open && !isOverdue(open.deadlineAt, now)) return { id: open.id, resumed: true };
      if (open) await submit({ attemptId: open.id, by: "deadline" });
      if (exam.maxAttempts !== null) {
        const used = await prisma.attempt.count({ where: { examId: exam.id, userId: input.userId } });
        if (used >= exam.maxAttempts)
          throw new Conflict(`You have used all ${exam.maxAttempts} attempt(s) of this exam.`);
      }
      try {
        return { id: (await createAttempt(exam.id, input.userId)).id, resumed: false };
      } catch (error) {
        // Another request started it a moment ago: resume that one.
        if (!isUniqueViolation(error)) throw error;
        const winner = await prisma.attempt.findUniqueOrThrow({ where: { openKey: `${exam.id}:${input.userId}` } });
        return { id: winner.id, resumed: true };
      }
    },

    /** The open attempt with its items, for the question pages; an overdue one is submitted. */
    /**
     * The open attempt for its pages: every item's state (for the jump list and summary) and,
     * when asked, the version of the one question to show: stem and options only, never the
     * explanation. `show` past the last question gives no shown item (the summary comes next).
     * An overdue attempt is submitted instead.
     */
    async openAttempt(input: { attemptId: string; userId: string; show?: number | "first-unanswered" }) {
      const attempt = await ownAttempt(prisma, input.attemptId, input.userId);
      if (attempt.status === "open" && isOverdue(attempt.deadlineAt, clock.now())) {
        await submit({ attemptId: attempt.id, by: "deadline" });
        return { submitted: true as const };
      }
      if (attempt.status === "submitted") return { submitted: true as const };
      const items = await prisma.attemptItem.findMany({
        where: { attemptId: attempt.id },
        orderBy: { position: "asc" },
        select: {
          position: true,
          displayOrder: true,
          response: true,
          seq: true,
          flagged: true,
          questionVersionId: true,
        },
      });
      const position =
        input.show === "first-unanswered" ? (items.find((i) => i.response === null)?.position ?? 1) : input.show;
      const item = position === undefined ? undefined : items.find((i) => i.position === position);
      const version = item
        ? await prisma.questionVersion.findUniqueOrThrow({
            where: { id: item.questionVersionId },
            select: { type: true, stemHtml: true, body: true },
          })
        : null;
      return {
        submitted: false as const,
        attempt,
        items,
        shown: item && version ? { item, version } : null,
        now: clock.now(),
      };
    },

    /**
     * Saves one answer. Refused after the deadline (plus grace), for a stale sequence number
     * (an older tab), or once submitted; a save racing a submission is either in the grading
     * or refused (attempts.repo.ts says how).
     */
    async saveAnswer(input: SaveInput & { userId: string }) {
      const result = await save({ ...input, actor: { userId: input.userId } });
      return result!;
    },

    /**
     * The same save for a request that has not loaded its session: the statement itself
     * proves the session (web/session.ts sessionProof). null when it proves nothing, and
     * nothing was written: the caller then takes the ordinary, fully checked path.
     */
    async saveAnswerInSession(input: SaveInput & { session: Prisma.Sql }) {
      return save({ ...input, actor: { session: input.session } });
    },

    async result(input: { attemptId: string; userId: string }) {
      let attempt = await ownAttempt(prisma, input.attemptId, input.userId);
      if (attempt.status === "open") {
        if (!isOverdue(attempt.deadlineAt, clock.now())) return { open: true as const };
        await submit({ attemptId: attempt.id, by: "deadline" });
        attempt = await ownAttempt(prisma, input.attemptId, input.userId);
      }
      const items = await prisma.attemptItem.findMany({
        where: { attemptId: attempt.id },
        orderBy: { position: "asc" },
        include: { questionVersion: true },
      });
      // Questions also in an attempt still open: their keys wait until it closes.
      const heldBack = await held(input.userId, { attempt: attempt.id });
      return {
        open: false as const,
        attempt,
        items: items.map((item) => ({ ...item, held: heldBack.has(item.questionVersion.questionId) })),
        now: clock.now(),
      };
    },

    /** Ids of questions whose keys must not be shown to the learner now (in an attempt still open). */
    async heldQuestionIds(input: { userId: string }): Promise<string[]> {
      return [...(await held(input.userId))];
    },

    /** Submits every overdue attempt (exactly once, whichever instance gets there); returns how many it handled. */
    /** Submits overdue attempts, each in its own transaction; `signal` stops it between two. */
    async sweepOverdue(options: { signal?: AbortSignal } = {}): Promise<number> {
      const before = new Date(clock.now().getTime() - SAVE_GRACE_MS);
      let done = 0;
      for (;;) {
        if (options.signal?.aborted) return done;
        const ids = await overdueAttemptIds(prisma, before, 20);
        if (ids.length === 0) return done;
        for (const id of ids) {
          if (options.signal?.aborted) return done;
          await submit({ attemptId: id, by: "deadline" });
          done += 1;
        }
      }
    },
  };
}

const responseIds = (r: LearnerAnswer): string[] =>
  r.type === "single" ? [r.optionId] : r.type === "multiple" ? r.optionIds : r.type === "ordering" ? r.itemIds : [];

/** A response must fit the question's type and name only options it showed. */
function checkResponse(type: string, shown: string[], response: LearnerAnswer): void {
  if (response.type !== type) throw new Invalid(`This question expects a ${type} answer.`);
  const known = new Set(shown);
  const ids =
    response.type === "single"
      ? [response.optionId]
      : response.type === "multiple"
        ? response.optionIds
        : response.type === "ordering"
          ? response.itemIds
          : [];
  if (ids.some((id) => !known.has(id))) throw new Invalid("That answer names an option this question does not have.");
  if (
    response.type === "ordering" &&
    (response.itemIds.length !== shown.length || new Set(response.itemIds).size !== shown.length)
  ) {
    throw new Invalid("Put every item in a place of its own.");
  }
}

export type AttemptsService = ReturnType<typeof attemptsService>;
