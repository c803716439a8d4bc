// Instructor endpoints: banks (list, upload for preview, publish, export, item statistics),
// questions (read, new version, retire) and exams (create, update, publish), through the teach
// and exam-setup use cases, which ask the banks' and exams' policies.
import type { CatalogueService, ImportReport as ImportReportRow } from "../modules/banks";
import type { ExamSetupService } from "../modules/exams";
import type { TeachService } from "../modules/teach";
import { endpoint, problemOf, type Endpoint } from "./endpoint";
import {
  Bank,
  BankDetail,
  BankFile,
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
} from "./instructor.schemas";
import { examSlugParams } from "./learner.schemas";
import { paginate } from "./pagination";
import { page, pageQuery } from "./schemas";
import type { z } from "zod";

export type InstructorDeps = { teach: TeachService; setup: ExamSetupService; catalogue: CatalogueService };

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

export function instructorEndpoints(deps: InstructorDeps): Endpoint[] {
  const { teach, setup } = deps;
  return [
    endpoint({
      method: "get",
      path: "/banks",
      operationId: "listBanks",
      summary: "Banks you manage (every bank for admins)",
      tag: "Banks",
      scope: "instructor",
      schemas: { query: pageQuery },
      responses: { 200: { description: "A page of banks.", schema: page(Bank), headers: ["ETag"] } },
      handler: async ({ query }, actor) => {
        const banks = (await teach.listBanks({ actor })).map((b) => ({
          slug: b.slug,
          title: b.title,
          owner: b.owner,
          questions: b.questions,
          cards: b.cards,
          updatedAt: b.updatedAt.toISOString(),
        }));
        return { status: 200, json: paginate(banks, (b) => b.slug, query) };
      },
    }),
    endpoint({
      method: "post",
      path: "/banks/previews",
      operationId: "previewBank",
      summary: "Upload a bank file for preview: checked in full, nothing published yet",
      description:
        "Send the file as the raw body. A clean file is kept for publishing (201 with `pendingId`); a file with errors answers 422 with the report (`file:line:column: message`).",
      tag: "Banks",
      scope: "instructor",
      schemas: { query: previewQuery },
      rawBody: BANK_MEDIA_TYPES,
      responses: {
        201: { description: "Checked; publish it with `pendingId`.", schema: Preview },
        413: problemOf("The file is larger than the upload limit."),
        415: problemOf("Another media type."),
        422: { description: "The file has errors; nothing was kept.", schema: Preview },
      },
      handler: async ({ query }, actor, req) => {
        const file = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const { report, pendingId } = await teach.previewUpload({
          actor,
          fileName: query.fileName,
          text: file,
          bytes: file.length,
          format: query.format,
        });
        return { status: report.ok ? 201 : 422, json: { pendingId, report: reportJson(report) } };
      },
    }),
    endpoint({
      method: "post",
      path: "/banks/previews/{id}/publication",
      operationId: "publishBank",
      summary: "Publish a previewed upload (once: a repeat says what it became)",
      tag: "Banks",
      scope: "instructor",
      schemas: { params: pendingParams },
      responses: {
        200: { description: "Published now, or before.", schema: Publication },
        404: problemOf("No such upload of yours."),
        409: problemOf("Being published by another request."),
        422: { description: "The import refused it (the banks changed since the preview).", schema: Publication },
      },
      handler: async ({ params }, actor) => {
        const outcome = await teach.publishUpload({ actor, pendingId: params.id });
        if (outcome.kind === "already-published")
          return { status: 200, json: { status: "already-published", bank: outcome.bankSlug, report: null } };
        const { report } = outcome;
        return {
          status: report.ok ? 200 : 422,
          json: { status: "published", bank: report.banks[0]?.slug ?? "", report: reportJson(report) },
        };
      },
    }),
    endpoint({
      method: "get",
      path: "/banks/{slug}",
      operationId: "getBank",
      summary: "A bank's questions with item statistics (facility, discrimination, option counts, flags)",
      tag: "Banks",
      scope: "instructor",
      schemas: { params: bankParams },
      responses: {
        200: { description: "The bank.", schema: BankDetail, headers: ["ETag"] },
        404: problemOf("No such bank."),
      },
      handler: async ({ params }, actor) => {
        const { bank, statistics } = await teach.bankWithStatistics({ actor, slug: params.slug });
        return {
          status: 200,
          json: {
            slug: bank.slug,
            title: bank.title,
            description: bank.description,
            questions: bank.questions.map((q) => {
              const s = statistics.get(q.id);
              return {
                id: q.id,
                externalId: q.externalId,
                retired: q.retiredAt !== null,
                topicPath: q.topic.path,
                version: q.currentVersion?.number ?? 0,
                type: q.currentVersion?.type ?? "",
                stemHtml: q.currentVersion?.stemHtml ?? "",
                statistics: {
                  responses: s?.responses ?? 0,
                  facility: s?.facility ?? null,
                  discrimination: s?.discrimination ?? null,
                  upperLower: s?.upperLower ?? null,
                  optionCounts: s?.optionCounts ?? {},
                  unanswered: s?.unanswered ?? 0,
                  flags: s?.flags ?? [],
                },
              };
            }),
          },
        };
      },
    }),
    endpoint({
      method: "get",
      path: "/banks/{slug}/export",
      operationId: "exportBank",
      summary: "Export a bank (native YAML, GIFT, Moodle XML, QTI 3.0 items, CSV or Aiken)",
      tag: "Banks",
      scope: "instructor",
      schemas: { params: bankParams, query: exportQuery },
      responses: {
        200: {
          description: "The bank file.",
          schema: BankFile,
          type: "text/plain",
          headers: ["Content-Disposition", "ETag"],
        },
        404: problemOf("No such bank."),
      },
      handler: async ({ params, query }, actor) => {
        const file = await teach.exportBank({ actor, slug: params.slug, format: query.format });
        return {
          status: 200,
          text: file.text,
          type: "text/plain; charset=utf-8",
          headers: { "Content-Disposition": `attachment; filename="${file.fileName}"` },
        };
      },
    }),
    endpoint({
      method: "get",
      path: "/questions/{id}",
      operationId: "getQuestion",
      summary: "A question's current version as editable text",
      tag: "Questions",
      scope: "instructor",
      schemas: { params: questionParams },
      responses: {
        200: { description: "The question.", schema: QuestionSource, headers: ["ETag"] },
        404: problemOf("No such question."),
      },
      handler: async ({ params }, actor) => {
        const { question, text } = await teach.editorText({ actor, questionId: params.id });
        return {
          status: 200,
          json: {
            id: question.id,
            externalId: question.externalId,
            bank: question.bank.slug,
            version: question.currentVersion.number,
            retired: question.retiredAt !== null,
            text,
          },
        };
      },
    }),
    endpoint({
      method: "post",
      path: "/questions/{id}/versions",
      operationId: "newQuestionVersion",
      summary: "Save edited text as a new version (past attempts keep theirs)",
      tag: "Questions",
      scope: "instructor",
      schemas: { params: questionParams, body: versionBody },
      responses: {
        200: { description: "Saved (or unchanged).", schema: NewVersion },
        404: problemOf("No such question."),
        422: { description: "The text has errors (`question:line:column: message`).", schema: VersionErrors },
      },
      handler: async ({ params, body }, actor) => {
        const saved = await teach.saveEdit({ actor, questionId: params.id, text: body.text });
        if (!saved.ok) return { status: 422, json: { errors: saved.errors } };
        return { status: 200, json: { changed: saved.changed, version: saved.version } };
      },
    }),
    endpoint({
      method: "put",
      path: "/questions/{id}/retirement",
      operationId: "setQuestionRetired",
      summary: "Retire a question (new attempts stop drawing it) or restore it",
      tag: "Questions",
      scope: "instructor",
      schemas: { params: questionParams, body: retirementBody },
      responses: { 200: { description: "Done.", schema: Retirement }, 404: problemOf("No such question.") },
      handler: async ({ params, body }, actor) => {
        const bank = await teach.setRetired({ actor, questionId: params.id, retired: body.retired });
        return { status: 200, json: { retired: body.retired, bank } };
      },
    }),
    endpoint({
      method: "get",
      path: "/managed-exams",
      operationId: "listManagedExams",
      summary: "Exams you manage (every exam for admins)",
      tag: "Exam setup",
      scope: "instructor",
      schemas: { query: pageQuery },
      responses: { 200: { description: "A page of exams.", schema: page(ManagedExam), headers: ["ETag"] } },
      handler: async ({ query }, actor) => {
        const exams = (await setup.listExams({ actor })).map(examJson);
        return { status: 200, json: paginate(exams, (e) => e.slug, query) };
      },
    }),
    endpoint({
      method: "post",
      path: "/managed-exams",
      operationId: "createExam",
      summary: "Create an exam (unpublished until you publish it)",
      tag: "Exam setup",
      scope: "instructor",
      schemas: { body: examSettings },
      responses: { 201: { description: "Created.", schema: ManagedExam, headers: ["Location"] } },
      handler: async ({ body }, actor) => {
        const exam = await setup.createExam({ actor, settings: settingsOf(body) });
        return { status: 201, json: examJson(exam), headers: { Location: `/api/v1/managed-exams/${exam.slug}` } };
      },
    }),
    endpoint({
      method: "put",
      path: "/managed-exams/{slug}",
      operationId: "updateExam",
      summary: "Replace an exam's settings (attempts already started keep theirs)",
      tag: "Exam setup",
      scope: "instructor",
      schemas: { params: examSlugParams, body: examSettings },
      responses: {
        200: { description: "Saved.", schema: ManagedExam },
        404: problemOf("No such exam."),
        409: problemOf("The slug cannot change."),
      },
      handler: async ({ params, body }, actor) => {
        const exam = await setup.updateExam({ actor, slug: params.slug, settings: settingsOf(body) });
        return { status: 200, json: examJson(exam) };
      },
    }),
    endpoint({
      method: "put",
      path: "/managed-exams/{slug}/publication",
      operationId: "setExamPublished",
      summary: "Publish or unpublish an exam",
      tag: "Exam setup",
      scope: "instructor",
      schemas: { params: examSlugParams, body: publicationBody },
      responses: {
        200: { description: "Done.", schema: ManagedExam },
        404: problemOf("No such exam."),
      },
      handler: async ({ params, body }, actor) => {
        await setup.setPublished({ actor, slug: params.slug, published: body.published });
        return { status: 200, json: examJson(await setup.managedExam(actor, params.slug)) };
      },
    }),
  ];
}
