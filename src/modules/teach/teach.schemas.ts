import { z } from "zod";

export const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/) });
export const questionParam = z.object({ id: z.uuid() });
export const pendingParam = z.object({ id: z.uuid() });
export const exportQuery = z.object({ format: z.enum(["yaml", "gift"]).default("yaml") });
export const uploadForm = z.object({ format: z.enum(["auto", "yaml", "gift", "aiken", "xml", "csv"]).default("auto") });
export const editForm = z.object({
  text: z.string().max(200_000),
  action: z.enum(["preview", "save"]).default("preview"),
});
export const retireForm = z.object({ retired: z.enum(["true", "false"]).transform((v) => v === "true") });
export const publishForm = z.object({ published: z.enum(["true", "false"]).transform((v) => v === "true") });

const checkbox = z
  .union([z.literal("1"), z.literal("on")])
  .optional()
  .transform((v) => v !== undefined);

/** The exam setup form; blueprint weights come as weight_<topic> fields. */
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
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  })
  .passthrough();

export type ExamForm = z.infer<typeof examForm>;

export function blueprintFrom(body: Record<string, unknown>, topics: string[]): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const topic of topics) {
    const raw = body[`weight_${topic}`];
    const n = typeof raw === "string" && raw.trim() ? Number(raw) : 1;
    if (Number.isFinite(n) && n > 0) weights[topic] = n;
  }
  return weights;
}
