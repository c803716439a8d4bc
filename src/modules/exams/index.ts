export { attemptsService, type AttemptsService, type GradedAttempt, type SubmitHook } from "./attempts.service";
export { examsService, type ExamsService } from "./exams.service";
export { attemptsRoutes, autosaveRoute } from "./attempts.routes";
export { examsRoutes } from "./exams.routes";
export { parseExamDefinitions, type ExamDefinition } from "./definitions";
export { createRng } from "./rng";
export type { Rng } from "./rng";
export { allocate } from "./blueprint";
