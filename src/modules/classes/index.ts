export { classesService, type ClassesService } from "./classes.service";
export { classesRoutes } from "./classes.routes";
export { classIdsOf, classIdsOwnedBy, classIdsTaughtBy, membersOf, isMember } from "./classes.repo";
export { authorizeClass, canOnClass, type ClassAction } from "./classes.policy";
export { displayJoinCode } from "./codes";
export { classFor } from "./classes.repo";
export { managedClassOf } from "./class-access";
