// /teach: banks (upload, view, edit, retire, export, statistics) and exams (setup, cohort).
import { Router, type Request } from "express";
import type { Clock } from "../../clock";
import { Invalid } from "../../errors";
import { requireRole } from "../../web/auth";
import { flash } from "../../web/flash";
import { parseForm } from "../../web/forms";
import type { ExamSetupService } from "./exam-setup.service";
import { presentBank, presentExamForm, presentReport } from "./teach.presenter";
import type { TeachService } from "./teach.service";
import {
  blueprintFrom,
  editForm,
  examForm,
  exportQuery,
  pendingParam,
  publishForm,
  questionParam,
  retireForm,
  slugParam,
  uploadForm,
} from "./teach.schemas";

type Deps = {
  teach: TeachService;
  setup: ExamSetupService;
  topicChoices: () => Promise<{ path: string; title: string; questions: number }[]>;
  statistics: (bankId: string) => Promise<Parameters<typeof presentBank>[1]>;
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

  router.post("/teach/banks/imports", async (req, res) => {
    const { format } = uploadForm.parse(req.body);
    if (!req.file) throw new Invalid("Choose a file to upload.");
    const { report, pendingId } = await teach.previewUpload({
      actor: actor(req),
      fileName: req.file.originalname,
      text: req.file.buffer.toString("utf8"),
      bytes: req.file.size,
      format,
    });
    res
      .status(report.ok ? 200 : 400)
      .render("teach/upload", { title: "Upload a bank", report: presentReport(report), pendingId });
  });

  router.post("/teach/banks/imports/:id/publication", async (req, res) => {
    const { id } = pendingParam.parse(req.params);
    const report = await teach.publishUpload({ actor: actor(req), pendingId: id });
    if (!report.ok)
      return res
        .status(400)
        .render("teach/upload", { title: "Upload a bank", report: presentReport(report), pendingId: null });
    flash(
      req,
      "success",
      `Published: ${report.created} created, ${report.updated} updated, ${report.retired} retired.`,
    );
    res.redirect(303, `/teach/banks/${report.banks[0]!.slug}`);
  });

  router.get("/teach/banks/:slug", async (req, res) => {
    const { slug } = slugParam.parse(req.params);
    const bank = await teach.ownBank(actor(req), slug);
    res.render("teach/bank", { title: bank.title, bank: presentBank(bank, await deps.statistics(bank.id)) });
  });

  router.get("/teach/banks/:slug/export", async (req, res) => {
    const { slug } = slugParam.parse(req.params);
    const { format } = exportQuery.parse(req.query);
    const file = await teach.exportBank({ actor: actor(req), slug, format });
    res.attachment(file.fileName).type("text/plain; charset=utf-8").send(file.text);
  });

  router.get("/teach/questions/:id/edit", async (req, res) => {
    const { id } = questionParam.parse(req.params);
    const { question, text } = await teach.editorText({ actor: actor(req), questionId: id });
    res.render("teach/edit", {
      title: `Edit ${question.externalId}`,
      question: { id: question.id, externalId: question.externalId, bankSlug: question.bank.slug },
      text,
      preview: null,
      errors: [],
    });
  });

  router.post("/teach/questions/:id/versions", async (req, res) => {
    const { id } = questionParam.parse(req.params);
    const form = editForm.parse(req.body);
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
  });

  router.post("/teach/questions/:id/retirement", async (req, res) => {
    const { id } = questionParam.parse(req.params);
    const { retired } = retireForm.parse(req.body);
    const slug = await teach.setRetired({ actor: actor(req), questionId: id, retired });
    flash(req, "success", retired ? "Question retired: new attempts will not draw it." : "Question restored.");
    res.redirect(303, `/teach/banks/${slug}`);
  });

  // Exams
  router.get("/teach/exams/new", async (_req, res) => {
    res.render("teach/exam-form", {
      title: "New exam",
      exam: presentExamForm(null, await deps.topicChoices()),
      errors: {},
      isNew: true,
    });
  });

  const examFromBody = (req: Request) => {
    const form = parseForm(examForm, req.body);
    return form.ok
      ? {
          ok: true as const,
          form: form.data,
          blueprint: blueprintFrom(req.body as Record<string, unknown>, form.data.topics),
        }
      : form;
  };

  router.post("/teach/exams", async (req, res) => {
    const parsed = examFromBody(req);
    if (!parsed.ok)
      return res.status(400).render("teach/exam-form", {
        title: "New exam",
        exam: presentExamForm(req.body as Record<string, unknown>, await deps.topicChoices()),
        errors: parsed.errors,
        isNew: true,
      });
    const exam = await setup.createExam({ actor: actor(req), form: parsed.form, blueprint: parsed.blueprint });
    flash(req, "success", "Exam created. It is not published yet: check it, then publish.");
    res.redirect(303, `/teach/exams/${exam.slug}/edit`);
  });

  router.get("/teach/exams/:slug/edit", async (req, res) => {
    const { slug } = slugParam.parse(req.params);
    const exam = await setup.ownExam(actor(req), slug);
    res.render("teach/exam-form", {
      title: `Edit ${exam.title}`,
      exam: presentExamForm(exam, await deps.topicChoices()),
      errors: {},
      isNew: false,
    });
  });

  router.post("/teach/exams/:slug", async (req, res) => {
    const { slug } = slugParam.parse(req.params);
    const parsed = examFromBody(req);
    if (!parsed.ok)
      return res.status(400).render("teach/exam-form", {
        title: "Edit exam",
        exam: presentExamForm(req.body as Record<string, unknown>, await deps.topicChoices()),
        errors: parsed.errors,
        isNew: false,
      });
    await setup.updateExam({ actor: actor(req), slug, form: parsed.form, blueprint: parsed.blueprint });
    flash(req, "success", "Exam saved. Attempts already started keep their questions and deadline.");
    res.redirect(303, `/teach/exams/${slug}/edit`);
  });

  router.post("/teach/exams/:slug/publication", async (req, res) => {
    const { slug } = slugParam.parse(req.params);
    const { published } = publishForm.parse(req.body);
    await setup.setPublished({ actor: actor(req), slug, published });
    flash(
      req,
      "success",
      published ? "Published: learners can take it now." : "Unpublished: learners no longer see it.",
    );
    res.redirect(303, "/teach");
  });

  router.get("/teach/exams/:slug/cohort", async (req, res) => {
    const { slug } = slugParam.parse(req.params);
    const cohort = await setup.cohort({ actor: actor(req), slug });
    res.render("teach/cohort", { title: `Cohort: ${cohort.exam.title}`, c: cohort });
  });

  return router;
}
