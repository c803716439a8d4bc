export { accountsService, type AccountsService, type SessionUser, type Role, type Actor } from "./accounts.service";
export { accountsRoutes } from "./accounts.routes";
export { adminRoutes } from "./admin.routes";
export { createPassport } from "./passport";
export { deviceCookie } from "./device-cookie";
export { signInThrottle } from "./sign-in-throttle";
export { passwordProblem } from "./password-policy";
export { email as emailSchema, roleName } from "./accounts.schemas";
