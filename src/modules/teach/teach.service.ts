// The instructor workspace's use cases. Every one takes the acting user and asks the banks'
// policy whether they may touch the bank: instructors their own, admins all, learners nothing.
import type { Actor } from "../../actor";
import type { Clock } from "../../clock";
import { admitOrThrow, type Db, type KeysetPage, type LimitPolicy, type Limiter } from "../../db";
import { NotFound } from "../../errors";
import type { ExamSetupService, GradedAnswerRow, StatisticsService } from "../exams";
import { claimUpload, repeatedPublish } from "./publish.repo";
import {
  authorizeBank,
  bankOwnerScope,
  bankRefFor,
  exportBankAs,
  exportService,
  type ExportFormat,
  type LeftOut,
  type Format,
  type ImportReport,
  type ImportService,
  type ManageService,
  sourceText,
} from "../banks";
import { itemStats, type ItemStats } from "./item-stats";

const PENDING_LIFETIME_MS = 24 * 3600_000;
/** Uploads per instructor: each is parsed and checked in full, up to IMPORT_MAX_BYTES. */
export const UPLOAD_POLICY: LimitPolicy = { name: "upload-user", points: 20, windowSeconds: 10 * 60 };
/**
 * Pages of previews per instructor: each page parses and checks the whole pending file again
 * (up to IMPORT_MAX_BYTES) and renders 200 questions, so it costs as much as an upload. 30 a
 * minute lets a person page through a 6,000-question file in a minute, but not a script hammer.
 */
export const PREVIEW_POLICY: LimitPolicy = { name: "preview-user", points: 30, windowSeconds: 60 };

export type PublishOutcome =
  { kind: "published"; report: ImportReport } | { kind: "already-published"; bankSlug: string };

/** What a response chose; a matching answer's pairs as "prompt:answer" (counted per pair). */
function choiceOf(response: GradedAnswerRow["response"]): string[] | null {
  if (response?.type === "single" && response.optionId) return [response.optionId];
  if (response?.type === "multiple" && response.optionIds) return response.optionIds;
  if (response?.type === "gap" && Array.isArray(response.fills))
    return response.fills.flatMap((f) => (f.optionId ? [f.optionId] : []));
  if (response?.type === "matching" && Array.isArray(response.pairs))
    return response.pairs.map((p) => `${p.prompt}:${p.match}`);
  return null;
}

