// Use case: save one answer of an open attempt.
import type { Prisma } from "../../../db";
import { Conflict, Invalid, NotFound } from "../../../errors";
import { saveAnswerStatement, saveRefusal, type SaveActor } from "../attempts.repo";
import { authorizeAttempt } from "../exams.policy";
import type { LearnerAnswer } from "../grading";
import { SAVE_GRACE_MS } from "../timer";
import type { AttemptsDeps } from "./deps";
import { submitAttempt } from "./submit-attempt";

export type SaveAnswerOptions = {
  attemptId: string;
  position: number;
  /** The page's sequence number for this question: a save with an older one is refused. */
  seq: number;
  response: LearnerAnswer | null;
  flagged: boolean;
};

/**
 * Saves one answer. Refused after the deadline (plus grace), for a stale sequence number
 * (an older tab), or once submitted; a save racing a submission is either in the grading
 * or refused (attempts.repo.ts says how).
 */
export async function saveAnswer(deps: AttemptsDeps, input: SaveAnswerOptions & { userId: string }) {
  const result = await save(deps, { ...input, actor: { userId: input.userId } });
  return result!;
}

/**
 * The same save for a request that has not loaded its session: the statement itself
 * proves the session (web/session.ts SessionProof). null when it proves nothing, and
 * nothing was written: the caller then takes the ordinary, fully checked path.
 */
export function saveAnswerInSession(deps: AttemptsDeps, input: SaveAnswerOptions & { session: Prisma.Sql }) {
  return save(deps, { ...input, actor: { session: input.session } });
}

/**
 * The same save for an API request proved by its token inside the statement (accounts'
 * tokenSaveProof). null when the proof shows nobody (the caller takes the ordinary path).
 */
export function saveAnswerWithProof(
  deps: AttemptsDeps,
  input: SaveAnswerOptions & { proof: { ctes: Prisma.Sql; name: string } },
) {
  return save(deps, { ...input, actor: { proof: input.proof } });
}

async function save(
  deps: AttemptsDeps,
  input: SaveAnswerOptions & { actor: SaveActor },
): Promise<{ saved: true; seq: number } | null> {
  const now = deps.clock.now();
  const ids = input.response ? responseIds(input.response) : [];
  if (new Set(ids).size !== ids.length) {
    if (!("userId" in input.actor)) return null; // answered on the ordinary path, after its own checks
    throw new Invalid("Each option or item can be chosen once.");
  }
  const response = input.response ? { type: input.response.type, ids, json: JSON.stringify(input.response) } : null;
  const outcome = await saveAnswerStatement(deps.pool, { ...input, response, now, graceMs: SAVE_GRACE_MS });
  if (!outcome.actorId) return null;
  if (outcome.saved) return { saved: true, seq: input.seq };
  const refusal = await saveRefusal(deps.prisma, { ...input, now, graceMs: SAVE_GRACE_MS });
  if (!refusal.found || !refusal.userId) throw new NotFound("There is no such attempt.");
  authorizeAttempt({ id: outcome.actorId }, { userId: refusal.userId });
  const submitted = new Conflict("This attempt has been submitted; answers can no longer change.", "attempt_submitted");
  if (refusal.status !== "open") throw submitted;
  if (refusal.late) {
    await submitAttempt(deps, { attemptId: input.attemptId, by: "deadline" });
    throw new Conflict(
      `Time is up: answers are accepted until the deadline (plus ${SAVE_GRACE_MS / 1000} seconds for answers already on their way). Your attempt was submitted with the answers saved before then.`,
      "deadline_passed",
    );
  }
  if (!refusal.itemFound) throw new NotFound("There is no such question in this attempt.");
  if (refusal.checked) throw new Conflict("This answer was checked: it can no longer change.", "answer_checked");
  if (input.response) checkResponse(refusal.type ?? "", refusal.displayOrder ?? [], input.response);
  // Refused, yet everything but the sequence number fits as things stand: if that fits too,
  // the item was graded (a submission's scores, seen by the statement's re-check).
  if (refusal.itemSeq === null || refusal.itemSeq < input.seq) throw submitted;
  throw new Conflict(
    "A newer answer to this question was already saved (from another tab?). Reload the page to see it.",
    "stale_answer",
  );
}

/** The ids an answer names; a matching answer may give two prompts the same answer, so each id once. */
const responseIds = (r: LearnerAnswer): string[] =>
  r.type === "single"
    ? [r.optionId]
    : r.type === "multiple"
      ? r.optionIds
      : r.type === "ordering"
        ? r.itemIds
        : r.type === "matching"
          ? [...new Set(r.pairs.flatMap((p) => [p.prompt, p.match]))]
          : r.type === "gap"
            ? r.fills.flatMap((f) => ("optionId" in f ? [f.optionId] : []))
            : [];

/** A response must fit the question's type and name only options it showed. */
export function checkResponse(type: string, shown: string[], response: LearnerAnswer): void {
  if (response.type !== type) throw new Invalid(`This question expects a ${type} answer.`);
  const known = new Set(shown);
  if (responseIds(response).some((id) => !known.has(id)))
    throw new Invalid("That answer names an option this question does not have.");
  if (
    response.type === "ordering" &&
    (response.itemIds.length !== shown.length || new Set(response.itemIds).size !== shown.length)
  ) {
    throw new Invalid("Put every item in a place of its own.");
  }
}
