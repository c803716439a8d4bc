// /classes (a learner's classes, joining with a code, leaving), /join/:token (invite links)
// and the instructor's membership actions, which return to the class's page in /teach.
import { Router, type Request, type Response } from "express";
import { isTeacher } from "../../actor";
import { requireUser } from "../../web/auth";
import { flash } from "../../web/flash";
import { textField } from "../../web/forms";
import { route, type FieldErrors } from "../../web/pipeline";
import type { ClassesService } from "./classes.service";
import {
  classForm,
  classParam,
  deleteForm,
  inviteForm,
  inviteParams,
  joinForm,
  joinQuery,
  memberForm,
  memberParams,
  tokenParam,
} from "./classes.schemas";
import { presentClassList } from "./classes.presenter";

const actor = (req: Request) => req.user!;
const classPage = (id: string) => `/teach/classes/${id}`;

export function classesRoutes(deps: { classes: ClassesService; baseUrl?: string }): Router {
  const { classes } = deps;
  const router = Router();
  router.use(["/classes", "/join"], requireUser);

  const listPage = async (
    req: Request,
    res: Response,
    extra: { joinErrors?: FieldErrors; createErrors?: FieldErrors; values?: Record<string, string> } = {},
  ) =>
    res.render("classes/list", {
      title: "Classes",
      ...presentClassList(await classes.listClasses({ actor: actor(req) })),
      canCreate: isTeacher(actor(req)),
      joinErrors: extra.joinErrors ?? {},
      createErrors: extra.createErrors ?? {},
      values: { code: "", name: "", description: "", ...extra.values },
    });

  router.get(
    "/classes",
    route({ query: joinQuery }, async ({ query }, req, res) =>
      listPage(req, res, { values: { code: query.code ?? "" } }),
    ),
  );

  router.post(
    "/classes",
    route(
      { body: classForm },
      async ({ body }, req, res) => {
        const { id } = await classes.createClass({ actor: actor(req), ...body });
        flash(
          req,
          "success",
          `Class "${body.name}" created. Share its join code or an invite link with your learners.`,
        );
        res.redirect(303, classPage(id));
      },
      {
        invalid: (createErrors, req, res) =>
          listPage(req, res.status(400), {
            createErrors,
            values: { name: textField(req.body, "name"), description: textField(req.body, "description") },
          }),
      },
    ),
  );

  router.post(
    "/classes/join",
    route(
      { body: joinForm },
      async ({ body }, req, res) => {
        const joined = await classes.joinWithCode({ actor: actor(req), code: body.code, ip: req.ip ?? "" });
        flash(req, "success", joined.joined ? `You joined ${joined.name}.` : `You are already in ${joined.name}.`);
        res.redirect(303, "/classes");
      },
      {
        invalid: (joinErrors, req, res) =>
          listPage(req, res.status(400), { joinErrors, values: { code: textField(req.body, "code") } }),
      },
    ),
  );

  router.get(
    "/join/:token",
    route({ params: tokenParam }, async ({ params: { token } }, _req, res) => {
      const cls = await classes.inviteTarget({ token });
      res.render("classes/invite", { title: `Join ${cls.name}`, cls, token });
    }),
  );

  router.post(
    "/join/:token",
    route({ params: tokenParam }, async ({ params: { token } }, req, res) => {
      const joined = await classes.joinWithInvite({ actor: actor(req), token });
      flash(req, "success", joined.joined ? `You joined ${joined.name}.` : `You are already in ${joined.name}.`);
      res.redirect(303, "/classes");
    }),
  );

  router.post(
    "/classes/:id/membership/deletion",
    route({ params: classParam }, async ({ params: { id } }, req, res) => {
      const left = await classes.leaveClass({ actor: actor(req), classId: id });
      flash(req, "success", `You left ${left.name}. Your attempts and progress are kept.`);
      res.redirect(303, "/classes");
    }),
  );

  // The instructor's actions; the class's page is in /teach (it shows what is shared too).
  router.post(
    "/classes/:id/settings",
    route({ params: classParam, body: classForm }, async ({ params: { id }, body }, req, res) => {
      await classes.updateClass({ actor: actor(req), classId: id, ...body });
      flash(req, "success", "Class saved.");
      res.redirect(303, classPage(id));
    }),
  );

  router.post(
    "/classes/:id/code",
    route({ params: classParam }, async ({ params: { id } }, req, res) => {
      await classes.newClassCode({ actor: actor(req), classId: id });
      flash(req, "success", "A new join code was drawn; the old one no longer works.");
      res.redirect(303, classPage(id));
    }),
  );

  router.post(
    "/classes/:id/members",
    route({ params: classParam, body: memberForm }, async ({ params: { id }, body }, req, res) => {
      const added = await classes.addMemberByEmail({ actor: actor(req), classId: id, email: body.email });
      flash(
        req,
        added.added ? "success" : "info",
        added.added ? `${added.displayName} was added.` : `${added.displayName} is already in this class.`,
      );
      res.redirect(303, classPage(id));
    }),
  );

  router.post(
    "/classes/:id/members/:userId/removal",
    route({ params: memberParams }, async ({ params: { id, userId } }, req, res) => {
      await classes.removeMember({ actor: actor(req), classId: id, userId });
      flash(req, "success", "The learner was removed from the class. Their own attempts and progress are kept.");
      res.redirect(303, classPage(id));
    }),
  );

  router.post(
    "/classes/:id/invites",
    route({ params: classParam, body: inviteForm }, async ({ params: { id }, body }, req, res) => {
      const invite = await classes.createInvite({ actor: actor(req), classId: id, days: body.days });
      const link = `${deps.baseUrl ?? `${req.protocol}://${req.get("host")}`}/join/${invite.token}`;
      // Shown once (the flash is read on the next page and kept nowhere else).
      flash(
        req,
        "success",
        `Invite link (shown once, valid until ${invite.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC): ${link}`,
      );
      res.redirect(303, classPage(id));
    }),
  );

  router.post(
    "/classes/:id/invites/:inviteId/revocation",
    route({ params: inviteParams }, async ({ params: { id, inviteId } }, req, res) => {
      await classes.revokeInvite({ actor: actor(req), classId: id, inviteId });
      flash(req, "success", "The invite link was withdrawn.");
      res.redirect(303, classPage(id));
    }),
  );

  router.get(
    "/classes/:id/deletion",
    route({ params: classParam }, async ({ params: { id } }, req, res) => {
      const cls = await classes.managedClass({ actor: actor(req), classId: id });
      res.render("classes/delete", { title: `Delete ${cls.name}`, cls, errors: {} });
    }),
  );

  router.post(
    "/classes/:id/deletion",
    route(
      { params: classParam, body: deleteForm },
      async ({ params: { id }, body }, req, res) => {
        const deleted = await classes.deleteClass({ actor: actor(req), classId: id, confirmName: body.confirmName });
        flash(req, "success", `Class "${deleted.name}" was deleted. Its learners keep their attempts and progress.`);
        res.redirect(303, "/classes");
      },
      {
        invalid: async (errors, req, res) => {
          const cls = await classes.managedClass({ actor: actor(req), classId: String(req.params.id) });
          res.status(400).render("classes/delete", { title: `Delete ${cls.name}`, cls, errors });
        },
      },
    ),
  );

  return router;
}
