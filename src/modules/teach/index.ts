export { teachService, UPLOAD_POLICY, type TeachService } from "./teach.service";
export { examSetupService } from "./exam-setup.service";
export { teachRoutes } from "./teach.routes";
export { uploadParser } from "./upload";
export { bankItemStatistics } from "./item-stats.service";
