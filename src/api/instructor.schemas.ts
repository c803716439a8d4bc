// Request and response schemas of the instructor endpoints.
import { z } from "zod";
import { slug, text, uuid } from "../web/input";
import { isoDate } from "./schemas";

export const bankParams = z.strictObject({ slug });
export const questionParams = z.strictObject({ id: uuid.meta({ format: "uuid" }) });
export const pendingParams = z.strictObject({ id: uuid.meta({ format: "uuid" }) });

export const BANK_MEDIA_TYPES = [
  "application/yaml",
  "text/yaml",
  "application/x-yaml",
  "text/plain",
  "application/xml",
  "text/xml",
  "text/csv",
  "application/octet-stream",
];

export const previewQuery = z.strictObject({
  fileName: z
    .string()
    .regex(/^[\w.-]{1,200}$/, "letters, digits, dots, dashes and underscores only")
    .meta({ description: "The file's name; its extension helps tell the format." }),
  format: z
    .enum(["auto", "yaml", "gift", "aiken", "xml", "csv", "qti"])
    .default("auto")
    .meta({ description: "The bank format; `auto` tells it from the name and content." }),
});

export const BankFile = z.string().meta({ description: "The bank file's text." });

export const exportQuery = z.strictObject({
  format: z.enum(["yaml", "gift", "xml", "qti", "csv", "aiken"]).default("yaml"),
});

export const Bank = z
  .object({
    slug: z.string(),
    title: z.string(),
    owner: z.string(),
    questions: z.number().int(),
    cards: z.number().int(),
    updatedAt: isoDate,
  })
  .meta({ id: "Bank" });

export const ImportReport = z
  .object({
    ok: z.boolean(),
    dryRun: z.boolean(),
    banks: z.array(z.object({ slug: z.string(), title: z.string() }).loose()),
    topics: z.number().int(),
    questions: z.number().int(),
    cards: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    retired: z.number().int(),
    errors: z.array(z.string()).meta({ description: "file:line:column: message" }),
    warnings: z.array(z.string()),
    skipped: z
      .array(z.object({ at: z.string(), id: z.string().optional(), label: z.string(), reasons: z.array(z.string()) }))
      .meta({ description: "Questions left out of a lenient import (uploads here are strict: empty)." }),
  })
  .meta({ id: "ImportReport" });

export const Preview = z
  .object({
    pendingId: z.string().nullable().meta({ description: "Publish with this id; null when the file has errors." }),
    report: ImportReport,
  })
  .meta({ id: "Preview" });

export const Publication = z
  .object({
    status: z.enum(["published", "already-published"]),
    bank: z.string().meta({ description: "The slug of the bank it became." }),
    report: ImportReport.nullable(),
  })
  .meta({ id: "Publication" });

const num = z.number().nullable();

const ItemStatistics = z
  .object({
    responses: z.number().int(),
    facility: num,
    discrimination: num,
    upperLower: num,
    optionCounts: z.record(z.string(), z.number().int()),
    unanswered: z.number().int(),
    flags: z.array(z.string()),
  })
  .meta({ id: "ItemStatistics", description: "Classical item statistics (docs/scoring.md)." });

export const ExamStatistics = z
  .object({
    exam: z.object({ slug: z.string(), title: z.string() }),
    questions: z.array(
      z.object({
        id: z.string(),
        externalId: z.string(),
        bank: z.string(),
        topicPath: z.string(),
        version: z.number().int().meta({ description: "The question's current version." }),
        stemHtml: z.string(),
        statistics: ItemStatistics,
      }),
    ),
  })
  .meta({
    id: "ExamStatistics",
    description: "Item statistics of the questions the exam's submitted attempts answered (every version together).",
  });

export const Cohort = z
  .object({
    exam: z.object({ slug: z.string(), title: z.string(), passMarkPercent: z.number().int().nullable() }),
    learners: z.number().int().meta({ description: "Learners with at least one submitted attempt." }),
    passRate: num.meta({ description: "Share of them whose best attempt reached the pass mark; null without one." }),
    bins: z.array(z.object({ from: z.number().int(), to: z.number().int(), learners: z.number().int() })).meta({
      description: "Best scores in ten bins of 10 points ([from, to); the last includes 100).",
    }),
    weakestTopics: z.array(z.object({ topic: z.string(), answers: z.number().int(), scorePercent: z.number() })),
  })
  .meta({ id: "Cohort", description: "Totals only, never a learner's answers." });

export const BankDetail = z
  .object({
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    questions: z.array(
      z.object({
        id: z.string(),
        externalId: z.string(),
        retired: z.boolean(),
        topicPath: z.string(),
        version: z.number().int(),
        type: z.string(),
        stemHtml: z.string(),
        statistics: ItemStatistics,
        selfAssessments: z
          .object({
            had: z.number().int(),
            partly: z.number().int(),
            missed: z.number().int(),
            total: z.number().int(),
          })
          .nullable()
          .meta({
            description:
              "Essays (never scored): learners by their latest self-assessment against the model answer; null for other types.",
          }),
      }),
    ),
  })
  .meta({ id: "BankDetail", description: "A bank's questions with item statistics from graded answers." });

