export {
  accountsService,
  type AccountsService,
  type SessionUser,
  type Role,
  type Actor,
  type TokenUser,
} from "./accounts.service";
export { accountsRoutes, hint as accountHint } from "./accounts.routes";
export { tokensRoutes } from "./tokens.routes";
export { adminRoutes } from "./admin.routes";
export { passwordResetRoutes } from "./password-reset.routes";
export { createPassport, sessionUserOf } from "./passport";
export { deviceCookie } from "./device-cookie";
export { signInThrottle } from "./sign-in-throttle";
export { passwordProblem } from "./password-policy";
export { email as emailSchema, roleName } from "./accounts.schemas";
export { TOKEN_PATTERN } from "./tokens";
export { activeAccountByEmail } from "./users.repo";