export function teachService(deps: {
  prisma: Db;
  clock: Clock;
  imports: ImportService;
  manage: ManageService;
  statistics: StatisticsService;
  /** Exam setup: which exams the actor manages (exams' policy). */
  setup: Pick<ExamSetupService, "managedExam">;
  /** Built from UPLOAD_POLICY. */
  uploadLimit: Limiter;
  /** Built from PREVIEW_POLICY. */
  previewLimit: Limiter;
}) {
  const { prisma, clock, imports, manage } = deps;

  /** A bank the actor may read (owner, editor, viewer, admin), or may change with `action: "manage"`. */
  async function ownBank(actor: Actor, slug: string, action: "read" | "manage" = "read") {
    authorizeBank(actor, "list");
    const bank = await manage.bank({ slug });
    authorizeBank(actor, action, await bankRefFor(prisma, bank, actor.id));
    return bank;
  }

  async function ownQuestion(actor: Actor, questionId: string, action: "read" | "manage" = "manage") {
    authorizeBank(actor, "list");
    const q = await manage.question(questionId);
    if (q.bank.deletedAt) throw new NotFound("There is no such question.");
    authorizeBank(actor, action, await bankRefFor(prisma, q.bank, actor.id));
    return q;
  }

  return {
    ownBank,
    ownQuestion,

    /** A bank the actor manages, with item statistics per question from graded answers. */
    async bankWithStatistics(input: { actor: Actor; slug: string }) {
      const bank = await ownBank(input.actor, input.slug);
      const versions = await manage.versionsOfBank({ bankId: bank.id });
      const questionOf = new Map(versions.map((v) => [v.id, v.questionId]));
      const versionIds = versions.map((v) => v.id);
      const [rows, selfAssessments] = await Promise.all([
        deps.statistics.gradedAnswers({ questionVersionIds: versionIds }),
        deps.statistics.selfAssessments({ questionVersionIds: versionIds }),
      ]);
      const statistics = statisticsByQuestion(rows, questionOf);
      return { bank, statistics, selfAssessments };
    },

    /**
     * Item statistics of an exam the actor manages, per question over its submitted attempts
     * (versions together, as on a bank's page), in the order of the questions' topics.
     */
    async examItemStatistics(input: { actor: Actor; slug: string }) {
      const exam = await deps.setup.managedExam(input.actor, input.slug);
      const rows = await deps.statistics.gradedAnswersOfExam({ examId: exam.id });
      const questions = await manage.questionsOfVersions({
        versionIds: [...new Set(rows.map((r) => r.questionVersionId))],
      });
      const questionOf = new Map([...questions].map(([versionId, q]) => [versionId, q.id]));
      const statistics = statisticsByQuestion(rows, questionOf);
      const byId = new Map([...questions.values()].map((q) => [q.id, q]));
      const items = [...statistics].map(([questionId, stats]) => ({
        question: byId.get(questionId)!,
        statistics: stats,
      }));
      items.sort(
        (a, b) =>
          a.question.topic.path.localeCompare(b.question.topic.path) ||
          a.question.externalId.localeCompare(b.question.externalId),
      );
      return { exam, items };
    },

    async listBanks(input: { actor: Actor }) {
      authorizeBank(input.actor, "list");
      return manage.listBanks({ userId: bankOwnerScope(input.actor) });
    },

    /** One page of the banks the actor manages, newest first (the API's cursor pages). */
    async pageBanks(input: { actor: Actor; page: KeysetPage }) {
      authorizeBank(input.actor, "list");
      return manage.pageBanks({ userId: bankOwnerScope(input.actor), page: input.page });
    },

    /** Checks an upload without writing banks; a clean one is kept for publishing. */
    async previewUpload(input: {
      actor: Actor;
      fileName: string;
      /** The file's bytes (UTF-8), decoded by the parser's worker; here only once it passed. */
      text: string | Uint8Array;
      bytes: number;
      format: Format | "auto";
      /** All or nothing; otherwise questions with errors are listed and left out. */
      strict?: boolean;
    }): Promise<{ report: ImportReport; pendingId: string | null }> {
      authorizeBank(input.actor, "upload");
      await admitOrThrow(
        deps.uploadLimit,
        input.actor.id,
        (s) => `You have uploaded many files in a short time. Try again in ${Math.ceil(s / 60)} minute(s).`,
      );
      const report = await imports.importBanks({
        sources: [{ name: input.fileName, text: input.text, bytes: input.bytes }],
        format: input.format,
        dryRun: true,
        strict: input.strict ?? false,
        actor: input.actor,
        keepQuestions: true,
      });
      if (!report.ok) return { report, pendingId: null };
      await prisma.pendingImport.deleteMany({
        where: { createdAt: { lt: new Date(clock.now().getTime() - PENDING_LIFETIME_MS) } },
      });
      const pending = await prisma.pendingImport.create({
        data: { userId: input.actor.id, fileName: input.fileName, format: input.format, text: sourceText(input.text) },
      });
      return { report, pendingId: pending.id };
    },

    /** The preview of an upload waiting to be published, read again (another page of it). */
    async pendingPreview(input: {
      actor: Actor;
      pendingId: string;
    }): Promise<{ report: ImportReport; pendingId: string }> {
      authorizeBank(input.actor, "upload");
      const pending = await prisma.pendingImport.findUnique({ where: { id: input.pendingId } });
      if (!pending || pending.userId !== input.actor.id || pending.publishedAt || pending.claimedAt)
        throw new NotFound("That upload is not waiting to be published (it may have expired). Upload it again.");
      await admitOrThrow(
        deps.previewLimit,
        input.actor.id,
        (s) =>
          `You have opened preview pages faster than ${PREVIEW_POLICY.points} a minute; each page checks the whole file again. Wait ${s} second${s === 1 ? "" : "s"}, then reload this page: the upload is kept.`,
      );
      const report = await imports.importBanks({
        sources: [{ name: pending.fileName, text: pending.text }],
        format: pending.format as Format | "auto",
        dryRun: true,
        strict: false,
        actor: input.actor,
        keepQuestions: true,
      });
      return { report, pendingId: pending.id };
    },

    /**
     * Publishes a previewed upload through the same import as the command line, once: the
     * request that claims the upload imports it; a repeat (a double click, another tab) is
     * sent to the bank it became, or told that it is being published.
     */
    async publishUpload(input: { actor: Actor; pendingId: string }): Promise<PublishOutcome> {
      authorizeBank(input.actor, "upload");
      const pending = await claimUpload(prisma, { ...input, now: clock.now() });
      if (!pending) return repeatedPublish(prisma, input);
      let report: ImportReport | undefined;
      try {
        report = await imports.importBanks({
          sources: [{ name: pending.fileName, text: pending.text }],
          format: pending.format as Format | "auto",
          // What the preview listed as left out stays out; the rest is written in one transaction.
          strict: false,
          actor: input.actor,
        });
        return { kind: "published", report };
      } finally {
        // Published: remember as what. Refused or failed: let the next request try again.
        await prisma.pendingImport.update({
          where: { id: pending.id },
          data: report?.ok
            ? { publishedAt: clock.now(), bankSlug: report.banks[0]?.slug ?? null, text: "" }
            : { claimedAt: null },
        });
      }
    },

    async editorText(input: { actor: Actor; questionId: string }) {
      const q = await ownQuestion(input.actor, input.questionId, "read");
      return { question: q, text: await manage.editorText({ questionId: q.id }) };
    },

    async previewEdit(input: { actor: Actor; questionId: string; text: string }) {
      await ownQuestion(input.actor, input.questionId);
      return manage.preview({ text: input.text });
    },

    async saveEdit(input: { actor: Actor; questionId: string; text: string }) {
      await ownQuestion(input.actor, input.questionId);
      return manage.saveEdit({ questionId: input.questionId, text: input.text });
    },

    async setRetired(input: { actor: Actor; questionId: string; retired: boolean }) {
      const q = await ownQuestion(input.actor, input.questionId);
      await manage.setRetired({ questionId: q.id, retired: input.retired });
      return q.bank.slug;
    },

    async exportBank(input: {
      actor: Actor;
      slug: string;
      format: ExportFormat;
    }): Promise<{ fileName: string; type: string; text: string; leftOut: LeftOut[] }> {
      await ownBank(input.actor, input.slug);
      const bank = await exportService({ prisma }).loadBank({ slug: input.slug });
      return exportBankAs(bank, input.format);
    },
  };
}

export type TeachService = ReturnType<typeof teachService>;

/** Item statistics per question from graded answers to any of its versions. */
function statisticsByQuestion(rows: GradedAnswerRow[], questionOf: Map<string, string>): Map<string, ItemStats> {
  const byQuestion = new Map<string, GradedAnswerRow[]>();
  for (const row of rows) {
    const questionId = questionOf.get(row.questionVersionId);
    if (questionId) byQuestion.set(questionId, [...(byQuestion.get(questionId) ?? []), row]);
  }
  const statistics = new Map<string, ItemStats>();
  for (const [questionId, list] of byQuestion)
    statistics.set(
      questionId,
      itemStats(
        list.map((r) => ({
          attemptId: r.attemptId,
          itemScore: Number(r.score),
          attemptPoints: Number(r.points),
          choice: choiceOf(r.response),
        })),
      ),
    );
  return statistics;
}
