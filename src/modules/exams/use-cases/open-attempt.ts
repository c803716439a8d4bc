// Use case: the open attempt for its question pages.
import { NotFound } from "../../../errors";
import { shownVersion, shownVersions, versionExplanation } from "../../banks";
import type { Prisma } from "../../../db";
import { attemptWithItems, attemptWithItemsInSession } from "../attempts.repo";
import { authorizeAttempt, canOnAttempt } from "../exams.policy";
import { isOverdue } from "../timer";
import type { AttemptsDeps } from "./deps";
import { submitAttempt } from "./submit-attempt";

export type OpenAttemptOptions = {
  attemptId: string;
  userId: string;
  /** The position to show, the first unanswered one, or none (the summary). */
  show?: number | "first-unanswered";
  /** Also every item's shown version (stem and options, never the explanation): for the API. */
  allVersions?: boolean;
};

/**
 * The open attempt for its pages: every item's state (for the jump list and summary) and,
 * when asked, the version of the one question to show: stem and options only, never the
 * explanation (but for an answer checked in practice mode). `show` past the last question gives no shown item (the summary comes next).
 * An overdue attempt is submitted instead.
 */
export async function openAttempt(deps: AttemptsDeps, input: OpenAttemptOptions) {
  // The attempt, its exam and its items in one read: a sitting shows some 60 of these pages.
  const found = await attemptWithItems(deps.pool, input.attemptId);
  if (!found) throw new NotFound("There is no such attempt.");
  authorizeAttempt({ id: input.userId }, found);
  return openFound(deps, found, input);
}

/**
 * openAttempt for a question page that has not loaded its session: the session is read in the
 * attempt's statement (web/session.ts SessionRead) and `accept` says what it is worth to the
 * page. null, having written nothing, when the session selects nothing or is not accepted,
 * when the attempt is not there or not theirs, or when it is not open or overdue: the caller
 * then takes the ordinary path, which answers all of these as always (404, the result, the
 * submission of an overdue attempt).
 */
export async function openAttemptInSession<S extends { userId: string }>(
  deps: AttemptsDeps,
  input: Omit<OpenAttemptOptions, "userId" | "allVersions"> & {
    session: Prisma.Sql;
    accept: (stored: unknown) => S | null;
  },
) {
  // A numbered page needs only its own item whole; the first unanswered one is looked for among all.
  const show = typeof input.show === "number" ? input.show : null;
  const row = await attemptWithItemsInSession(deps.pool, input.attemptId, input.session, show);
  if (!row) return null;
  const session = input.accept(row.session);
  if (!session || !canOnAttempt({ id: session.userId }, row.found)) return null;
  if (row.found.status !== "open" || isOverdue(row.found.deadlineAt, deps.clock.now())) return null;
  return { session, open: await openFound(deps, row.found, input) };
}

async function openFound(
  deps: AttemptsDeps,
  found: NonNullable<Awaited<ReturnType<typeof attemptWithItems>>>,
  input: Pick<OpenAttemptOptions, "show" | "allVersions">,
) {
  const { prisma, clock } = deps;
  const { items, states, ...attempt } = found;
  if (attempt.status === "open" && isOverdue(attempt.deadlineAt, clock.now())) {
    await submitAttempt(deps, { attemptId: attempt.id, by: "deadline" });
    return { submitted: true as const };
  }
  if (attempt.status === "submitted") return { submitted: true as const };
  const position =
    input.show === "first-unanswered"
      ? (items.find((i) => i.response === null && !i.checkedAt)?.position ?? 1)
      : input.show;
  const item = position === undefined ? undefined : items.find((i) => i.position === position);
  const version = item ? await shownVersion(prisma, item.questionVersionId) : null;
  const versions = input.allVersions
    ? await shownVersions(
        prisma,
        items.map((i) => i.questionVersionId),
      )
    : undefined;
  // Practice: a checked answer shows its explanation; an unchecked one shows nothing more.
  const explanationHtml =
    attempt.mode === "practice" && item?.checkedAt ? await versionExplanation(prisma, item.questionVersionId) : null;
  return {
    submitted: false as const,
    attempt,
    items,
    states,
    versions,
    shown: item && version ? { item, version, explanationHtml } : null,
    now: clock.now(),
  };
}
