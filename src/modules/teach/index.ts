export { teachService, UPLOAD_POLICY, type TeachService } from "./teach.service";
export { teachRoutes } from "./teach.routes";
export { uploadParser } from "./upload";
export { teachClassesRoutes } from "./classes.routes";
