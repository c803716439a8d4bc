// Exam definitions and the learner's list of exams.
import { randomUUID } from "node:crypto";
import { Prisma, type Db } from "../../db";
import { catalogueService, topLevelTopics } from "../banks";
import { Invalid } from "../../errors";
import { createQuestionQuiz, missedQuestionIdsOfLearner } from "./attempts.repo";
import { examRecord, type ExamDefinition } from "./definitions";
import { visibleExamsWhere } from "./exam-access";

export function examsService(deps: { prisma: Db }) {
  const { prisma } = deps;

  /** Top-level topics with active questions in the banks that reach the learner, with their count. */
  async function topicChoices(input: { userId: string }) {
    const topics = await catalogueService({ prisma }).topicSummaries({ userId: input.userId });
    return topics
      .filter((t) => t.questionCount > 0)
      .map((t) => ({ path: t.path, title: t.title, questions: t.questionCount }));
  }

  return {
    /** Creates or updates the shipped exams by slug (instructor-owned exams are left alone). */
    async syncDefinitions(input: { definitions: ExamDefinition[] }): Promise<number> {
      for (const definition of input.definitions) {
        const record = examRecord(definition);
        // A field taken out of the definition is cleared, not left as it was.
        const data = {
          ...record,
          blueprint: record.blueprint ?? Prisma.DbNull,
          difficultyQuota: record.difficultyQuota ?? Prisma.DbNull,
          typeQuota: record.typeQuota ?? Prisma.DbNull,
          stackChoice: record.stackChoice ?? Prisma.DbNull,
        };
        await prisma.exam.upsert({
          where: { slug: definition.slug },
          create: { slug: definition.slug, ...data },
          update: data,
        });
      }
      return input.definitions.length;
    },

    /** Published mock exams and modules, with the learner's best score and open attempt. */
    async listForLearner(input: { userId: string }) {
      const exams = await prisma.exam.findMany({
        where: await visibleExamsWhere(prisma, input.userId),
        orderBy: [{ kind: "asc" }, { title: "asc" }],
      });
      const attempts = await prisma.attempt.findMany({
        where: { userId: input.userId, examId: { in: exams.map((e) => e.id) } },
        select: { examId: true, status: true, scorePercent: true, id: true },
      });
      return exams.map((exam) => {
        const mine = attempts.filter((a) => a.examId === exam.id);
        const scores = mine.filter((a) => a.status === "submitted").map((a) => a.scorePercent ?? 0);
        return {
          exam,
          best: scores.length ? Math.max(...scores) : null,
          taken: scores.length,
          openAttemptId: mine.find((a) => a.status === "open")?.id ?? null,
        };
      });
    },

    topicChoices,

    /** A learner's own quiz: their topics, count and time; private to them. */
    async createCustomQuiz(input: { userId: string; topicPaths: string[]; questionCount: number; minutes: number }) {
      const reachable = new Set((await topicChoices({ userId: input.userId })).map((t) => t.path));
      const known = (await topLevelTopics(prisma, input.topicPaths)).filter((t) => reachable.has(t.path));
      if (known.length !== input.topicPaths.length || known.length === 0)
        throw new Invalid("Choose one or more topics from the list.");
      const slug = `custom-${randomUUID()}`;
      return prisma.exam.create({
        data: {
          slug,
          title: `Custom quiz: ${known.map((t) => t.title).join(", ")}`,
          kind: "custom",
          questionCount: input.questionCount,
          timeLimitSeconds: input.minutes * 60,
          passMarkPercent: 70,
          topicPaths: input.topicPaths,
          published: false,
          ownerId: input.userId,
        },
      });
    },

    /** The learner's open attempts with their deadlines, soonest first. */
    async openAttempts(input: { userId: string }) {
      const open = await prisma.attempt.findMany({
        where: { userId: input.userId, status: "open" },
        orderBy: { deadlineAt: "asc" },
        select: { id: true, deadlineAt: true, exam: { select: { title: true } } },
      });
      return open.map((a) => ({ id: a.id, title: a.exam.title, deadlineAt: a.deadlineAt }));
    },

    /**
     * A practice quiz of the questions the learner answered wrongly in submitted attempts,
     * the latest first (at most `limit`); null when there are none. Blanks are not misses.
     */
    async createMissedQuiz(input: { userId: string; limit: number }) {
      const rows = await missedQuestionIdsOfLearner(prisma, input);
      if (rows.length === 0) return null;
      return createQuestionQuiz(prisma, {
        userId: input.userId,
        title: "Your missed questions",
        questionIds: rows.map((r) => r.questionId),
        seconds: rows.length * 90,
        slugPrefix: "custom",
      });
    },

    async hasAttempts(input: { userId: string }): Promise<boolean> {
      return (await prisma.attempt.count({ where: { userId: input.userId }, take: 1 })) > 0;
    },
  };
}

export type ExamsService = ReturnType<typeof examsService>;
