// Question pages, autosave, summary, submission and result of an attempt.
import { Router, type Request, type RequestHandler, type Response } from "express";
import { Conflict, Invalid } from "../../errors";
import { flash } from "../../web/flash";
import { requireUser } from "../../web/auth";
import { sendProblem } from "../../web/errors";
import { parseRequest, route } from "../../web/pipeline";
import { setViewLocals } from "../../web/locals";
import type { SessionProof, SessionRead } from "../../web/session";
import type { AttemptsService } from "./attempts.service";
import {
  answerFromJson,
  attemptParams,
  pageQuery,
  parseAnswer,
  resultQuery,
  selfAssessmentForm,
  sqlRunBody,
} from "./attempts.schemas";
import { presentQuestion, presentResult, presentSummary } from "./attempts.presenter";
import { mayReview } from "./review-policy";

/** Refusals that mean the attempt is over: a form post then leads to the result. */
const ENDED = new Set(["deadline_passed", "attempt_submitted"]);

const wantsJson = (req: Request) => req.is("application/json") === "application/json";

/** Where a plain form post goes next: the button the learner pressed. Past the last question
 * the question page itself sends on to the summary, so the save needs no second read. */
function nextPage(attemptId: string, position: number, go: string | undefined): string {
  if (go === "summary") return `/attempts/${attemptId}/summary`;
  const target =
    go === "next" ? position + 1 : go === "prev" ? position - 1 : /^\d+$/.test(go ?? "") ? Number(go) : position;
  return `/attempts/${attemptId}?q=${Math.max(1, target)}`;
}

/**
 * Autosave, the busiest request of a sitting, without loading the session first: mounted
 * before the session middleware, it saves a JSON answer in one statement that also proves the
 * session (signed cookie, live row, CSRF token, timeouts). Whatever it cannot settle that way
 * (no cookie or token, a session that proves nothing, a body that does not parse) goes on to
 * the ordinary route below, which checks everything again and answers as always.
 */
const AUTOSAVE_PATH = /^\/attempts\/([^/]+)\/answers\/?$/;

export function autosaveRoute(deps: {
  attempts: AttemptsService;
  proof: (req: Request) => SessionProof | undefined;
}): RequestHandler {
  // A plain middleware with one pattern rather than a Router: it sees every request.
  return async (req, res, next) => {
    if (req.method !== "POST") return next();
    const path = AUTOSAVE_PATH.exec(req.path);
    if (!path || !wantsJson(req)) return next();
    const params = attemptParams.safeParse({ id: path[1] });
    const answer = answerFromJson(req.body);
    if (!params.success || !answer) return next();
    const proof = deps.proof(req);
    if (!proof) return next();
    const saved = await deps.attempts.saveAnswerInSession({
      attemptId: params.data.id,
      session: proof.sql,
      position: answer.position,
      seq: answer.seq,
      response: answer.response,
      flagged: answer.flagged,
    });
    if (!saved) return next();
    // What res.json sends, without an ETag or a freshness check (Cache-Control is set for
    // every signed-in request by privateResponses).
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.end(JSON.stringify(saved));
  };
}

/**
 * A question page of a sitting, the other request a learner makes some 60 times an exam, without
 * loading the session first: mounted before the session middleware, it reads the session in the
 * attempt's own statement (web/session.ts SessionRead: a signed-in session, live, no last-seen
 * refresh due) and `accept` takes from it what the page needs (the user, the CSRF token of its
 * forms, no flash message waiting). Whatever it cannot settle that way (no cookie, a session it
 * does not accept, an attempt not found, not theirs, submitted or overdue) goes on to the
 * ordinary route below, which checks everything again and answers as always.
 */
const QUESTION_PAGE_PATH = /^\/attempts\/([^/]+)\/?$/;

export function questionPageInSession(deps: {
  attempts: AttemptsService;
  read: (req: Request) => SessionRead | undefined;
  accept: (stored: unknown) => { userId: string; user: Express.User; csrfToken: string } | null;
}): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== "GET") return next();
    const path = QUESTION_PAGE_PATH.exec(req.path);
    if (!path || !req.accepts("html")) return next();
    const params = attemptParams.safeParse({ id: path[1] });
    const query = pageQuery.safeParse(req.query);
    if (!params.success || !query.success) return next();
    const read = deps.read(req);
    if (!read) return next();
    const found = await deps.attempts.openAttemptInSession({
      attemptId: params.data.id,
      session: read.sql,
      show: query.data.q ?? "first-unanswered",
      accept: deps.accept,
    });
    if (!found) return next();
    // What passport, the CSRF middleware and viewLocals give the ordinary route's page.
    req.user = found.session.user;
    const { csrfToken } = found.session;
    res.locals.csrf = () => csrfToken;
    setViewLocals(req, res);
    showQuestion(res, params.data.id, found.open);
  };
}

