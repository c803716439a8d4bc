export { progressService, type ProgressService } from "./progress.service";
export { progressRoutes } from "./progress.routes";
export { MIN_ANSWERS_PER_TOPIC } from "./readiness";
