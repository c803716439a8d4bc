// Instructors' exams: create, edit, publish; and the cohort view of who took them.
import type { Db } from "../../db";
import { Conflict, Forbidden, Invalid, NotFound } from "../../errors";
import { assertTeacher, mayManage, type Actor } from "./teach.service";
import type { ExamForm } from "./teach.schemas";

export function examSetupService(deps: { prisma: Db }) {
  const { prisma } = deps;

  async function ownExam(actor: Actor, slug: string) {
    assertTeacher(actor);
    const exam = await prisma.exam.findUnique({ where: { slug } });
    if (!exam || exam.kind === "custom") throw new NotFound("There is no such exam.");
    if (!mayManage(actor, exam.ownerId)) throw new Forbidden("This exam belongs to someone else.");
    return exam;
  }

  async function record(form: ExamForm, blueprint: Record<string, number>) {
    const known = await prisma.topic.findMany({
      where: { path: { in: form.topics }, parentId: null },
      select: { path: true },
    });
    if (form.topics.length === 0 || known.length !== form.topics.length)
      throw new Invalid("Choose one or more topics.", [{ field: "topics", message: "Choose one or more topics." }]);
    return {
      title: form.title,
      kind: form.kind,
      questionCount: form.questionCount,
      timeLimitSeconds: form.timeLimitMinutes * 60,
      passMarkPercent: form.passMarkPercent,
      maxAttempts: form.attempts,
      reviewPolicy: form.review,
      closesAt: form.closesAt,
      shuffleQuestions: form.shuffleQuestions,
      shuffleOptions: form.shuffleOptions,
      partialCredit: form.partialCredit,
      blueprint: form.kind === "mock" ? blueprint : undefined,
      topicPaths: form.kind === "module" ? form.topics : Object.keys(blueprint),
    };
  }

  return {
    ownExam,

    async listExams(input: { actor: Actor }) {
      assertTeacher(input.actor);
      return prisma.exam.findMany({
        where: { kind: { not: "custom" }, ...(input.actor.role === "admin" ? {} : { ownerId: input.actor.id }) },
        orderBy: [{ kind: "asc" }, { title: "asc" }],
        include: { _count: { select: { attempts: true } } },
      });
    },

    async createExam(input: { actor: Actor; form: ExamForm; blueprint: Record<string, number> }) {
      assertTeacher(input.actor);
      if (await prisma.exam.findUnique({ where: { slug: input.form.slug } }))
        throw new Invalid("That short name is taken.", [
          { field: "slug", message: "That short name is taken; choose another." },
        ]);
      // New exams start unpublished: the instructor checks them before learners see them.
      return prisma.exam.create({
        data: {
          slug: input.form.slug,
          ownerId: input.actor.id,
          published: false,
          ...(await record(input.form, input.blueprint)),
        },
      });
    },

    async updateExam(input: { actor: Actor; slug: string; form: ExamForm; blueprint: Record<string, number> }) {
      const exam = await ownExam(input.actor, input.slug);
      if (input.form.slug !== exam.slug) throw new Conflict("The short name of an exam cannot change.");
      return prisma.exam.update({ where: { id: exam.id }, data: await record(input.form, input.blueprint) });
    },

    async setPublished(input: { actor: Actor; slug: string; published: boolean }) {
      const exam = await ownExam(input.actor, input.slug);
      await prisma.exam.update({ where: { id: exam.id }, data: { published: input.published } });
    },

    /** Aggregates only: best-score distribution, pass rate and the weakest topics. */
    async cohort(input: { actor: Actor; slug: string }) {
      const exam = await ownExam(input.actor, input.slug);
      const best = await prisma.$queryRaw<{ best: number }[]>`
        SELECT max("scorePercent") AS best FROM attempts
        WHERE "examId" = ${exam.id}::uuid AND status = 'submitted' GROUP BY "userId"`;
      const bins = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, learners: 0 }));
      for (const { best: score } of best) bins[Math.min(9, Math.floor(score / 10))]!.learners += 1;
      const topics = await prisma.$queryRaw<{ topic: string; answers: bigint; score: number }[]>`
        SELECT split_part(i."topicPath", '/', 1) AS topic, count(*) AS answers, avg(i.score) * 100 AS score
        FROM attempt_items i JOIN attempts a ON a.id = i."attemptId"
        WHERE a."examId" = ${exam.id}::uuid AND a.status = 'submitted'
        GROUP BY 1 ORDER BY 3 ASC, 1`;
      return {
        exam,
        learners: best.length,
        passRate: best.length ? best.filter((b) => b.best >= exam.passMarkPercent).length / best.length : null,
        bins,
        weakestTopics: topics.map((t) => ({
          topic: t.topic,
          answers: Number(t.answers),
          scorePercent: Number(t.score),
        })),
      };
    },
  };
}

export type ExamSetupService = ReturnType<typeof examSetupService>;