/** A question page of an open attempt; past the last question the summary, once submitted the result. */
function showQuestion(res: Response, id: string, open: Awaited<ReturnType<AttemptsService["openAttempt"]>>) {
  if (open.submitted) return res.redirect(303, `/attempts/${id}/result`);
  if (!open.shown) return res.redirect(303, `/attempts/${id}/summary`);
  const view = presentQuestion(open.attempt, open.states, open.shown, open.now);
  res.render("attempts/question", { title: `Question ${view.position} of ${view.total}`, question: view });
}

/**
 * A JSON save from a request with no signed-in session (signed out, expired, its row gone):
 * 401 with a code the page script acts on, before the CSRF check, which such a session (no
 * token) would fail with a 403 that says nothing useful. Mounted after the session
 * middleware and before csrfProtection; nothing is written either way.
 */
export const autosaveSignedOut: RequestHandler = (req, res, next) => {
  if (req.method !== "POST" || req.user || !wantsJson(req) || !AUTOSAVE_PATH.test(req.path)) return next();
  sendProblem(req, res, {
    status: 401,
    message: "You are signed out. Sign in again to save this answer.",
    details: [],
    code: "unauthenticated",
  });
};

export function attemptsRoutes(deps: { attempts: AttemptsService }): Router {
  const { attempts } = deps;
  const router = Router();
  router.use("/attempts", requireUser);
  // Pages of an open attempt are never cached nor restored from history with stale state:
  // privateResponses marks every signed-in response no-store.

  router.get(
    "/attempts/:id",
    route({ params: attemptParams, query: pageQuery }, async ({ params: { id }, query: { q } }, req, res) => {
      const open = await attempts.openAttempt({ attemptId: id, userId: req.user!.id, show: q ?? "first-unanswered" });
      showQuestion(res, id, open);
    }),
  );

  router.post(
    "/attempts/:id/answers",
    route({ params: attemptParams }, async ({ params: { id } }, req, res) => {
      const json = wantsJson(req);
      let answer;
      try {
        answer = parseAnswer(req.body, json);
      } catch (error) {
        // An ordering with a place given twice (or left out) comes back to its question with
        // the message and the numbers as typed, not to an error page.
        const form = (req.body ?? {}) as Record<string, unknown>;
        if (json || !(error instanceof Invalid) || form.type !== "ordering") throw error;
        const position = Number(form.position);
        const open = await attempts.openAttempt({
          attemptId: id,
          userId: req.user!.id,
          show: Number.isInteger(position) && position >= 1 ? position : "first-unanswered",
        });
        if (open.submitted) return res.redirect(303, `/attempts/${id}/result`);
        if (!open.shown) return res.redirect(303, `/attempts/${id}/summary`);
        const view = presentQuestion(open.attempt, open.states, open.shown, open.now);
        const typed = (choiceId: string) => {
          const raw = form[`order_${choiceId}`];
          const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
          return Number.isFinite(n) ? n : undefined;
        };
        view.choices = view.choices.map((c) => ({ ...c, rank: typed(c.id) }));
        view.flagged = form.flagged === "1";
        return res.status(400).render("attempts/question", {
          title: `Question ${view.position} of ${view.total}`,
          question: view,
          error: error.message,
        });
      }
      try {
        const saved = await attempts.saveAnswer({
          attemptId: id,
          userId: req.user!.id,
          position: answer.position,
          seq: answer.seq,
          response: answer.response,
          flagged: answer.flagged,
        });
        if (json) return res.json(saved);
      } catch (error) {
        // A form post after the attempt ended (time up, or submitted in another tab): the
        // learner goes on to the result, told why this answer was not saved.
        // A checked practice answer is locked: its page's buttons only move on.
        const locked = !json && error instanceof Conflict && error.code === "answer_checked";
        if (!locked && (json || !(error instanceof Conflict) || !ENDED.has(error.code ?? ""))) throw error;
        if (locked) return res.redirect(303, nextPage(id, answer.position, answer.go));
        flash(req, "info", `This answer was not saved. ${error.message}`);
        return res.redirect(303, `/attempts/${id}/result`);
      }
      res.redirect(303, nextPage(id, answer.position, answer.go));
    }),
  );

  // Running an SQL exercise's statement: JSON for the page script (the result grid); a plain
  // form post (no JavaScript) saves the statement, runs it and shows the page with its grid.
  router.post(
    "/attempts/:id/sql-runs",
    route({ params: attemptParams }, async ({ params: { id } }, req, res) => {
      if (wantsJson(req)) {
        // The pipeline's parser: the same 400 with a message per field as every other body.
        const { body } = parseRequest({ body: sqlRunBody }, req);
        const run = await attempts.runSql({ attemptId: id, userId: req.user!.id, ...body });
        return res.json(run);
      }
      const answer = parseAnswer(req.body, false);
      await attempts.saveAnswer({
        attemptId: id,
        userId: req.user!.id,
        position: answer.position,
        seq: answer.seq,
        response: answer.response,
        flagged: answer.flagged,
      });
      const query = answer.response?.type === "sql" ? answer.response.query : "";
      const run = query
        ? await attempts.runSql({ attemptId: id, userId: req.user!.id, position: answer.position, query })
        : { ok: false as const, error: "Write a statement first.", ms: 0, runsLeft: null };
      const open = await attempts.openAttempt({ attemptId: id, userId: req.user!.id, show: answer.position });
      if (open.submitted) return res.redirect(303, `/attempts/${id}/result`);
      if (!open.shown) return res.redirect(303, `/attempts/${id}/summary`);
      const view = presentQuestion(open.attempt, open.states, open.shown, open.now, run);
      res.render("attempts/question", { title: `Question ${view.position} of ${view.total}`, question: view });
    }),
  );

  /** The marking of a checked answer as the question page shows it (the script inserts it). */
  const checkedFragment = async (req: Request, res: Response, id: string, position: number) => {
    const open = await attempts.openAttempt({ attemptId: id, userId: req.user!.id, show: position });
    if (open.submitted || !open.shown) return "";
    const question = presentQuestion(open.attempt, open.states, open.shown, open.now);
    return new Promise<string>((resolve, reject) =>
      res.render("attempts/checked", { question }, (error, html) => (error ? reject(error) : resolve(html))),
    );
  };

  // Practice mode: save, mark and lock one answer. A form post (no script) comes back to the
  // question, now showing its marking; the script gets the marking as JSON with its HTML.
  router.post(
    "/attempts/:id/checks",
    route({ params: attemptParams }, async ({ params: { id } }, req, res) => {
      // The script posts the form as it is and asks for JSON back.
      const json = wantsJson(req) || req.accepts(["html", "json"]) === "json";
      const answer = parseAnswer(req.body, wantsJson(req));
      const back = `/attempts/${id}?q=${answer.position}`;
      try {
        const checked = await attempts.checkAnswer({
          attemptId: id,
          userId: req.user!.id,
          position: answer.position,
          response: answer.response,
          flagged: answer.flagged,
        });
        if (json) return res.json({ ...checked, html: await checkedFragment(req, res, id, answer.position) });
      } catch (error) {
        if (json || !(error instanceof Invalid)) throw error;
        flash(req, "error", error.message);
      }
      res.redirect(303, back);
    }),
  );

  // A practice essay's self-assessment (the buttons under its model answer): stored, never
  // scored; back to the question, which then shows it.
  router.post(
    "/attempts/:id/self-assessments",
    route({ params: attemptParams, body: selfAssessmentForm }, async ({ params: { id }, body }, req, res) => {
      await attempts.assessEssay({
        attemptId: id,
        userId: req.user!.id,
        position: body.position,
        assessment: body.assessment,
      });
      res.redirect(303, `/attempts/${id}?q=${body.position}`);
    }),
  );

  router.get(
    "/attempts/:id/summary",
    route({ params: attemptParams }, async ({ params: { id } }, req, res) => {
      const open = await attempts.openAttempt({ attemptId: id, userId: req.user!.id });
      if (open.submitted) return res.redirect(303, `/attempts/${id}/result`);
      res.render("attempts/summary", {
        title: "Review before you submit",
        summary: presentSummary(open.attempt, open.items, open.now),
      });
    }),
  );

  router.post(
    "/attempts/:id/submission",
    route({ params: attemptParams }, async ({ params: { id } }, req, res) => {
      await attempts.submitAttempt({ attemptId: id, userId: req.user!.id });
      res.redirect(303, `/attempts/${id}/result`);
    }),
  );

  router.get(
    "/attempts/:id/result",
    route({ params: attemptParams, query: resultQuery }, async ({ params: { id }, query: { show } }, req, res) => {
      const result = await attempts.result({ attemptId: id, userId: req.user!.id });
      if (result.open) return res.redirect(303, `/attempts/${id}`);
      const view = presentResult(result.attempt, result.items, mayReview(result.attempt.exam, result.now), {
        topicTitles: result.topicTitles,
        show,
        stackTitle: result.stackTitle,
      });
      res.render("attempts/result", { title: `Result: ${view.examTitle}`, result: view });
    }),
  );

  // An instructor (or an admin) reads a learner's submitted attempt from a class's gradebook:
  // read-only, with keys and explanations. Its own learner is sent to the result page.
  router.get(
    "/attempts/:id/review",
    route({ params: attemptParams, query: resultQuery }, async ({ params: { id }, query: { show } }, req, res) => {
      const found = await attempts.learnerAttempt({ actor: req.user!, attemptId: id });
      if (found.own) return res.redirect(303, `/attempts/${id}/result`);
      const view = presentResult(found.attempt, found.items, true, {
        topicTitles: found.topicTitles,
        show,
        stackTitle: found.stackTitle,
      });
      res.render("attempts/result", {
        title: `${found.learner.displayName}: ${view.examTitle}`,
        result: view,
        readOnly: { learner: found.learner.displayName, email: found.learner.email },
      });
    }),
  );

  router.post(
    "/attempts/:id/retry",
    route({ params: attemptParams }, async ({ params: { id } }, req, res) => {
      const started = await attempts.retryMissed({ attemptId: id, userId: req.user!.id });
      res.redirect(303, `/attempts/${started.id}`);
    }),
  );

  return router;
}
