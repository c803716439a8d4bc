// The review session: one card at a time, flip, grade 1-4; works without JavaScript.
import { Router, type Request, type Response } from "express";
import { textField } from "../../web/forms";
import { requireUser } from "../../web/auth";
import { flash } from "../../web/flash";
import { route, type FieldErrors } from "../../web/pipeline";
import type { ReviewService } from "./review.service";
import {
  browseQuery,
  cardKeyParam,
  gradeForm,
  limitsForm,
  retentionForm,
  sessionForm,
  sessionQuery,
  suspendForm,
} from "./review.schemas";

const sessionUrl = (topic?: string, mode?: string) => {
  const params = new URLSearchParams();
  if (topic) params.set("topic", topic);
  if (mode) params.set("mode", mode);
  const query = params.toString();
  return `/review${query ? `?${query}` : ""}`;
};

export function reviewRoutes(deps: {
  review: ReviewService;
  topicChoices: (userId: string) => Promise<{ path: string; title: string }[]>;
}): Router {
  const { review } = deps;
  const router = Router();
  router.use("/review", requireUser);

  const sessionPage = async (
    req: Request,
    res: Response,
    topic: string | undefined,
    mode: string | undefined,
    limitErrors: FieldErrors = {},
  ) => {
    {
      const [session, topics, dueByTopic, undo] = await Promise.all([
        review.session({ userId: req.user!.id, ...(topic ? { topic } : {}), weak: mode === "weak" }),
        deps.topicChoices(req.user!.id),
        review.dueByTopic({ userId: req.user!.id }),
        review.canUndo({ userId: req.user!.id }),
      ]);
      res.render("review/session", {
        title: "Review",
        session,
        topics,
        dueByTopic,
        topic: topic ?? "",
        mode: mode ?? "",
        canUndo: undo,
        limitErrors,
        limitValues: Object.keys(limitErrors).length
          ? { newCards: textField(req.body, "newCards"), reviews: textField(req.body, "reviews") }
          : { newCards: String(session.limits.newCards), reviews: String(session.limits.reviews) },
      });
    }
  };

  router.get(
    "/review",
    route({ query: sessionQuery }, ({ query: { topic, mode } }, req, res) => sessionPage(req, res, topic, mode)),
  );

  // The card browser: the learner's cards by topic and text, 20 a page.
  router.get(
    "/review/cards",
    route({ query: browseQuery }, async ({ query: { topic, q, page } }, req, res) => {
      const [result, topics] = await Promise.all([
        review.browseCards({ userId: req.user!.id, page, ...(topic ? { topic } : {}), ...(q ? { text: q } : {}) }),
        deps.topicChoices(req.user!.id),
      ]);
      const link = (p: number) =>
        `/review/cards?${new URLSearchParams({ topic: topic ?? "", q: q ?? "", page: String(p) }).toString()}`;
      res.render("review/cards", {
        title: "Your cards",
        result,
        topics,
        topic: topic ?? "",
        q: q ?? "",
        prev: page > 1 ? link(page - 1) : null,
        next: page < result.pages ? link(page + 1) : null,
      });
    }),
  );

  router.post(
    "/review/limits",
    route(
      { body: limitsForm },
      async ({ body }, req, res) => {
        await review.setDailyLimits({ userId: req.user!.id, newCards: body.newCards, reviews: body.reviews });
        flash(req, "success", `Daily limits set: ${body.newCards} new cards and ${body.reviews} reviews.`);
        res.redirect(303, "/review");
      },
      { invalid: (errors, req, res) => sessionPage(req, res, undefined, undefined, errors) },
    ),
  );

  router.post(
    "/review/settings",
    route({ body: retentionForm }, async ({ body: { retention } }, req, res) => {
      await review.setRetention({ userId: req.user!.id, retention });
      flash(req, "success", `Desired retention set to ${Math.round(retention * 100)}%.`);
      res.redirect(303, "/review");
    }),
  );

  // Undo the last grade: the card comes back as it was before it.
  router.post(
    "/review/undo",
    route({ body: sessionForm }, async ({ body: form }, req, res) => {
      await review.undoGrade({ userId: req.user!.id });
      flash(req, "success", "Your last grade was undone.");
      res.redirect(303, sessionUrl(form.topic, form.mode));
    }),
  );

  router.post(
    "/review/:cardKey/suspension",
    route({ params: cardKeyParam, body: suspendForm }, async ({ params: { cardKey }, body: form }, req, res) => {
      const suspended = form.suspended === "true";
      await review.suspendCard({ userId: req.user!.id, cardKey, suspended });
      flash(
        req,
        "success",
        suspended ? "Card suspended: it stays out of reviews until you unsuspend it." : "Card unsuspended.",
      );
      res.redirect(303, sessionUrl(form.topic, form.mode));
    }),
  );

  router.post(
    "/review/:cardKey/burial",
    route({ params: cardKeyParam, body: sessionForm }, async ({ params: { cardKey }, body: form }, req, res) => {
      await review.buryCard({ userId: req.user!.id, cardKey });
      flash(req, "success", "Card buried until tomorrow.");
      res.redirect(303, sessionUrl(form.topic, form.mode));
    }),
  );

  router.post(
    "/review/:cardKey/grade",
    route({ params: cardKeyParam, body: gradeForm }, async ({ params: { cardKey }, body: form }, req, res) => {
      await review.gradeCard({ userId: req.user!.id, cardKey, rating: form.rating, version: form.version });
      res.redirect(303, sessionUrl(form.topic, form.mode));
    }),
  );

  return router;
}
