// A class's gradebook and cohort for its instructor (or an admin): one row per learner with
// their attempts at the class's exams, mastery per topic, readiness, cards due and last
// activity. Each owner reads its own tables: classes the members, exams the attempts and the
// latest answers, progress the mastery and readiness, review the cards; a handful of reads
// for the whole class, none per learner.
import type { Actor } from "../../actor";
import type { Db } from "../../db";
import { classBankTopics, topLevelTopics } from "../banks";
import { managedClassOf, membersOf } from "../classes";
import { readinessExam, type StatisticsService } from "../exams";
import type { ProgressService } from "../progress";
import type { ReviewService } from "../review";

export type GradebookExam = {
  id: string;
  slug: string;
  title: string;
  passMarkPercent: number | null;
  public: boolean;
};
export type ExamCell = {
  attempts: number;
  best: number | null;
  last: number | null;
  /** The learner's submitted attempts, oldest first. */
  submitted: { id: string; scorePercent: number | null; submittedAt: Date | null }[];
};
export type GradebookRow = {
  id: string;
  name: string;
  email: string;
  exams: Map<string, ExamCell>;
  /** Mastery per top-level topic: the estimate's mean (0..1), with the answers behind it. */
  topics: Map<string, { mean: number; answers: number }>;
  readiness: { ready: boolean; predictedPercent: number | null; pPass: number | null } | null;
  due: number;
  lastActive: Date | null;
};
export type Gradebook = {
  cls: { id: string; name: string };
  exams: GradebookExam[];
  topics: { path: string; title: string }[];
  rows: GradebookRow[];
  /** Below this many answers a topic's estimate is mostly the prior (progress's rule). */
  minAnswers: number;
  passMarkPercent: number | null;
};

const rootOf = (path: string) => path.split("/")[0]!;
const latest = (a: Date | null | undefined, b: Date | null | undefined) =>
  a && b ? (a > b ? a : b) : (a ?? b ?? null);

export function gradebookService(deps: {
  prisma: Db;
  statistics: StatisticsService;
  learnersProgress: ProgressService["learnersProgress"];
  learnersCards: ReviewService["learnersCards"];
}) {
  const { prisma } = deps;

  return {
    /** The gradebook of a class the actor manages (its owner, or an admin; others: 404). */
    async gradebook(input: { actor: Actor; classId: string }): Promise<Gradebook> {
      const cls = await managedClassOf(prisma, input.actor, input.classId);
      const [members, exams, bankTopics, mock] = await Promise.all([
        membersOf(prisma, [cls.id]),
        deps.statistics.classExams({ classId: cls.id }),
        classBankTopics(prisma, cls.id),
        readinessExam(prisma),
      ]);
      // The topics: the public mock exam's, then the class's banks' and exams'.
      const topicPaths = [
        ...new Set([
          ...Object.keys(mock?.blueprint ?? {}),
          ...bankTopics,
          ...exams.flatMap((e) => [
            ...Object.keys((e.blueprint ?? {}) as Record<string, number>),
            ...e.topicPaths.map(rootOf),
          ]),
        ]),
      ];
      const userIds = members.map((m) => m.id);
      const [titles, attempts, answers, progress, cards] = await Promise.all([
        topLevelTopics(prisma, topicPaths),
        deps.statistics.submittedAttempts({ userIds, examIds: exams.map((e) => e.id) }),
        deps.statistics.lastAnswers({ userIds }),
        deps.learnersProgress({ userIds, topics: topicPaths }),
        deps.learnersCards({ userIds }),
      ]);
      const titleOf = new Map(titles.map((t) => [t.path, t.title]));
      const rows = new Map<string, GradebookRow>(
        members.map((m) => [
          m.id,
          {
            id: m.id,
            name: m.displayName,
            email: m.email,
            exams: new Map(),
            topics: new Map(),
            readiness: progress.readiness.get(m.id) ?? null,
            due: cards.due.get(m.id) ?? 0,
            lastActive: latest(answers.get(m.id), cards.lastReview.get(m.id)),
          },
        ]),
      );
      for (const a of attempts) {
        const row = rows.get(a.userId)!;
        const cell = row.exams.get(a.examId) ?? { attempts: 0, best: null, last: null, submitted: [] };
        cell.attempts += 1;
        cell.last = a.scorePercent;
        if (a.scorePercent !== null && (cell.best === null || a.scorePercent > cell.best)) cell.best = a.scorePercent;
        cell.submitted.push({ id: a.id, scorePercent: a.scorePercent, submittedAt: a.submittedAt });
        row.exams.set(a.examId, cell);
      }
      for (const m of progress.mastery) rows.get(m.userId)!.topics.set(m.topic, { mean: m.mean, answers: m.answers });
      return {
        cls: { id: cls.id, name: cls.name },
        exams: exams.map((e) => ({
          id: e.id,
          slug: e.slug,
          title: e.title,
          passMarkPercent: e.passMarkPercent,
          public: e.ownerId === null || e.public,
        })),
        topics: topicPaths.map((path) => ({ path, title: titleOf.get(path) ?? path })),
        rows: [...rows.values()],
        minAnswers: progress.minAnswers,
        passMarkPercent: mock?.passMarkPercent ?? null,
      };
    },
  };
}

export type GradebookService = ReturnType<typeof gradebookService>;
