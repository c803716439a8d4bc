// Exam definitions from question-banks/exams.yaml (docs/question-bank-format.md).
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { allocate } from "./blueprint";

/** The question types a type quota may name (banks' QuestionType). */
const QUESTION_TYPES = ["single", "multiple", "truefalse", "short", "numeric", "ordering", "sql"] as const;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and dashes");
const topicPath = z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/);
const sumOf = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Difficulty quota: questions (or shares, scaled to the exam's length) per level. */
const difficultyQuota = z
  .strictObject({
    easy: z.number().min(0).default(0),
    medium: z.number().min(0).default(0),
    hard: z.number().min(0).default(0),
  })
  .refine((q) => q.easy + q.medium + q.hard > 0, { message: "give at least one difficulty a share" });

export const examDefinition = z
  .strictObject({
    slug,
    title: z.string().trim().min(1),
    description: z.string().optional(),
    kind: z.enum(["mock", "module"]),
    questionCount: z.number().int().min(1).max(500),
    timeLimitMinutes: z.number().int().min(1).max(600),
    /** null: no pass mark (a placement test: its result shows per-topic placement). */
    passMarkPercent: z.number().int().min(0).max(100).nullable(),
    shuffleQuestions: z.boolean().default(true),
    shuffleOptions: z.boolean().default(true),
    attempts: z.union([z.literal("unlimited"), z.number().int().min(1)]).default("unlimited"),
    review: z.enum(["after-submit", "after-close", "never"]).default("after-submit"),
    partialCredit: z.boolean().default(false),
    /** Weights per topic, converted to counts by the largest-remainder rule (blueprint.ts). */
    blueprint: z.record(topicPath, z.number().min(0)).optional(),
    /** Exact questions per topic on every form; they must add up to questionCount. */
    counts: z.record(topicPath, z.number().int().min(0)).optional(),
    difficulty: difficultyQuota.optional(),
    /** Questions of a type every form has at least, per topic: { sql: { sql: 2 } }. */
    typeQuota: z.record(topicPath, z.partialRecord(z.enum(QUESTION_TYPES), z.number().int().min(1))).optional(),
    /** A section whose subtopic the learner picks at start, and its subtopics always drawn on. */
    stack: z.strictObject({ topic: topicPath, neutral: z.array(topicPath).default([]) }).optional(),
    topics: z.array(z.string().min(1)).optional(),
    closesAt: z.iso.datetime().optional(),
  })
  .refine(
    (e) => (e.kind === "mock" ? Boolean(Object.keys(e.counts ?? e.blueprint ?? {}).length) : Boolean(e.topics?.length)),
    {
      message: "a mock exam needs counts (or a blueprint); a module needs topics",
    },
  )
  .refine((e) => !(e.counts && e.blueprint), { message: "give counts or a blueprint, not both", path: ["counts"] })
  .refine((e) => !e.counts || sumOf(e.counts) === e.questionCount, {
    message: "the counts must add up to questionCount",
    path: ["counts"],
  })
  .superRefine((e, ctx) => {
    if (!e.typeQuota) return;
    const counts = topicCounts(e) ?? {};
    for (const [topic, types] of Object.entries(e.typeQuota)) {
      const wanted = Object.values(types).reduce((a, b) => a + (b ?? 0), 0);
      if (!(topic in counts))
        ctx.addIssue({
          code: "custom",
          message: "a type quota's topic must be one of the exam's topics (counts or blueprint)",
          path: ["typeQuota", topic],
        });
      else if (wanted > counts[topic]!)
        ctx.addIssue({
          code: "custom",
          message: `the topic has ${counts[topic]} question(s) on every form: its type quota asks for ${wanted}`,
          path: ["typeQuota", topic],
        });
    }
  })
  .refine((e) => !e.stack || e.stack.topic in (e.counts ?? e.blueprint ?? {}), {
    message: "the stack section's topic must be one of the exam's topics",
    path: ["stack"],
  })
  .refine((e) => !e.stack || e.stack.neutral.every((n) => n.startsWith(`${e.stack!.topic}/`)), {
    message: "neutral subtopics must be under the stack section's topic",
    path: ["stack", "neutral"],
  });

const examsFile = z.strictObject({ format: z.literal("stackprep-exams/1"), exams: z.array(examDefinition) });

export type ExamDefinition = z.infer<typeof examDefinition>;
/** topic -> question type -> questions of that type every form has at least. */
export type TypeQuota = Record<string, Record<string, number>>;

/** Parses exams.yaml; throws with file:line: message lines on any problem. */
export function parseExamDefinitions(text: string, file: string): ExamDefinition[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length)
    throw new Error(doc.errors.map((e) => `${file}:${counter.linePos(e.pos[0]).line}: ${e.message}`).join("\n"));
  const parsed = examsFile.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .map((i) => {
          const node = doc.getIn(i.path as (string | number)[], true) as
            { range?: [number, number, number] } | undefined;
          return `${file}:${node?.range ? counter.linePos(node.range[0]).line : 1}: ${i.path.join(".")}: ${i.message}`;
        })
        .join("\n"),
    );
  }
  const slugs = new Set<string>();
  for (const e of parsed.data.exams) {
    if (slugs.has(e.slug)) throw new Error(`${file}: exam "${e.slug}" is defined twice`);
    slugs.add(e.slug);
  }
  return parsed.data.exams;
}

/**
 * Per-topic counts of a mock exam: stated counts as they are, weights converted by the
 * largest-remainder rule with ties drawn by lot (the slug), never by name.
 */
export function topicCounts(
  e: Pick<ExamDefinition, "counts" | "blueprint" | "questionCount" | "slug">,
): Record<string, number> | undefined {
  if (e.counts) return e.counts;
  return e.blueprint ? allocate(e.questionCount, e.blueprint, e.slug) : undefined;
}

/** Difficulty quota as stored: questions per level ("1" easy, "2" medium, "3" hard), adding up to questionCount. */
export function difficultyCounts(e: ExamDefinition): Record<string, number> | undefined {
  if (!e.difficulty) return undefined;
  const { easy, medium, hard } = e.difficulty;
  return allocate(e.questionCount, { "1": easy, "2": medium, "3": hard }, e.slug);
}

/** The stored form of a definition. */
export function examRecord(e: ExamDefinition) {
  return {
    title: e.title,
    description: e.description ?? "",
    kind: e.kind,
    questionCount: e.questionCount,
    timeLimitSeconds: e.timeLimitMinutes * 60,
    passMarkPercent: e.passMarkPercent,
    shuffleQuestions: e.shuffleQuestions,
    shuffleOptions: e.shuffleOptions,
    maxAttempts: e.attempts === "unlimited" ? null : e.attempts,
    reviewPolicy: ({ "after-submit": "after_submit", "after-close": "after_close", never: "never" } as const)[e.review],
    partialCredit: e.partialCredit,
    blueprint: topicCounts(e),
    difficultyQuota: difficultyCounts(e),
    typeQuota: e.typeQuota && Object.keys(e.typeQuota).length ? (e.typeQuota as TypeQuota) : undefined,
    stackChoice: e.stack ?? undefined,
    topicPaths: e.topics ?? [],
    closesAt: e.closesAt ? new Date(e.closesAt) : null,
  };
}
