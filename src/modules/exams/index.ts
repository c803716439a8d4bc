export {
  attemptsService,
  SQL_RUN_POLICY,
  type AttemptsService,
  type EssayAssessed,
  type GradedAttempt,
  type SqlRunView,
  type SubmitHook,
} from "./attempts.service";
export { examsService, type ExamsService } from "./exams.service";
export { attemptsRoutes, autosaveRoute, autosaveSignedOut, questionPageInSession } from "./attempts.routes";
export { examsRoutes, startInSessionRoute } from "./exams.routes";
export { parseExamDefinitions, type ExamDefinition } from "./definitions";
export { createRng } from "./rng";
export { answeredTimes, readinessExam, recentSubmitted } from "./attempts.repo";
export type { Rng } from "./rng";
export { allocate } from "./blueprint";
export { examSetupService, type ExamSetupService, type ExamSettings, type TopicChoice } from "./exam-setup.service";
export {
  statisticsService,
  type StatisticsService,
  type GradedAnswerRow,
  type SelfAssessmentCounts,
} from "./statistics.service";
export { formatDuration, remainingSeconds } from "./timer";
export { mayReview } from "./review-policy";
export { presentCheckedAnswer, type CheckedView } from "./attempts.presenter";
export { jsonAnswer, customQuizForm } from "./attempts.schemas";
export type { LearnerAnswer, TopicScore } from "./grading";
export { typedAnswerFeedback } from "./grading";
export { ESSAY_MAX, SELF_ASSESSMENTS, type SelfAssessment } from "./essay";
