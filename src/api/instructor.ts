// Instructor endpoints: banks (list, upload for preview, publish, export, item statistics),
// questions (read, new version, retire) and exams (create, update, publish, item statistics,
// cohort), through the teach and exam-setup use cases, which ask the banks' and exams' policies.
// Another instructor's bank, exam or question answers 404 (endpoint.ts), as if it did not exist.
import type { CatalogueService, ImportReport as ImportReportRow } from "../modules/banks";
import type { ExamSetupService } from "../modules/exams";
import type { GradebookService, TeachService } from "../modules/teach";
import { created, endpointGroup, file, problemOf, reply, type Endpoint } from "./endpoint";
import {
  Bank,
  BankDetail,
  BankFile,
  Cohort,
  ExamStatistics,
  bankParams,
  BANK_MEDIA_TYPES,
  examSettings,
  exportQuery,
  ManagedExam,
  NewVersion,
  pendingParams,
  Preview,
  previewQuery,
  Publication,
  publicationBody,
  QuestionSource,
  questionParams,
  Retirement,
  retirementBody,
  VersionErrors,
  versionBody,
  classParams,
  ClassGradebook,
} from "./instructor.schemas";
import { examSlugParams } from "./learner.schemas";
import { keysetPage, pageOf } from "./pagination";
import { page, pageQuery } from "./schemas";
import type { z } from "zod";

export type InstructorDeps = {
  teach: TeachService;
  setup: ExamSetupService;
  catalogue: CatalogueService;
  gradebook: GradebookService;
};

type Settings = z.output<typeof examSettings>;
const settingsOf = (s: Settings) => ({
  ...s,
  opensAt: s.opensAt ? new Date(s.opensAt) : null,
  closesAt: s.closesAt ? new Date(s.closesAt) : null,
  blueprint: Object.fromEntries(s.topics.map((t) => [t, s.blueprint?.[t] ?? 1])),
});

type ExamRow = {
  slug: string;
  title: string;
  kind: string;
  published: boolean;
  questionCount: number;
  timeLimitSeconds: number;
  passMarkPercent: number | null;
  maxAttempts: number | null;
  reviewPolicy: string;
  opensAt: Date | null;
  closesAt: Date | null;
  topicPaths: string[];
  blueprint: unknown;
  _count?: { attempts: number };
};
const examJson = (e: ExamRow) => ({
  slug: e.slug,
  title: e.title,
  kind: e.kind,
  published: e.published,
  questionCount: e.questionCount,
  timeLimitSeconds: e.timeLimitSeconds,
  passMarkPercent: e.passMarkPercent,
  maxAttempts: e.maxAttempts,
  reviewPolicy: e.reviewPolicy,
  opensAt: e.opensAt?.toISOString() ?? null,
  closesAt: e.closesAt?.toISOString() ?? null,
  topicPaths: e.topicPaths,
  blueprint: (e.blueprint as Record<string, number> | null) ?? null,
  ...(e._count ? { attempts: e._count.attempts } : {}),
});

/** The report as documented (ImportReport): fields the import adds later stay out until documented. */
const reportJson = (r: ImportReportRow) => ({
  ok: r.ok,
  dryRun: r.dryRun,
  banks: r.banks,
  topics: r.topics,
  questions: r.questions,
  cards: r.cards,
  created: r.created,
  updated: r.updated,
  retired: r.retired,
  errors: r.errors,
  warnings: r.warnings,
  skipped: r.skipped,
});

type Stats = {
  responses: number;
  facility: number | null;
  discrimination: number | null;
  upperLower: number | null;
  optionCounts: Record<string, number>;
  unanswered: number;
  flags: string[];
};
const statisticsJson = (s: Stats | undefined) => ({
  responses: s?.responses ?? 0,
  facility: s?.facility ?? null,
  discrimination: s?.discrimination ?? null,
  upperLower: s?.upperLower ?? null,
  optionCounts: s?.optionCounts ?? {},
  unanswered: s?.unanswered ?? 0,
  flags: s?.flags ?? [],
});

