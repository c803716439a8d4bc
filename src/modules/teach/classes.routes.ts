// /teach/classes/:id: a class's page for its instructor (members, join code, invite links,
// the banks and exams it shares), and /teach/banks/:slug's owner settings (rename, archive,
// delete, public, co-owners). Membership actions post to /classes/:id/... (classes module).
import { Router, type Request } from "express";
import { requireRole } from "../../web/auth";
import { flash } from "../../web/flash";
import { route } from "../../web/pipeline";
import type { BankAdminService } from "../banks";
import { displayJoinCode, type ClassesService } from "../classes";
import type { ExamSetupService } from "../exams";
import {
  archiveForm,
  classItemParams,
  classParam,
  collaboratorForm,
  collaboratorParams,
  deleteBankForm,
  publicForm,
  shareForm,
  bankSettingsForm,
  slugParam,
} from "./teach.schemas";

const actor = (req: Request) => req.user!;
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") + " UTC" : "");

export function teachClassesRoutes(deps: {
  classes: ClassesService;
  bankAdmin: BankAdminService;
  setup: ExamSetupService;
}): Router {
  const { classes, bankAdmin, setup } = deps;
  const router = Router();
  router.use("/teach", requireRole("instructor", "admin"));

  router.get(
    "/teach/classes/:id",
    route({ params: classParam }, async ({ params: { id } }, req, res) => {
      const roster = await classes.classRoster({ actor: actor(req), classId: id });
      const [banks, exams] = await Promise.all([
        bankAdmin.banksForClass({ actor: actor(req), classId: id }),
        setup.examsForClass({ actor: actor(req), classId: id }),
      ]);
      res.render("teach/class", {
        title: roster.cls.name,
        cls: { ...roster.cls, joinCode: displayJoinCode(roster.cls.joinCode) },
        owner: roster.owner,
        members: roster.members.map((m) => ({ ...m, joinedOn: m.joinedAt.toISOString().slice(0, 10) })),
        invites: roster.invites.map((i) => ({ id: i.id, created: day(i.createdAt), expires: day(i.expiresAt) })),
        banks,
        exams: exams.map((e) => ({ ...e, opens: day(e.opensAt), closes: day(e.closesAt) })),
      });
    }),
  );

  router.post(
    "/teach/classes/:id/banks/:slug/share",
    route({ params: classItemParams, body: shareForm }, async ({ params: { id, slug }, body }, req, res) => {
      const done = await bankAdmin.shareBankWithClass({ actor: actor(req), slug, classId: id, shared: body.shared });
      flash(
        req,
        "success",
        body.shared ? `${done.cls} now sees ${done.bank}.` : `${done.cls} no longer sees ${done.bank}.`,
      );
      res.redirect(303, `/teach/classes/${id}`);
    }),
  );

  router.post(
    "/teach/classes/:id/exams/:slug/share",
    route({ params: classItemParams, body: shareForm }, async ({ params: { id, slug }, body }, req, res) => {
      const done = await setup.shareWithClass({ actor: actor(req), slug, classId: id, shared: body.shared });
      flash(
        req,
        "success",
        body.shared ? `${done.cls} now sees ${done.exam}.` : `${done.cls} no longer sees ${done.exam}.`,
      );
      res.redirect(303, `/teach/classes/${id}`);
    }),
  );

  router.post(
    "/teach/banks/:slug/settings",
    route({ params: slugParam, body: bankSettingsForm }, async ({ params: { slug }, body }, req, res) => {
      await bankAdmin.renameBank({ actor: actor(req), slug, ...body });
      flash(req, "success", "Bank saved.");
      res.redirect(303, `/teach/banks/${slug}`);
    }),
  );

  router.post(
    "/teach/banks/:slug/archive",
    route({ params: slugParam, body: archiveForm }, async ({ params: { slug }, body }, req, res) => {
      await bankAdmin.setBankArchived({ actor: actor(req), slug, archived: body.archived });
      flash(
        req,
        "success",
        body.archived
          ? "Bank archived: learners no longer see it and exams no longer draw from it. Past attempts are kept."
          : "Bank restored.",
      );
      res.redirect(303, `/teach/banks/${slug}`);
    }),
  );

  router.post(
    "/teach/banks/:slug/public",
    route({ params: slugParam, body: publicForm }, async ({ params: { slug }, body }, req, res) => {
      await bankAdmin.setBankPublic({ actor: actor(req), slug, public: body.public });
      flash(
        req,
        "success",
        body.public ? "The bank is public: every learner sees it." : "The bank is no longer public.",
      );
      res.redirect(303, `/teach/banks/${slug}`);
    }),
  );

  router.get(
    "/teach/banks/:slug/deletion",
    route({ params: slugParam }, async ({ params: { slug } }, req, res) => {
      const bank = await bankAdmin.bankFor({ actor: actor(req), slug }, "administer");
      res.render("teach/delete-bank", { title: `Delete ${bank.title}`, bank, errors: {} });
    }),
  );

  router.post(
    "/teach/banks/:slug/deletion",
    route(
      { params: slugParam, body: deleteBankForm },
      async ({ params: { slug }, body }, req, res) => {
        const deleted = await bankAdmin.deleteBank({ actor: actor(req), slug, confirm: body.confirm });
        flash(req, "success", `"${deleted.title}" was deleted. Past attempts still show the questions they had.`);
        res.redirect(303, "/teach");
      },
      {
        invalid: async (errors, req, res) => {
          const bank = await bankAdmin.bankFor({ actor: actor(req), slug: String(req.params.slug) }, "administer");
          res.status(400).render("teach/delete-bank", { title: `Delete ${bank.title}`, bank, errors });
        },
      },
    ),
  );

  router.post(
    "/teach/banks/:slug/collaborators",
    route({ params: slugParam, body: collaboratorForm }, async ({ params: { slug }, body }, req, res) => {
      const added = await bankAdmin.addCollaborator({ actor: actor(req), slug, email: body.email, role: body.role });
      flash(req, "success", `${added.displayName} can now ${body.role === "editor" ? "edit" : "read"} this bank.`);
      res.redirect(303, `/teach/banks/${slug}`);
    }),
  );

  router.post(
    "/teach/banks/:slug/collaborators/:userId/removal",
    route({ params: collaboratorParams }, async ({ params: { slug, userId } }, req, res) => {
      await bankAdmin.removeCollaborator({ actor: actor(req), slug, userId });
      flash(req, "success", "That instructor no longer shares this bank.");
      res.redirect(303, `/teach/banks/${slug}`);
    }),
  );

  return router;
}
