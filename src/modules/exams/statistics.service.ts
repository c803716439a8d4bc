// Read access to graded answers for item statistics; the caller (teach) has already checked
// that the actor manages the bank these question versions belong to.
import type { Db } from "../../db";
import { gradedAnswers, gradedAnswersOfExam } from "./statistics.repo";

export function statisticsService(deps: { prisma: Db }) {
  return {
    gradedAnswers: (input: { questionVersionIds: string[] }) =>
      input.questionVersionIds.length ? gradedAnswers(deps.prisma, input.questionVersionIds) : Promise.resolve([]),
    /** The caller has checked that the actor manages the exam (exam setup's managedExam). */
    gradedAnswersOfExam: (input: { examId: string }) => gradedAnswersOfExam(deps.prisma, input.examId),
  };
}

export type StatisticsService = ReturnType<typeof statisticsService>;
export type { GradedAnswerRow } from "./statistics.repo";