export const QuestionSource = z
  .object({
    id: z.string(),
    externalId: z.string(),
    bank: z.string(),
    version: z.number().int(),
    retired: z.boolean(),
    text: z.string().meta({ description: "The question in the native YAML format, as the editor shows it." }),
  })
  .meta({ id: "QuestionSource" });

export const versionBody = z.strictObject({ text: text(200_000).min(1) });
export const NewVersion = z
  .object({ changed: z.boolean(), version: z.number().int() })
  .meta({ id: "NewVersion", description: "changed: false when the text made no difference (no version added)." });
export const VersionErrors = z.object({ errors: z.array(z.string()) }).meta({ id: "VersionErrors" });

export const retirementBody = z.strictObject({ retired: z.boolean() });
export const Retirement = z.object({ retired: z.boolean(), bank: z.string() });

export const examSettings = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{2,60}$/, "3 to 61 lower-case letters, digits and dashes"),
    kind: z.enum(["mock", "module"]),
    questionCount: z.number().int().min(1).max(200),
    timeLimitMinutes: z.number().int().min(1).max(600),
    passMarkPercent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .nullable()
      .meta({ description: "null: no pass mark (a placement test)." }),
    attempts: z.number().int().min(1).max(100).nullable().default(null),
    review: z.enum(["after_submit", "after_close", "never"]).default("after_submit"),
    opensAt: z.iso.datetime().nullable().default(null),
    closesAt: z.iso.datetime().nullable().default(null),
    shuffleQuestions: z.boolean().default(true),
    shuffleOptions: z.boolean().default(true),
    partialCredit: z.boolean().default(false),
    topics: z
      .array(slug)
      .min(1)
      .max(500)
      .meta({ description: "Top-level topics (module) or blueprint topics (mock)." }),
    blueprint: z
      .record(slug, z.number().int().min(1).max(100))
      .optional()
      .meta({ description: "Mock exams: weight (or, with weightsAre: counts, questions) per topic (default 1 each)." }),
    weightsAre: z
      .enum(["weights", "counts"])
      .default("weights")
      .meta({ description: "weights are turned into questions per topic once, when saved; counts are used as given." }),
    difficultyQuota: z
      .record(z.enum(["1", "2", "3"]), z.number().int().min(0).max(200))
      .nullable()
      .default(null)
      .meta({ description: "Questions per difficulty (1 easy, 2 medium, 3 hard) on every form; null: none." }),
  })
  .meta({ id: "ExamSettings" });

export const ManagedExam = z
  .object({
    slug: z.string(),
    title: z.string(),
    kind: z.string(),
    published: z.boolean(),
    questionCount: z.number().int(),
    timeLimitSeconds: z.number().int(),
    passMarkPercent: z.number().int().nullable(),
    maxAttempts: z.number().int().nullable(),
    reviewPolicy: z.string(),
    opensAt: isoDate.nullable(),
    closesAt: isoDate.nullable(),
    topicPaths: z.array(z.string()),
    blueprint: z.record(z.string(), z.number()).nullable(),
    attempts: z.number().int().optional(),
  })
  .meta({ id: "ManagedExam" });

export const publicationBody = z.strictObject({ published: z.boolean() });

export const classParams = z.strictObject({ id: uuid.meta({ format: "uuid" }) });

export const ClassGradebook = z
  .object({
    class: z.object({ id: z.string(), name: z.string() }),
    exams: z
      .array(z.object({ slug: z.string(), title: z.string(), passMarkPercent: z.number().int().nullable() }))
      .meta({ description: "The exams shared with the class, and the public mock exams." }),
    topics: z.array(z.object({ path: z.string(), title: z.string() })),
    learners: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        email: z.string(),
        exams: z.array(
          z.object({
            slug: z.string(),
            attempts: z.number().int(),
            best: z.number().nullable(),
            last: z.number().nullable(),
            submittedAttemptIds: z
              .array(z.string())
              .meta({ description: "Oldest first; each readable at /attempts/{id}/review." }),
          }),
        ),
        topics: z
          .array(z.object({ path: z.string(), mastery: z.number(), answers: z.number().int() }))
          .meta({ description: "Mastery (0 to 1, the estimate's mean) per topic the learner has answered." }),
        predictedPercent: z.number().nullable(),
        passProbability: z.number().nullable(),
        cardsDue: z.number().int(),
        lastActive: isoDate.nullable(),
      }),
    ),
  })
  .meta({ id: "ClassGradebook", description: "A row per learner of the class, sorted by name." });
