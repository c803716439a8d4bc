// Progress: mastery updated in the grading transaction (O(1) per answer), readiness for the
// mock exam computed once per graded attempt and stored, and the dashboard's reads.
import { latestSnapshotsOf, lockLearnerProgress, masteriesOf, writeMasteries } from "./progress.repo";
import type { Clock } from "../../clock";
import type { Db, Prisma } from "../../db";
import { catalogueService, topLevelTopics } from "../banks";
import { allocate, answeredTimes, createRng, readinessExam, recentSubmitted, type GradedAttempt } from "../exams";
import { answeredCount, initialMastery, masteryEstimate, updateMastery, type MasteryState } from "./mastery";
import { EARLY_ANSWERS_PER_TOPIC, MIN_ANSWERS_PER_TOPIC, readiness, snapshotFields } from "./readiness";

type Tx = Prisma.TransactionClient;
const rootOf = (path: string) => path.split("/")[0]!;
type MasteryRow = { alpha: number; beta: number; answers: number; blanks: number; lastAt: Date };
const toState = (row: MasteryRow): MasteryState => ({
  alpha: row.alpha,
  beta: row.beta,
  answers: row.answers,
  blanks: row.blanks,
  lastAt: row.lastAt.getTime(),
});

/** The exam's difficulty quota as readiness's mix: every form has exactly that mix. */
function difficultyMixOf(q: Record<string, number> | null) {
  if (!q || !((q["1"] ?? 0) + (q["2"] ?? 0) + (q["3"] ?? 0) > 0)) return {};
  return { difficultyMix: { 1: q["1"] ?? 0, 2: q["2"] ?? 0, 3: q["3"] ?? 0 } };
}

/** A stored snapshot's status (any other value reads as not enough data). */
export type ReadinessStatus = "ready" | "early" | "not-enough-data";
const readinessStatus = (status: string): ReadinessStatus =>
  status === "ready" || status === "early" ? status : "not-enough-data";