const noBank = "No such bank of yours.";
const noQuestion = "No such question of yours.";
const noExam = "No such exam of yours.";

export function instructorEndpoints(deps: InstructorDeps): Endpoint[] {
  const { teach, setup } = deps;
  const banks = endpointGroup({ tag: "Banks", scope: "instructor" });
  const questions = endpointGroup({ tag: "Questions", scope: "instructor" });
  const examSetup = endpointGroup({ tag: "Exam setup", scope: "instructor" });

  banks.get("/banks", {
    operationId: "listBanks",
    summary: "Banks you manage (every bank for admins), newest first",
    schemas: { query: pageQuery },
    responses: { 200: ["A page of banks.", page(Bank)] },
    handler: async ({ query }, actor) => {
      const { items, next } = await teach.pageBanks({ actor, page: keysetPage(query) });
      const listed = items.map((b) => ({
        slug: b.slug,
        title: b.title,
        owner: b.owner,
        questions: b.questions,
        cards: b.cards,
        updatedAt: b.updatedAt.toISOString(),
      }));
      return pageOf(listed, next);
    },
  });

  banks.post("/banks/previews", {
    operationId: "previewBank",
    summary: "Upload a bank file for preview: checked in full, nothing published yet",
    description:
      "Send the file as the raw body. A clean file is kept for publishing (201 with `pendingId`); a file with errors answers 422 with the report (`file:line:column: message`).",
    schemas: { query: previewQuery },
    rawBody: BANK_MEDIA_TYPES,
    responses: {
      201: ["Checked; publish it with `pendingId`.", Preview],
      413: problemOf("The file is larger than the upload limit."),
      415: problemOf("Another media type."),
      422: ["The file has errors; nothing was kept.", Preview],
    },
    handler: async ({ query }, actor, req) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const { report, pendingId } = await teach.previewUpload({
        actor,
        fileName: query.fileName,
        text: body,
        bytes: body.length,
        format: query.format,
      });
      return reply(report.ok ? 201 : 422, { pendingId, report: reportJson(report) });
    },
  });

  banks.post("/banks/previews/{id}/publication", {
    operationId: "publishBank",
    summary: "Publish a previewed upload (once: a repeat says what it became)",
    schemas: { params: pendingParams },
    responses: {
      200: ["Published now, or before.", Publication],
      404: "No such upload of yours.",
      409: "Being published by another request.",
      422: ["The import refused it (the banks changed since the preview).", Publication],
    },
    handler: async ({ params }, actor) => {
      const outcome = await teach.publishUpload({ actor, pendingId: params.id });
      if (outcome.kind === "already-published")
        return { status: "already-published", bank: outcome.bankSlug, report: null };
      const { report } = outcome;
      const json = { status: "published", bank: report.banks[0]?.slug ?? "", report: reportJson(report) };
      return report.ok ? json : reply(422, json);
    },
  });

  banks.get("/banks/{slug}", {
    operationId: "getBank",
    summary: "A bank's questions with item statistics (facility, discrimination, option counts, flags)",
    schemas: { params: bankParams },
    responses: { 200: ["The bank.", BankDetail], 404: noBank },
    handler: async ({ params }, actor) => {
      const { bank, statistics, selfAssessments } = await teach.bankWithStatistics({ actor, slug: params.slug });
      return {
        slug: bank.slug,
        title: bank.title,
        description: bank.description,
        questions: bank.questions.map((q) => ({
          id: q.id,
          externalId: q.externalId,
          retired: q.retiredAt !== null,
          topicPath: q.topic.path,
          version: q.currentVersion?.number ?? 0,
          type: q.currentVersion?.type ?? "",
          stemHtml: q.currentVersion?.stemHtml ?? "",
          statistics: statisticsJson(statistics.get(q.id)),
          selfAssessments:
            q.currentVersion?.type === "essay"
              ? (selfAssessments.get(q.id) ?? { had: 0, partly: 0, missed: 0, total: 0 })
              : null,
        })),
      };
    },
  });

  banks.get("/banks/{slug}/export", {
    operationId: "exportBank",
    summary: "Export a bank (native YAML, GIFT, Moodle XML, QTI 3.0 items, CSV or Aiken)",
    schemas: { params: bankParams, query: exportQuery },
    responses: {
      200: {
        description: "The bank file.",
        schema: BankFile,
        type: "text/plain",
        headers: ["Content-Disposition", "ETag", "X-Export-Left-Out"],
      },
      404: noBank,
    },
    handler: async ({ params, query }, actor) => {
      const exported = await teach.exportBank({ actor, slug: params.slug, format: query.format });
      return file(exported.text, "text/plain; charset=utf-8", {
        "Content-Disposition": `attachment; filename="${exported.fileName}"`,
        "X-Export-Left-Out": String(exported.leftOut.length),
      });
    },
  });

  questions.get("/questions/{id}", {
    operationId: "getQuestion",
    summary: "A question's current version as editable text",
    schemas: { params: questionParams },
    responses: { 200: ["The question.", QuestionSource], 404: noQuestion },
    handler: async ({ params }, actor) => {
      const { question, text } = await teach.editorText({ actor, questionId: params.id });
      return {
        id: question.id,
        externalId: question.externalId,
        bank: question.bank.slug,
        version: question.currentVersion.number,
        retired: question.retiredAt !== null,
        text,
      };
    },
  });

  questions.post("/questions/{id}/versions", {
    operationId: "newQuestionVersion",
    summary: "Save edited text as a new version (past attempts keep theirs)",
    schemas: { params: questionParams, body: versionBody },
    responses: {
      200: ["Saved (or unchanged).", NewVersion],
      404: noQuestion,
      422: ["The text has errors (`question:line:column: message`).", VersionErrors],
    },
    handler: async ({ params, body }, actor) => {
      const saved = await teach.saveEdit({ actor, questionId: params.id, text: body.text });
      return saved.ok ? { changed: saved.changed, version: saved.version } : reply(422, { errors: saved.errors });
    },
  });

  questions.put("/questions/{id}/retirement", {
    operationId: "setQuestionRetired",
    summary: "Retire a question (new attempts stop drawing it) or restore it",
    schemas: { params: questionParams, body: retirementBody },
    responses: { 200: ["Done.", Retirement], 404: noQuestion },
    handler: async ({ params, body }, actor) => ({
      retired: body.retired,
      bank: await teach.setRetired({ actor, questionId: params.id, retired: body.retired }),
    }),
  });

  examSetup.get("/managed-exams", {
    operationId: "listManagedExams",
    summary: "Exams you manage (every exam for admins), newest first",
    schemas: { query: pageQuery },
    responses: { 200: ["A page of exams.", page(ManagedExam)] },
    handler: async ({ query }, actor) => {
      const { rows, next } = await setup.pageExams({ actor, page: keysetPage(query) });
      return pageOf(rows.map(examJson), next);
    },
  });

  examSetup.post("/managed-exams", {
    operationId: "createExam",
    summary: "Create an exam (unpublished until you publish it)",
    schemas: { body: examSettings },
    responses: { 201: { description: "Created.", schema: ManagedExam, headers: ["Location"] } },
    handler: async ({ body }, actor) => {
      const exam = await setup.createExam({ actor, settings: settingsOf(body) });
      return created(examJson(exam), `/api/v1/managed-exams/${exam.slug}`);
    },
  });

  examSetup.put("/managed-exams/{slug}", {
    operationId: "updateExam",
    summary: "Replace an exam's settings (attempts already started keep theirs)",
    schemas: { params: examSlugParams, body: examSettings },
    responses: { 200: ["Saved.", ManagedExam], 404: noExam, 409: "The slug cannot change." },
    handler: async ({ params, body }, actor) =>
      examJson(await setup.updateExam({ actor, slug: params.slug, settings: settingsOf(body) })),
  });

  examSetup.put("/managed-exams/{slug}/publication", {
    operationId: "setExamPublished",
    summary: "Publish or unpublish an exam",
    schemas: { params: examSlugParams, body: publicationBody },
    responses: { 200: ["Done.", ManagedExam], 404: noExam },
    handler: async ({ params, body }, actor) => {
      await setup.setPublished({ actor, slug: params.slug, published: body.published });
      return examJson(await setup.managedExam(actor, params.slug));
    },
  });

  examSetup.get("/managed-exams/{slug}/item-statistics", {
    operationId: "getExamItemStatistics",
    summary: "Item statistics of the questions your exam's submitted attempts answered",
    schemas: { params: examSlugParams },
    responses: { 200: ["The exam's item statistics.", ExamStatistics], 404: noExam },
    handler: async ({ params }, actor) => {
      const { exam, items } = await teach.examItemStatistics({ actor, slug: params.slug });
      return {
        exam: { slug: exam.slug, title: exam.title },
        questions: items.map(({ question, statistics }) => ({
          id: question.id,
          externalId: question.externalId,
          bank: question.bank.slug,
          topicPath: question.topic.path,
          version: question.currentVersion?.number ?? 0,
          stemHtml: question.currentVersion?.stemHtml ?? "",
          statistics: statisticsJson(statistics),
        })),
      };
    },
  });

  examSetup.get("/managed-exams/{slug}/cohort", {
    operationId: "getExamCohort",
    summary: "Your exam's cohort: learners, pass rate, best-score distribution, weakest topics",
    schemas: { params: examSlugParams },
    responses: { 200: ["The cohort (totals only).", Cohort], 404: noExam },
    handler: async ({ params }, actor) => {
      const cohort = await setup.cohort({ actor, slug: params.slug });
      return {
        exam: { slug: cohort.exam.slug, title: cohort.exam.title, passMarkPercent: cohort.exam.passMarkPercent },
        learners: cohort.learners,
        passRate: cohort.passRate,
        bins: cohort.bins,
        weakestTopics: cohort.weakestTopics,
      };
    },
  });

  const classes = endpointGroup({ tag: "Classes", scope: "instructor" });

  classes.get("/classes/{id}/gradebook", {
    operationId: "getClassGradebook",
    summary: "A class's gradebook: each learner's attempts, best and last scores, mastery, cards due, last activity",
    schemas: { params: classParams },
    responses: { 200: ["The gradebook.", ClassGradebook], 404: "No such class of yours." },
    handler: async ({ params }, actor) => {
      const book = await deps.gradebook.gradebook({ actor, classId: params.id });
      const rows = [...book.rows].sort((a, b) => a.name.localeCompare(b.name, "en") || a.id.localeCompare(b.id));
      return {
        class: book.cls,
        exams: book.exams.map((e) => ({ slug: e.slug, title: e.title, passMarkPercent: e.passMarkPercent })),
        topics: book.topics,
        learners: rows.map((r) => ({
          id: r.id,
          name: r.name,
          email: r.email,
          exams: book.exams.map((e) => {
            const cell = r.exams.get(e.id);
            return {
              slug: e.slug,
              attempts: cell?.attempts ?? 0,
              best: cell?.best ?? null,
              last: cell?.last ?? null,
              submittedAttemptIds: cell?.submitted.map((s) => s.id) ?? [],
            };
          }),
          topics: [...r.topics].map(([path, t]) => ({ path, mastery: t.mean, answers: t.answers })),
          predictedPercent: r.readiness?.predictedPercent ?? null,
          passProbability: r.readiness?.pPass ?? null,
          cardsDue: r.due,
          lastActive: r.lastActive?.toISOString() ?? null,
        })),
      };
    },
  });

  return [...banks.list, ...questions.list, ...examSetup.list, ...classes.list];
}
