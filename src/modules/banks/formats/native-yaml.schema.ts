// The zod schema of the native bank format; docs/question-bank.schema.json mirrors it.
import { z } from "zod";

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and dashes");
const markdown = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} must not be empty`);
const sqlText = (what: string) =>
  z
    .string({ error: `${what} is required (SQL text)` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(100_000, `${what} is longer than 100000 characters`);
const topicPath = z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/, "topic paths are lower-case words joined by /");
const difficulty = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: "difficulty must be 1, 2 or 3" });

const common = {
  id,
  topic: topicPath,
  difficulty,
  tags: z.array(z.string().min(1)).max(20).optional(),
  /** Text that introduces the question, shown above its stem (a description before it in GIFT or Moodle XML). */
  intro: markdown("intro").optional(),
  stem: markdown("stem"),
  explanation: markdown("explanation"),
  references: z.array(z.string().min(1)).optional(),
  level: z.enum(["recall", "apply", "analyse"], { error: "level must be recall, apply or analyse" }).optional(),
};

const option = z.strictObject({
  text: markdown("option text"),
  correct: z.boolean().optional(),
  feedback: z.string().optional(),
  /**
   * The option's share of the mark in percent: multiple response (negative: a penalty), or a
   * wrong single-choice option that earns part of the mark (partial credit).
   */
  weight: z
    .number({ error: "weight must be a number" })
    .min(-100, "weight must be between -100 and 100")
    .max(100, "weight must be between -100 and 100")
    .optional(),
});
/** A typed answer's share of the mark in percent (0 to 100; 100 when left out). */
const typedWeight = z
  .number({ error: "weight must be a number" })
  .min(0, "weight must be between 0 and 100")
  .max(100, "weight must be between 0 and 100")
  .optional();
/** What the learner is told after submitting this answer (plain text). */
const answerFeedback = z.string().trim().min(1, "feedback must not be empty").optional();
const numericAnswer = z.strictObject({
  value: z.number({ error: "answer.value must be a number" }),
  tolerance: z.number().min(0, "tolerance must not be negative").optional(),
  weight: typedWeight,
  feedback: answerFeedback,
});
const shortAnswer = z.strictObject({
  text: z.string({ error: "answer text is required" }).trim().min(1, "answer text must not be empty"),
  weight: typedWeight,
  feedback: answerFeedback,
});

export const questionEntry = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      ...common,
      type: z.literal("single"),
      options: z.array(option).min(2, "give at least 2 options").max(8, "give at most 8 options"),
    }),
    z.strictObject({
      ...common,
      type: z.literal("multiple"),
      options: z.array(option).min(2, "give at least 2 options").max(8, "give at most 8 options"),
    }),
    z.strictObject({
      ...common,
      type: z.literal("truefalse"),
      answer: z.boolean({ error: "answer must be true or false" }),
    }),
    z
      .strictObject({
        ...common,
        type: z.literal("short"),
        accept: z.array(z.string().trim().min(1)).min(1).optional(),
        /** Answers with their weight and feedback, after those of accept. */
        answers: z.array(shortAnswer).min(1, "give at least one answer").optional(),
        otherFeedback: answerFeedback,
        caseSensitive: z.boolean().optional(),
        pattern: z.string().min(1).optional(),
      })
      .refine((q) => q.accept || q.answers || q.pattern, {
        message: "a short-text question needs accept (a list of answers), answers or pattern",
        path: ["accept"],
      }),
    z
      .strictObject({
        ...common,
        type: z.literal("numeric"),
        answer: numericAnswer.optional(),
        /** Several accepted values, each with its tolerance. */
        answers: z.array(numericAnswer).min(1, "give at least one answer").optional(),
        otherFeedback: answerFeedback,
        unit: z.string().optional(),
      })
      .refine((q) => (q.answer === undefined) !== (q.answers === undefined), {
        message: "a numeric question needs answer (one value) or answers (a list), not both",
        path: ["answer"],
      }),
    z.strictObject({
      ...common,
      type: z.literal("ordering"),
      items: z.array(markdown("item")).min(3, "give at least 3 items").max(8, "give at most 8 items"),
    }),
    z.strictObject({
      ...common,
      type: z.literal("essay"),
      modelAnswer: markdown("modelAnswer"),
    }),
    z.strictObject({
      ...common,
      type: z.literal("gap"),
      gaps: z
        .array(
          z.union(
            [
              z.strictObject({
                options: z.array(option).min(2, "give at least 2 options").max(8, "give at most 8 options"),
              }),
              z.strictObject({
                accept: z.array(z.string().trim().min(1)).min(1, "give at least one accepted answer"),
                caseSensitive: z.boolean().optional(),
              }),
            ],
            { error: "a gap has options (filled by choice) or accept (filled by text)" },
          ),
        )
        .min(1, "give at least 1 gap")
        .max(10, "give at most 10 gaps"),
    }),
    z.strictObject({
      ...common,
      type: z.literal("matching"),
      pairs: z
        .array(z.strictObject({ prompt: markdown("prompt"), match: markdown("match") }))
        .min(2, "give at least 2 pairs")
        .max(10, "give at most 10 pairs"),
      distractors: z.array(markdown("distractor")).max(6, "give at most 6 distractors").optional(),
    }),
    z
      .strictObject({
        ...common,
        type: z.literal("sql"),
        kind: z.enum(["read", "write"], { error: "kind must be read or write" }).optional(),
        setup: sqlText("setup"),
        reference: sqlText("reference"),
        check: sqlText("check").optional(),
        compare: z
          .strictObject({
            ordered: z.boolean().optional(),
            columnNames: z.boolean().optional(),
            tolerance: z.number().min(0, "tolerance must not be negative").optional(),
          })
          .optional(),
        runs: z.number().int().min(1, "runs must be at least 1").max(1000).optional(),
      })
      .refine((q) => q.kind === "write" || q.check === undefined, {
        message: "check is for write exercises (kind: write)",
        path: ["check"],
      }),
  ],
  { error: "type must be one of single, multiple, truefalse, short, numeric, ordering, matching, gap, essay, sql" },
);

export const cardEntry = z.strictObject({ id, topic: topicPath, front: markdown("front"), back: markdown("back") });

export const bankFile = z.strictObject({
  format: z.literal("stackprep-bank/1", { error: 'format must be "stackprep-bank/1"' }),
  bank: z.strictObject({
    slug: id,
    title: z.string().trim().min(1).max(200),
    description: z.string().optional(),
    licence: z.string().optional(),
  }),
  topics: z.record(topicPath, z.string().trim().min(1, "give the topic a title")),
  questions: z.array(questionEntry).default([]),
  cards: z.array(cardEntry).default([]),
});

export type BankFile = z.infer<typeof bankFile>;
export type QuestionEntry = z.infer<typeof questionEntry>;
