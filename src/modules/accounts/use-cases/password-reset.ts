// Password reset by one-time link. A link carries 256 random bits; only their SHA-256 is
// stored (a fast hash is enough for a token nobody can guess, and lets the lookup be an
// index probe). A link works once, for 30 minutes; issuing a new one or using one retires
// the account's other links, and a reset ends every session of the account. Links reach a
// person two ways: an admin hands one over (the page or the command line), or, with SMTP
// configured, a learner asks for one by email; that answer is the same whether or not the
// address has an account, and the requests are limited per address and per account.
import { createHash, randomBytes } from "node:crypto";
import type { Actor, Operator } from "../../../actor";
import { Conflict, Invalid, NotFound } from "../../../errors";
import { endSessionsOf } from "../../sessions";
import { authorizeAccounts } from "../accounts.policy";
import { hashPassword } from "../passwords";
import { passwordProblem } from "../password-policy";
import type { AccountsDeps } from "./deps";

export const RESET_LINK_MINUTES = 30;
const RESET_PATH = "/password-reset/";

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

export type ResetLink = { email: string; url: string; expiresAt: Date };

async function newLink(deps: AccountsDeps, user: { id: string; email: string }): Promise<ResetLink> {
  if (!deps.links) throw new Error("reset links need the site's base URL");
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + RESET_LINK_MINUTES * 60_000);
  await deps.prisma.$transaction([
    deps.prisma.passwordReset.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } }),
    deps.prisma.passwordReset.create({ data: { userId: user.id, tokenHash: digest(token), expiresAt } }),
  ]);
  return { email: user.email, url: new URL(`${RESET_PATH}${token}`, deps.links.baseUrl).toString(), expiresAt };
}

export type IssueResetLinkOptions = { actor: Actor | Operator } & ({ userId: string } | { email: string });

/** A link for an admin (or the operator at the command line) to hand to the account's owner. */
export async function issueResetLink(deps: AccountsDeps, input: IssueResetLinkOptions): Promise<ResetLink> {
  if (input.actor !== "operator") authorizeAccounts(input.actor, "issue-reset-link");
  const where = "userId" in input ? { id: input.userId } : { email: input.email };
  const user = await deps.prisma.user.findUnique({ where, select: { id: true, email: true, disabledAt: true } });
  if (!user) throw new NotFound("email" in input ? `No user with the email ${input.email}.` : "No such user.");
  if (user.disabledAt) throw new Conflict("That account is disabled: enable it before issuing a reset link.");
  return newLink(deps, user);
}

export type RequestPasswordResetOptions = { email: string; ip: string };

/**
 * A learner asks for a link by email. Counted first (TooManyRequests past the limits, known
 * and unknown addresses alike); the mail goes out in the background, so the answer and its
 * timing are the same whether or not the account exists.
 */
export async function requestPasswordReset(deps: AccountsDeps, input: RequestPasswordResetOptions): Promise<void> {
  const mailer = deps.links?.mailer;
  if (!mailer) throw new Conflict("Password-reset mail is not set up here. Ask an administrator for a reset link.");
  await deps.throttle.admitPasswordReset(input);
  const user = await deps.prisma.user.findUnique({
    where: { email: input.email },
    select: { id: true, email: true, displayName: true, disabledAt: true },
  });
  if (!user || user.disabledAt) return;
  const link = await newLink(deps, user);
  mailer.send({
    to: user.email,
    subject: "Reset your Stackprep password",
    text: [
      `Hello ${user.displayName},`,
      "",
      "Someone (we hope you) asked to reset the password of your Stackprep account.",
      `Open this link within ${RESET_LINK_MINUTES} minutes to choose a new password:`,
      "",
      link.url,
      "",
      "The link works once. If you did not ask for it, ignore this mail: your password stays as it is.",
    ].join("\n"),
  });
}

const unusable = () =>
  new NotFound("This reset link is not valid: it has expired, was already used, or a newer one was issued.");

async function liveReset(deps: AccountsDeps, token: string) {
  const reset = await deps.prisma.passwordReset.findUnique({
    where: { tokenHash: digest(token) },
    select: { id: true, usedAt: true, expiresAt: true, user: { select: { id: true, email: true, disabledAt: true } } },
  });
  if (!reset || reset.usedAt || reset.expiresAt <= deps.clock.now() || reset.user.disabledAt) throw unusable();
  return reset;
}

export type ResetTokenOptions = { token: string };

/** The account a live link is for (NotFound when the link cannot be used). */
export async function resetLinkAccount(deps: AccountsDeps, input: ResetTokenOptions): Promise<{ email: string }> {
  const reset = await liveReset(deps, input.token);
  return { email: reset.user.email };
}

export type ResetPasswordOptions = ResetTokenOptions & { newPassword: string };

/** Sets the new password (which must pass the policy), uses the link up and ends every session. */
export async function resetPassword(deps: AccountsDeps, input: ResetPasswordOptions): Promise<{ email: string }> {
  const reset = await liveReset(deps, input.token);
  const problem = passwordProblem(input.newPassword, { email: reset.user.email });
  if (problem) throw new Invalid("Choose a different password.", [{ field: "newPassword", message: problem }]);
  const passwordHash = await hashPassword(input.newPassword);
  const now = deps.clock.now();
  await deps.prisma.$transaction(async (tx) => {
    // Claimed by one conditional update: of two requests racing with the same link, one wins.
    const claimed = await tx.passwordReset.updateMany({
      where: { id: reset.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) throw unusable();
    await tx.passwordReset.updateMany({ where: { userId: reset.user.id, usedAt: null }, data: { usedAt: now } });
    await tx.user.update({ where: { id: reset.user.id }, data: { passwordHash } });
    await endSessionsOf(tx, reset.user.id);
  });
  return { email: reset.user.email };
}