export function progressService(deps: { prisma: Db; clock: Clock }) {
  const { prisma, clock } = deps;

  /** The top-level topics of the banks that reach the learner. */
  const reachableTopics = async (userId: string) =>
    new Set((await catalogueService({ prisma }).topicSummaries({ userId })).map((t) => t.path));

  return {
    /**
     * Several learners' progress at once (a class's gradebook, in two reads): mastery per
     * top-level topic (the estimate's mean, decayed to now, and the answers behind it) and the
     * latest readiness for the public mock exam. Callers have checked that the actor teaches them.
     */
    async learnersProgress(input: { userIds: string[]; topics: string[] }) {
      const now = clock.now().getTime();
      const [rows, snapshots] = await Promise.all([
        input.topics.length && input.userIds.length ? masteriesOf(prisma, input) : Promise.resolve([]),
        input.userIds.length ? latestSnapshotsOf(prisma, input.userIds) : Promise.resolve([]),
      ]);
      return {
        mastery: rows.map((r) => ({
          userId: r.userId,
          topic: r.topicPath,
          answers: r.answers,
          mean: masteryEstimate(toState(r), now).mean,
        })),
        readiness: new Map(
          snapshots.map((s) => [
            s.userId,
            { ready: s.status === "ready", predictedPercent: s.predictedPercent, pPass: s.pPass, at: s.at },
          ]),
        ),
        minAnswers: MIN_ANSWERS_PER_TOPIC,
      };
    },

    /**
     * Hook for the grading transaction: fold each graded answer into its topic's mastery. A
     * question left blank in a timed exam is folded in as a blank (weaker evidence); in
     * practice mode a blank counts as a wrong answer, as before.
     */
    async recordGradedAttempt(tx: Tx, graded: GradedAttempt): Promise<void> {
      const topics = [...new Set(graded.items.map((i) => rootOf(i.topicPath)))];
      // Two submissions of one learner at once fold in one after the other. A row lock cannot
      // do it: a topic's first answers have no row yet, so both would read nothing and the
      // later upsert would overwrite the earlier. The lock is the learner's, held to commit.
      await lockLearnerProgress(tx, graded.userId);
      // Every topic of the learner in one read: the attempt's topics change, readiness needs all.
      const rows = await tx.topicMastery.findMany({ where: { userId: graded.userId } });
      const all = new Map<string, MasteryState>(rows.map((r) => [r.topicPath, toState(r)]));
      const states = new Map<string, MasteryState>(topics.flatMap((t) => (all.has(t) ? [[t, all.get(t)!]] : [])));
      for (const item of graded.items) {
        const topic = rootOf(item.topicPath);
        states.set(
          topic,
          updateMastery(states.get(topic) ?? initialMastery(), {
            score: item.score,
            difficulty: item.difficulty,
            at: graded.at.getTime(),
            blank: graded.mode === "timed" && !item.answered,
          }),
        );
      }
      await writeMasteries(
        tx,
        graded.userId,
        [...states].map(([topicPath, s]) => ({
          topicPath,
          alpha: s.alpha,
          beta: s.beta,
          answers: s.answers,
          blanks: s.blanks ?? 0,
          lastAt: new Date(s.lastAt),
        })),
      );
      for (const [topicPath, s] of states) all.set(topicPath, s);
      const exam = await readinessExam(tx);
      if (!exam?.blueprint) return;
      const result = readiness({
        // As the exam draws its forms: weights become counts with the exam's tie-break.
        blueprint: allocate(exam.questionCount, exam.blueprint, exam.slug),
        questionCount: exam.questionCount,
        passMarkPercent: exam.passMarkPercent,
        topics: Object.fromEntries(all),
        ...difficultyMixOf(exam.difficultyQuota),
        rng: createRng(graded.attemptId),
        now: graded.at.getTime(),
      });
      await tx.readinessSnapshot.create({
        data: { userId: graded.userId, attemptId: graded.attemptId, at: graded.at, ...snapshotFields(result) },
      });
    },

    /**
     * What the home page says of progress: the latest readiness snapshot, the weakest topic
     * with enough answers to tell, and the days since `since` on which questions were answered.
     */
    async homeSummary(input: { userId: string; since: Date }) {
      const [exam, snapshot, masteries, topics, answered] = await Promise.all([
        readinessExam(prisma),
        prisma.readinessSnapshot.findFirst({ where: { userId: input.userId }, orderBy: { at: "desc" } }),
        prisma.topicMastery.findMany({ where: { userId: input.userId } }),
        topLevelTopics(prisma),
        answeredTimes(prisma, input.userId, input.since),
      ]);
      const now = clock.now().getTime();
      const titles = new Map(topics.map((t) => [t.path, t.title]));
      // The next step is a topic the learner can still practise (not one of a class they left).
      const reachable = await reachableTopics(input.userId);
      const weakest = masteries
        .filter((m) => reachable.has(m.topicPath))
        .map((m) => ({ path: m.topicPath, mean: masteryEstimate(toState(m), now).mean }))
        .sort((a, b) => a.mean - b.mean)[0];
      return {
        readiness: snapshot && {
          status: readinessStatus(snapshot.status),
          predictedPercent: snapshot.predictedPercent,
          predictedLow: snapshot.predictedLow,
          predictedHigh: snapshot.predictedHigh,
          pPass: snapshot.pPass,
          missingTopics: snapshot.missingTopics.map((p) => titles.get(p) ?? p),
          at: snapshot.at,
        },
        passMark: exam?.passMarkPercent ?? null,
        weakest: weakest ? { path: weakest.path, title: titles.get(weakest.path) ?? weakest.path } : null,
        answeredAt: answered,
      };
    },

    /** Everything the dashboard shows, in a handful of indexed reads. */
    async dashboard(input: { userId: string }) {
      const now = clock.now();
      const [exam, masteries, snapshots, attempts, topics] = await Promise.all([
        readinessExam(prisma),
        prisma.topicMastery.findMany({ where: { userId: input.userId } }),
        prisma.readinessSnapshot.findMany({ where: { userId: input.userId }, orderBy: { at: "desc" }, take: 30 }),
        recentSubmitted(prisma, input.userId, 10),
        topLevelTopics(prisma),
      ]);
      const byPath = new Map(masteries.map((m) => [m.topicPath, m]));
      const titles = new Map(topics.map((t) => [t.path, t.title]));
      const blueprint = exam?.blueprint ?? {};
      const reachable = await reachableTopics(input.userId);
      // The exam's topics, and any other topic that reaches the learner and they have answered
      // questions in (the mastery of a class's topic they left is kept, not shown).
      const examTopics = [
        ...new Set([
          ...(Object.keys(blueprint).length ? Object.keys(blueprint) : [...reachable]),
          ...masteries.map((m) => m.topicPath).filter((p) => reachable.has(p)),
        ]),
      ];
      const topicRows = examTopics.map((path) => {
        const row = byPath.get(path);
        const state = row ? toState(row) : null;
        const estimate = state ? masteryEstimate(state, now.getTime()) : null;
        const answers = state ? answeredCount(state) : 0;
        return {
          path,
          title: titles.get(path) ?? path,
          answers,
          blanks: row?.blanks ?? 0,
          enough: answers >= MIN_ANSWERS_PER_TOPIC,
          mean: estimate?.mean ?? null,
          low: estimate?.low ?? null,
          high: estimate?.high ?? null,
        };
      });
      return {
        now,
        exam,
        topics: topicRows,
        snapshots: snapshots.reverse().map((s) => ({ ...s, status: readinessStatus(s.status) })),
        attempts,
        minAnswers: MIN_ANSWERS_PER_TOPIC,
        earlyAnswers: EARLY_ANSWERS_PER_TOPIC,
      };
    },
  };
}

export type ProgressService = ReturnType<typeof progressService>;
