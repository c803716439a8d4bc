import { z } from "zod";
import { EXPORT_FORMATS } from "../banks";
import { formInt, slug, text, uuid } from "../../web/input";

export const slugParam = z.object({ slug });
export const questionParam = z.object({ id: uuid });
export const pendingParam = z.object({ id: uuid });
/** A page of an upload's preview (the presenter shows the last page for a number past it). */
export const previewQuery = z.object({ page: formInt(1, 100_000).default(1) });
export const exportQuery = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `Choose ${EXPORT_FORMATS.join(", ")}.` }).default("yaml"),
});
export const uploadForm = z.object({
  format: z
    .enum(["auto", "yaml", "gift", "aiken", "xml", "csv", "qti"], {
      error: "Choose auto, yaml, gift, aiken, xml, csv or qti.",
    })
    .default("auto"),
  strict: z
    .union([z.literal("1"), z.literal("on")])
    .optional()
    .transform((v) => v !== undefined),
});
export const editForm = z.object({
  text: text(200_000),
  action: z.enum(["preview", "save"]).default("preview"),
});
export const retireForm = z.object({ retired: z.enum(["true", "false"]).transform((v) => v === "true") });
export const publishForm = z.object({ published: z.enum(["true", "false"]).transform((v) => v === "true") });

const checkbox = z
  .union([z.literal("1"), z.literal("on")])
  .optional()
  .transform((v) => v !== undefined);

const WEIGHT_MAX = 100;

const COUNT_MAX = 200;
const quotaField = z
  .union([z.literal(""), z.coerce.number().int("A whole number.").min(0, "0 or more.").max(COUNT_MAX)])
  .optional()
  .transform((v) => (v === "" || v === undefined ? null : v));

/**
 * The exam setup form. Per topic, weight_<topic> fields hold either weights (1 to 100, default 1,
 * converted to counts by the largest-remainder rule) or, with weightsAre=counts, the exact
 * questions per topic (adding up to the question count). quotaEasy/Medium/Hard: questions per
 * difficulty on every form (all empty: no quota). An empty pass mark: none (a placement test).
 */
export const examForm = z
  .object({
    title: z.string().trim().min(1, "Give the exam a title.").max(200),
    slug: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{2,60}$/, "Use 3 to 61 lower-case letters, digits and dashes."),
    kind: z.enum(["mock", "module"]),
    questionCount: z.coerce.number().int().min(1, "At least 1 question.").max(200, "At most 200 questions."),
    timeLimitMinutes: z.coerce.number().int().min(1, "At least 1 minute.").max(600, "At most 600 minutes."),
    passMarkPercent: z
      .union([z.literal(""), z.coerce.number().int().min(0).max(100, "A percentage from 0 to 100.")])
      .transform((v) => (v === "" ? null : v)),
    weightsAre: z.enum(["weights", "counts"]).default("weights"),
    quotaEasy: quotaField,
    quotaMedium: quotaField,
    quotaHard: quotaField,
    attempts: z.union([z.literal(""), z.coerce.number().int().min(1).max(100)]).transform((v) => (v === "" ? null : v)),
    review: z.enum(["after_submit", "after_close", "never"]),
    opensAt: z
      .union([z.literal(""), z.iso.datetime({ local: true })])
      .optional()
      .transform((v) => (v === "" || v === undefined ? null : new Date(`${v}Z`))),
    closesAt: z
      .union([z.literal(""), z.iso.datetime({ local: true })])
      .transform((v) => (v === "" ? null : new Date(`${v}Z`))),
    shuffleQuestions: checkbox,
    shuffleOptions: checkbox,
    partialCredit: checkbox,
    topics: z
      .union([z.string(), z.array(z.string()).max(500)])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  })
  .passthrough()
  .superRefine((form, ctx) => {
    for (const topic of form.topics) {
      const raw = form[`weight_${topic}`];
      if (raw === undefined || raw === "") continue;
      const n = typeof raw === "string" ? Number(raw) : NaN;
      const max = form.weightsAre === "counts" ? COUNT_MAX : WEIGHT_MAX;
      if (!(Number.isInteger(n) && n >= 1 && n <= max))
        ctx.addIssue({
          code: "custom",
          path: [`weight_${topic}`],
          message:
            form.weightsAre === "counts"
              ? `A count is a whole number from 1 to ${COUNT_MAX}.`
              : `A weight is a whole number from 1 to ${WEIGHT_MAX}.`,
        });
    }
    if (form.kind === "mock" && form.weightsAre === "counts") {
      const total = form.topics.reduce((sum, topic) => {
        const raw = form[`weight_${topic}`];
        return sum + (typeof raw === "string" && raw.trim() ? Number(raw) : 1);
      }, 0);
      if (total !== form.questionCount)
        ctx.addIssue({
          code: "custom",
          path: ["topics"],
          message: `The questions per topic add up to ${total}; the exam has ${form.questionCount}.`,
        });
    }
    const quota = [form.quotaEasy, form.quotaMedium, form.quotaHard];
    if (quota.some((q) => q !== null)) {
      const total = quota.reduce<number>((sum, q) => sum + (q ?? 0), 0);
      if (total !== form.questionCount)
        ctx.addIssue({
          code: "custom",
          path: ["quotaEasy"],
          message: `The questions per difficulty add up to ${total}; the exam has ${form.questionCount}.`,
        });
    }
  })
  .transform((form) => ({
    ...form,
    difficultyQuota:
      form.quotaEasy === null && form.quotaMedium === null && form.quotaHard === null
        ? null
        : { "1": form.quotaEasy ?? 0, "2": form.quotaMedium ?? 0, "3": form.quotaHard ?? 0 },
    blueprint: Object.fromEntries(
      form.topics.map((topic) => {
        const raw = form[`weight_${topic}`];
        return [topic, typeof raw === "string" && raw.trim() ? Number(raw) : 1];
      }),
    ),
  }));

export type ExamForm = z.output<typeof examForm>;

// Classes and bank sharing (classes.routes.ts).
export const classParam = z.object({ id: uuid });
export const cohortQuery = z.object({ class: uuid.optional() });
export const gradebookQuery = z.object({
  sort: text(200).optional(),
  dir: z.enum(["asc", "desc"], { error: "Choose asc or desc." }).default("asc"),
});
export const classItemParams = z.object({ id: uuid, slug });
export const shareForm = z.object({ shared: z.enum(["true", "false"]).transform((v) => v === "true") });
export const bankSettingsForm = z.object({
  title: text(200).trim().min(1, "Give the bank a title."),
  description: text(2000).trim().default(""),
});
export const archiveForm = z.object({ archived: z.enum(["true", "false"]).transform((v) => v === "true") });
export const publicForm = z.object({ public: z.enum(["true", "false"]).transform((v) => v === "true") });
export const deleteBankForm = z.object({ confirm: text(200).default("") });
export const collaboratorForm = z.object({
  email: text(320).trim().min(3, "Type the instructor's email."),
  role: z.enum(["editor", "viewer"], { error: "Choose editor or viewer." }),
});
export const collaboratorParams = z.object({ slug, userId: uuid });
