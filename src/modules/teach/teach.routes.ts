// /teach: banks (upload, view, edit, retire, export, statistics) and exams (setup, cohort).
import { Router, type Request } from "express";
import type { Clock } from "../../clock";
import { Invalid } from "../../errors";
import { requireRole } from "../../web/auth";
import { flash } from "../../web/flash";
import { route } from "../../web/pipeline";
import type { ExamSetupService } from "../exams";
import type { BankAdminService } from "../banks";
import { presentBank, presentExamForm, presentExamItems, presentReport } from "./teach.presenter";
import type { TeachService } from "./teach.service";
import {
  cohortQuery,
  editForm,
  examForm,
  exportQuery,
  pendingParam,
  previewQuery,
  publishForm,
  questionParam,
  retireForm,
  slugParam,
  uploadForm,
} from "./teach.schemas";

type Deps = {
  teach: TeachService;
  bankAdmin: BankAdminService;
  setup: ExamSetupService;
  clock: Clock;
};

const actor = (req: Request) => req.user!;

export function teachRoutes(deps: Deps): Router {
  const { teach, setup } = deps;
  const router = Router();
  router.use("/teach", requireRole("instructor", "admin"));

  router.get("/teach", async (req, res) => {
    const [banks, exams] = await Promise.all([
      teach.listBanks({ actor: actor(req) }),
      setup.listExams({ actor: actor(req) }),
    ]);
    res.render("teach/index", { title: "Teaching", banks, exams });
  });

  router.get("/teach/banks/imports/new", (_req, res) => {
    res.render("teach/upload", { title: "Upload a bank", report: null, pendingId: null });
  });

  router.post(
    "/teach/banks/imports",
    route({ body: uploadForm }, async ({ body: { format, strict } }, req, res) => {
      if (!req.file) throw new Invalid("Choose a file to upload.");
      const { report, pendingId } = await teach.previewUpload({
        actor: actor(req),
        fileName: req.file.originalname,
        text: req.file.buffer,
        bytes: req.file.size,
        format,
        strict,
      });
      res
        .status(report.ok ? 200 : 400)
        .render("teach/upload", { title: "Upload a bank", report: presentReport(report), pendingId });
    }),
  );

  router.get(
    "/teach/banks/imports/:id",
    route({ params: pendingParam, query: previewQuery }, async ({ params: { id }, query: { page } }, req, res) => {
      const { report, pendingId } = await teach.pendingPreview({ actor: actor(req), pendingId: id });
      res.render("teach/upload", { title: "Upload a bank", report: presentReport(report, page), pendingId });
    }),
  );

  router.post(
    "/teach/banks/imports/:id/publication",
    route({ params: pendingParam }, async ({ params: { id } }, req, res) => {
      const outcome = await teach.publishUpload({ actor: actor(req), pendingId: id });
      if (outcome.kind === "already-published") {
        flash(req, "info", "This upload was already published.");
        return res.redirect(303, `/teach/banks/${outcome.bankSlug}`);
      }
      const { report } = outcome;
      if (!report.ok)
        return res
          .status(400)
          .render("teach/upload", { title: "Upload a bank", report: presentReport(report), pendingId: null });
      flash(
        req,
        "success",
        `Published: ${report.created} created, ${report.updated} updated, ${report.retired} retired.${report.skipped.length ? ` ${report.skipped.length} question(s) with errors were left out.` : ""}`,
      );
      res.redirect(303, `/teach/banks/${report.banks[0]!.slug}`);
    }),
  );

  router.get(
    "/teach/banks/:slug",
    route({ params: slugParam }, async ({ params: { slug } }, req, res) => {
      const [{ bank, statistics, selfAssessments }, sharing] = await Promise.all([
        teach.bankWithStatistics({ actor: actor(req), slug }),
        deps.bankAdmin.bankSharing({ actor: actor(req), slug }),
      ]);
      res.render("teach/bank", {
        title: bank.title,
        bank: presentBank(bank, statistics, selfAssessments),
        settings: {
          rights: sharing.rights,
          archived: sharing.bank.archivedAt !== null,
          public: sharing.bank.ownerId === null || sharing.bank.public,
          shipped: sharing.bank.ownerId === null,
          collaborators: sharing.collaborators,
        },
      });
    }),
  );

  router.get(
    "/teach/banks/:slug/export",
    route({ params: slugParam, query: exportQuery }, async ({ params: { slug }, query: { format } }, req, res) => {
      const file = await teach.exportBank({ actor: actor(req), slug, format });
      // How many questions the format could not hold (the file names them); 0 when none.
      res.set("X-Export-Left-Out", String(file.leftOut.length));
      res.attachment(file.fileName).type(`${file.type}; charset=utf-8`).send(file.text);
    }),
  );

  router.get(
    "/teach/questions/:id/edit",
    route({ params: questionParam }, async ({ params: { id } }, req, res) => {
      const { question, text } = await teach.editorText({ actor: actor(req), questionId: id });
      res.render("teach/edit", {
        title: `Edit ${question.externalId}`,
        question: { id: question.id, externalId: question.externalId, bankSlug: question.bank.slug },
        text,
        preview: null,
        errors: [],
      });
    }),
  );

  router.post(
    "/teach/questions/:id/versions",
    route({ params: questionParam, body: editForm }, async ({ params: { id }, body: form }, req, res) => {
      const question = await teach.ownQuestion(actor(req), id);
      const view = { id: question.id, externalId: question.externalId, bankSlug: question.bank.slug };
      if (form.action === "preview") {
        const preview = await teach.previewEdit({ actor: actor(req), questionId: id, text: form.text });
        return res.status(preview.ok ? 200 : 400).render("teach/edit", {
          title: `Edit ${question.externalId}`,
          question: view,
          text: form.text,
          preview: preview.ok ? preview.content : null,
          errors: preview.ok ? [] : preview.errors,
        });
      }
      const saved = await teach.saveEdit({ actor: actor(req), questionId: id, text: form.text });
      if (!saved.ok)
        return res.status(400).render("teach/edit", {
          title: `Edit ${question.externalId}`,
          question: view,
          text: form.text,
          preview: null,
          errors: saved.errors,
        });
      flash(
        req,
        "success",
        saved.changed
          ? `Saved ${question.externalId} as version ${saved.version}. Past attempts keep the version they showed.`
          : "Nothing changed.",
      );
      res.redirect(303, `/teach/banks/${question.bank.slug}`);
    }),
  );

  router.post(
    "/teach/questions/:id/retirement",
    route({ params: questionParam, body: retireForm }, async ({ params: { id }, body: { retired } }, req, res) => {
      const slug = await teach.setRetired({ actor: actor(req), questionId: id, retired });
      flash(req, "success", retired ? "Question retired: new attempts will not draw it." : "Question restored.");
      res.redirect(303, `/teach/banks/${slug}`);
    }),
  );

  // Exams
  router.get("/teach/exams/new", async (req, res) => {
    res.render("teach/exam-form", {
      title: "New exam",
      exam: presentExamForm(null, await setup.topicChoices({ actor: actor(req) })),
      errors: {},
      isNew: true,
    });
  });

  const examFormPage = async (req: Request, isNew: boolean, errors: Record<string, string>) => ({
    title: isNew ? "New exam" : "Edit exam",
    exam: presentExamForm(req.body as Record<string, unknown>, await setup.topicChoices({ actor: actor(req) })),
    errors,
    isNew,
  });

  router.post(
    "/teach/exams",
    route(
      { body: examForm },
      async ({ body: form }, req, res) => {
        const exam = await setup.createExam({ actor: actor(req), settings: form });
        flash(req, "success", "Exam created. It is not published yet: check it, then publish.");
        res.redirect(303, `/teach/exams/${exam.slug}/edit`);
      },
      {
        invalid: async (errors, req, res) => res.render("teach/exam-form", await examFormPage(req, true, errors)),
      },
    ),
  );

  router.get(
    "/teach/exams/:slug/edit",
    route({ params: slugParam }, async ({ params: { slug } }, req, res) => {
      const exam = await setup.managedExam(actor(req), slug);
      res.render("teach/exam-form", {
        title: `Edit ${exam.title}`,
        exam: presentExamForm(exam, await setup.topicChoices({ actor: actor(req) })),
        errors: {},
        isNew: false,
      });
    }),
  );

  router.post(
    "/teach/exams/:slug",
    route(
      { params: slugParam, body: examForm },
      async ({ params: { slug }, body: form }, req, res) => {
        await setup.updateExam({ actor: actor(req), slug, settings: form });
        flash(req, "success", "Exam saved. Attempts already started keep their questions and deadline.");
        res.redirect(303, `/teach/exams/${slug}/edit`);
      },
      {
        invalid: async (errors, req, res) => res.render("teach/exam-form", await examFormPage(req, false, errors)),
      },
    ),
  );

  router.post(
    "/teach/exams/:slug/publication",
    route({ params: slugParam, body: publishForm }, async ({ params: { slug }, body: { published } }, req, res) => {
      await setup.setPublished({ actor: actor(req), slug, published });
      flash(
        req,
        "success",
        published
          ? "Published: the learners of the classes it is shared with can take it now."
          : "Unpublished: learners no longer see it.",
      );
      res.redirect(303, "/teach");
    }),
  );

  router.get(
    "/teach/exams/:slug/cohort",
    route({ params: slugParam, query: cohortQuery }, async ({ params: { slug }, query }, req, res) => {
      const cohort = await setup.cohort({ actor: actor(req), slug, classId: query.class });
      const items = cohort.manages ? await teach.examItemStatistics({ actor: actor(req), slug }) : null;
      res.render("teach/cohort", {
        title: `Cohort: ${cohort.exam.title}`,
        cohort,
        items: items && presentExamItems(items.items),
      });
    }),
  );

  return router;
}
