export { classesService, type ClassesService } from "./classes.service";
export { classesRoutes } from "./classes.routes";
export { classIdsOf, membersOf, isMember } from "./classes.repo";
export { authorizeClass, canOnClass, type ClassAction } from "./classes.policy";
export { displayJoinCode } from "./codes";
export { classFor } from "./classes.repo";
