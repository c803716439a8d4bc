// Instructors' exams: create, edit, publish; and the cohort of who took them. Who may do
// what is exams.policy.ts; which topics an instructor may build on is the banks' policy.
import type { Actor } from "../../actor";
import { keysetSlice, keysetWhere, KEYSET_ORDER, Prisma, type Db, type KeysetPage } from "../../db";
import { allocate } from "./blueprint";
import { Conflict, Invalid, NotFound } from "../../errors";
import { authorizeExam, cohortScope, examOwnerScope } from "./exams.policy";
import { bestScores, topicScores } from "./statistics.repo";
import { examBySlug } from "./attempts.repo";
import { classIdsOwnedBy, managedClassOf, membersOf } from "../classes";

/** An exam's settings as the setup form gives them (validated at the boundary). */
export type ExamSettings = {
  title: string;
  slug: string;
  kind: "mock" | "module";
  questionCount: number;
  timeLimitMinutes: number;
  /** null: no pass mark (a placement test). */
  passMarkPercent: number | null;
  attempts: number | null;
  review: "after_submit" | "after_close" | "never";
  /** null: open at once. */
  opensAt: Date | null;
  closesAt: Date | null;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  partialCredit: boolean;
  topics: string[];
  /** weights, or exact counts, per top-level topic (mock exams) */
  blueprint: Record<string, number>;
  /** Whether `blueprint` holds weights (converted to counts) or the counts themselves. */
  weightsAre: "weights" | "counts";
  /** Questions per difficulty on every form ({ "1": easy, "2": medium, "3": hard }); null: none. */
  difficultyQuota: Record<string, number> | null;
};

const managedBy = (actor: Actor) => ({ kind: { not: "custom" as const }, ownerId: examOwnerScope(actor) });

export type TopicChoice = { path: string; title: string; questions: number };

