// Read access to graded answers for item statistics, and to a class's attempts for its
// gradebook; the caller (teach) has already checked that the actor manages the bank these
// question versions belong to, or the class these learners are in.
import type { Db } from "../../db";
import { classExams } from "./exam-access";
import { assessmentCounts, type SelfAssessment } from "./essay";
import {
  gradedAnswers,
  gradedAnswersOfExam,
  lastAnswers,
  selfAssessmentsOf,
  submittedAttemptsOf,
} from "./statistics.repo";

export type SelfAssessmentCounts = Record<SelfAssessment, number> & { total: number };

export function statisticsService(deps: { prisma: Db }) {
  return {
    gradedAnswers: (input: { questionVersionIds: string[] }) =>
      input.questionVersionIds.length ? gradedAnswers(deps.prisma, input.questionVersionIds) : Promise.resolve([]),
    /**
     * Essays' item statistics: how many learners assessed themselves each way, by question id
     * (never a difficulty: essays have no score). The caller has checked the bank, as above.
     */
    selfAssessments: async (input: { questionVersionIds: string[] }): Promise<Map<string, SelfAssessmentCounts>> => {
      if (!input.questionVersionIds.length) return new Map();
      const rows = await selfAssessmentsOf(deps.prisma, input.questionVersionIds);
      const byQuestion = new Map<string, typeof rows>();
      for (const r of rows) byQuestion.set(r.questionId, [...(byQuestion.get(r.questionId) ?? []), r]);
      return new Map([...byQuestion].map(([id, list]) => [id, assessmentCounts(list)]));
    },
    /** The caller has checked that the actor manages the exam (exam setup's managedExam). */
    gradedAnswersOfExam: (input: { examId: string }) => gradedAnswersOfExam(deps.prisma, input.examId),
    /** The exams a class's gradebook lists: shared with it, and the public mock exams. */
    classExams: (input: { classId: string }) => classExams(deps.prisma, input.classId),
    /** The learners' submitted attempts of these exams, oldest first. */
    submittedAttempts: (input: { userIds: string[]; examIds: string[] }) => submittedAttemptsOf(deps.prisma, input),
    /** Each learner's latest saved answer. */
    lastAnswers: (input: { userIds: string[] }) => lastAnswers(deps.prisma, input.userIds),
  };
}

export type StatisticsService = ReturnType<typeof statisticsService>;
export type { GradedAnswerRow } from "./statistics.repo";
