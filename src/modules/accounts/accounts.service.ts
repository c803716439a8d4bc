// Accounts use cases: sign-up, sign-in with throttling, passwords, sessions, roles. Each is
// a file of its own in use-cases/, taking the deps and an options object; this factory binds
// the deps once. Authorisation is checked in the use cases (accounts.policy.ts), not only in routes.
import { TokenLeases } from "./token-leases";
import type { Actor, Role } from "../../actor";
import type { LimitPolicy } from "../../db";
import { authenticate, type AuthenticateOptions } from "./use-cases/authenticate";
import { createAccount, signUp, type SignUpOptions } from "./use-cases/create-account";
import type { AccountsDeps, SessionUser } from "./use-cases/deps";
import {
  listUsers,
  setDisabled,
  setRole,
  setRoleByEmail,
  type ListUsersOptions,
  type SetDisabledOptions,
  type SetRoleByEmailOptions,
  type SetRoleOptions,
} from "./use-cases/manage-users";
import {
  changePassword,
  signOutEverywhere,
  type ChangePasswordOptions,
  type SignOutEverywhereOptions,
} from "./use-cases/own-password";
import {
  authenticateToken,
  createToken,
  createTokenByEmail,
  listTokens,
  revokeToken,
  tokenSaveProof,
  type CreateTokenOptions,
  type TokenUser,
} from "./use-cases/tokens";
import {
  issueResetLink,
  requestPasswordReset,
  resetLinkAccount,
  resetPassword,
  type IssueResetLinkOptions,
  type ResetLink,
  type RequestPasswordResetOptions,
  type ResetPasswordOptions,
  type ResetTokenOptions,
} from "./use-cases/password-reset";
import {
  dailyLimits,
  setDailyLimits,
  type DailyLimits,
  desiredRetention,
  setDesiredRetention,
  type RetentionOptions,
  type SetDesiredRetentionOptions,
} from "./use-cases/retention";

export type { Actor, Role, SessionUser, AccountsDeps, TokenUser, ResetLink };

export function accountsService(given: Omit<AccountsDeps, "leases">) {
  const deps: AccountsDeps = { ...given, leases: new TokenLeases() };
  return {
    signUp: (input: SignUpOptions) => signUp(deps, input),
    createUser: (input: { email: string; displayName: string; password: string; role: Role }) =>
      createAccount(deps, input),
    authenticate: (input: AuthenticateOptions) => authenticate(deps, input),
    /** The limit for the password-reset flow to call before it sends anything. */
    allowPasswordReset: (input: { email: string; ip: string }) => deps.throttle.admitPasswordReset(input),
    issueResetLink: (input: IssueResetLinkOptions) => issueResetLink(deps, input),
    requestPasswordReset: (input: RequestPasswordResetOptions) => requestPasswordReset(deps, input),
    resetLinkAccount: (input: ResetTokenOptions) => resetLinkAccount(deps, input),
    resetPassword: (input: ResetPasswordOptions) => resetPassword(deps, input),
    /** Whether learners can ask for a reset link by email (SMTP configured). */
    resetByMail: () => deps.links?.mailer !== undefined,
    changePassword: (input: ChangePasswordOptions) => changePassword(deps, input),
    signOutEverywhere: (input: SignOutEverywhereOptions) => signOutEverywhere(deps, input),
    listUsers: (input: ListUsersOptions) => listUsers(deps, input),
    setRole: (input: SetRoleOptions) => setRole(deps, input),
    setDisabled: (input: SetDisabledOptions) => setDisabled(deps, input),
    setRoleByEmail: (input: SetRoleByEmailOptions) => setRoleByEmail(deps, input),
    desiredRetention: (input: RetentionOptions) => desiredRetention(deps, input),
    setDesiredRetention: (input: SetDesiredRetentionOptions) => setDesiredRetention(deps, input),
    createToken: (input: CreateTokenOptions) => createToken(deps, input),
    createTokenByEmail: (input: Omit<CreateTokenOptions, "userId"> & { email: string }) =>
      createTokenByEmail(deps, input),
    listTokens: (input: { userId: string }) => listTokens(deps, input),
    revokeToken: (input: { userId: string; tokenId: string }) => revokeToken(deps, input),
    authenticateToken: (input: { token: string }) => authenticateToken(deps, input),
    tokenSaveProof: (input: { token: string; limit: LimitPolicy }) => tokenSaveProof(deps, input),
    dailyLimits: (input: RetentionOptions) => dailyLimits(deps, input),
    setDailyLimits: (input: RetentionOptions & DailyLimits) => setDailyLimits(deps, input),
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