export function examSetupService(deps: {
  prisma: Db;
  /** The top-level topics this actor may build exams on (banks' "use-topics" policy). */
  usableTopics: (actor: Actor) => Promise<TopicChoice[]>;
}) {
  const { prisma } = deps;

  async function managedExam(actor: Actor, slug: string) {
    const exam = await examBySlug(prisma, slug);
    if (!exam || exam.kind === "custom") throw new NotFound("There is no such exam.");
    authorizeExam(actor, "manage", exam);
    return exam;
  }

  async function record(actor: Actor, form: ExamSettings) {
    const usable = new Set((await deps.usableTopics(actor)).map((t) => t.path));
    const refused = form.topics.filter((t) => !usable.has(t));
    if (form.topics.length === 0 || refused.length)
      throw new Invalid("Choose one or more topics.", [
        {
          field: "topics",
          message: refused.length
            ? `You cannot build an exam on ${refused.join(", ")}: choose from the topics listed.`
            : "Choose one or more topics.",
        },
      ]);
    if (form.opensAt && form.closesAt && form.opensAt >= form.closesAt)
      throw new Invalid("The exam must open before it closes.", [
        { field: "closesAt", message: "Choose a closing time after the opening time." },
      ]);
    return {
      title: form.title,
      kind: form.kind,
      questionCount: form.questionCount,
      timeLimitSeconds: form.timeLimitMinutes * 60,
      passMarkPercent: form.passMarkPercent,
      maxAttempts: form.attempts,
      reviewPolicy: form.review,
      opensAt: form.opensAt,
      closesAt: form.closesAt,
      shuffleQuestions: form.shuffleQuestions,
      shuffleOptions: form.shuffleOptions,
      partialCredit: form.partialCredit,
      // Stored as counts: weights are converted once here, by the documented rule, so every
      // form of the exam has the same questions per topic.
      blueprint:
        form.kind === "mock"
          ? form.weightsAre === "counts"
            ? form.blueprint
            : allocate(form.questionCount, form.blueprint, form.slug)
          : Prisma.DbNull,
      difficultyQuota: form.kind === "mock" && form.difficultyQuota ? form.difficultyQuota : Prisma.DbNull,
      topicPaths: form.kind === "module" ? form.topics : Object.keys(form.blueprint),
    };
  }

  return {
    managedExam,

    topicChoices: (input: { actor: Actor }) => deps.usableTopics(input.actor),

    async listExams(input: { actor: Actor }) {
      authorizeExam(input.actor, "list-managed");
      return prisma.exam.findMany({
        where: managedBy(input.actor),
        orderBy: [{ kind: "asc" }, { title: "asc" }],
        include: { _count: { select: { attempts: true } } },
      });
    },

    /** One page of the same list, newest first, by keyset (the API's cursor pages). */
    async pageExams(input: { actor: Actor; page: KeysetPage }) {
      authorizeExam(input.actor, "list-managed");
      const found = await prisma.exam.findMany({
        where: { ...managedBy(input.actor), ...keysetWhere(input.page.after) },
        orderBy: KEYSET_ORDER,
        take: input.page.limit + 1,
        include: { _count: { select: { attempts: true } } },
      });
      return keysetSlice(found, input.page.limit);
    },

    async createExam(input: { actor: Actor; settings: ExamSettings }) {
      authorizeExam(input.actor, "create");
      if (await prisma.exam.findUnique({ where: { slug: input.settings.slug } }))
        throw new Invalid("That short name is taken.", [
          { field: "slug", message: "That short name is taken; choose another." },
        ]);
      // New exams start unpublished: the instructor checks them before learners see them.
      return prisma.exam.create({
        data: {
          slug: input.settings.slug,
          ownerId: input.actor.id,
          published: false,
          ...(await record(input.actor, input.settings)),
        },
      });
    },

    async updateExam(input: { actor: Actor; slug: string; settings: ExamSettings }) {
      const exam = await managedExam(input.actor, input.slug);
      if (input.settings.slug !== exam.slug) throw new Conflict("The short name of an exam cannot change.");
      return prisma.exam.update({ where: { id: exam.id }, data: await record(input.actor, input.settings) });
    },

    /** Shares the exam with one of the actor's classes (or stops sharing it). */
    async shareWithClass(input: { actor: Actor; slug: string; classId: string; shared: boolean }) {
      const exam = await managedExam(input.actor, input.slug);
      const cls = await managedClassOf(prisma, input.actor, input.classId);
      if (input.shared)
        await prisma.examShare.createMany({
          data: [{ examId: exam.id, classId: input.classId }],
          skipDuplicates: true,
        });
      else await prisma.examShare.deleteMany({ where: { examId: exam.id, classId: input.classId } });
      return { exam: exam.title, cls: cls.name };
    },

    /** The exams the actor manages, each with whether it is shared with the class. */
    async examsForClass(input: { actor: Actor; classId: string }) {
      authorizeExam(input.actor, "list-managed");
      const exams = await prisma.exam.findMany({
        where: { kind: { not: "custom" }, ownerId: input.actor.id },
        orderBy: { title: "asc" },
        select: {
          slug: true,
          title: true,
          kind: true,
          published: true,
          opensAt: true,
          closesAt: true,
          shares: { where: { classId: input.classId }, select: { classId: true } },
        },
      });
      return exams.map(({ shares, ...e }) => ({ ...e, shared: shares.length > 0 }));
    },

    /** Admins: a public exam is in every learner's catalogue (and draws from its owner's banks). */
    async setPublic(input: { actor: Actor; slug: string; public: boolean }) {
      const exam = await examBySlug(prisma, input.slug);
      if (!exam || exam.kind === "custom") throw new NotFound("There is no such exam.");
      authorizeExam(input.actor, "publicise", exam);
      await prisma.exam.update({ where: { id: exam.id }, data: { public: input.public } });
    },

    async setPublished(input: { actor: Actor; slug: string; published: boolean }) {
      const exam = await managedExam(input.actor, input.slug);
      await prisma.exam.update({ where: { id: exam.id }, data: { published: input.published } });
    },

    /**
     * Aggregates only: best-score distribution, pass rate and the weakest topics. The exam's
     * owner and admins see every learner; an instructor sees a public exam's cohort among the
     * learners of their own classes; `classId` narrows it to one class the actor manages.
     */
    async cohort(input: { actor: Actor; slug: string; classId?: string | undefined }) {
      const exam = await examBySlug(prisma, input.slug);
      if (!exam || exam.kind === "custom") throw new NotFound("There is no such exam.");
      const scope = cohortScope(input.actor, exam);
      if (!scope) authorizeExam(input.actor, "manage", exam);
      let userIds: string[] | undefined;
      let cls: { id: string; name: string } | null = null;
      if (input.classId) {
        const found = await managedClassOf(prisma, input.actor, input.classId);
        cls = { id: found.id, name: found.name };
        userIds = (await membersOf(prisma, [cls.id])).map((m) => m.id);
      } else if (scope === "own-learners") {
        userIds = (await membersOf(prisma, await classIdsOwnedBy(prisma, input.actor.id))).map((m) => m.id);
      }
      const best = await bestScores(prisma, exam.id, userIds);
      const bins = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, learners: 0 }));
      for (const { best: score } of best) bins[Math.min(9, Math.floor(score / 10))]!.learners += 1;
      return {
        exam,
        /** Whose attempts are counted: everyone, the actor's classes' learners, or one class's. */
        scope: cls ? ("class" as const) : scope === "own-learners" ? ("own-learners" as const) : ("all" as const),
        /** The actor manages the exam (its owner, an admin): its item statistics are theirs to read. */
        manages: scope === "all",
        cls,
        /** Learners in scope (the members counted), when the cohort is restricted. */
        inScope: userIds?.length ?? null,
        learners: best.length,
        passRate:
          best.length && exam.passMarkPercent !== null
            ? best.filter((b) => b.best >= exam.passMarkPercent!).length / best.length
            : null,
        bins,
        weakestTopics: await topicScores(prisma, exam.id, userIds),
      };
    },
  };
}

export type ExamSetupService = ReturnType<typeof examSetupService>;
