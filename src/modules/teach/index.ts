export { teachService, PREVIEW_POLICY, UPLOAD_POLICY, type TeachService } from "./teach.service";
export { teachRoutes } from "./teach.routes";
export { uploadParser } from "./upload";
export { teachClassesRoutes } from "./classes.routes";
export { gradebookService, type GradebookService } from "./gradebook.service";
