import type { Db, Prisma } from "../../../db";
import { NotFound } from "../../../errors";
import { attemptWithExam } from "../attempts.repo";
import { authorizeAttempt } from "../exams.policy";

/** The attempt with its exam when it belongs to the user; another user's (or none): 404. */
export async function ownAttempt(client: Db | Prisma.TransactionClient, attemptId: string, userId: string) {
  const attempt = await attemptWithExam(client, attemptId);
  if (!attempt) throw new NotFound("There is no such attempt.");
  authorizeAttempt({ id: userId }, attempt);
  return attempt;
}
