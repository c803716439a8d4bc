export { attemptsService, type AttemptsService } from "./attempts.service";
export { examsService, type ExamsService } from "./exams.service";
export { attemptsRoutes } from "./attempts.routes";
export { examsRoutes } from "./exams.routes";
export { parseExamDefinitions, type ExamDefinition } from "./definitions";
export { createRng } from "./rng";
