import { z } from "zod";
import { slug, text, uuid } from "../../web/input";

export const slugParam = z.object({ slug });
export const questionParam = z.object({ id: uuid });
export const pendingParam = z.object({ id: uuid });
export const exportQuery = z.object({
  format: z.enum(["yaml", "gift"], { error: "Choose yaml or gift." }).default("yaml"),
});
export const uploadForm = z.object({
  format: z
    .enum(["auto", "yaml", "gift", "aiken", "xml", "csv"], { error: "Choose auto, yaml, gift, aiken, xml or csv." })
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

/** The exam setup form; blueprint weights come as weight_<topic> fields (1 to 100, default 1). */
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
    passMarkPercent: z.coerce.number().int().min(0).max(100, "A percentage from 0 to 100."),
    attempts: z.union([z.literal(""), z.coerce.number().int().min(1).max(100)]).transform((v) => (v === "" ? null : v)),
    review: z.enum(["after_submit", "after_close", "never"]),
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
      if (!(Number.isInteger(n) && n >= 1 && n <= WEIGHT_MAX))
        ctx.addIssue({
          code: "custom",
          path: [`weight_${topic}`],
          message: `A weight is a whole number from 1 to ${WEIGHT_MAX}.`,
        });
    }
  })
  .transform((form) => ({
    ...form,
    blueprint: Object.fromEntries(
      form.topics.map((topic) => {
        const raw = form[`weight_${topic}`];
        return [topic, typeof raw === "string" && raw.trim() ? Number(raw) : 1];
      }),
    ),
  }));

export type ExamForm = z.output<typeof examForm>;
