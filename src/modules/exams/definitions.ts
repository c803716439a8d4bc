// Exam definitions from question-banks/exams.yaml (docs/question-bank-format.md).
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and dashes");

export const examDefinition = z
  .strictObject({
    slug,
    title: z.string().trim().min(1),
    description: z.string().optional(),
    kind: z.enum(["mock", "module"]),
    questionCount: z.number().int().min(1).max(500),
    timeLimitMinutes: z.number().int().min(1).max(600),
    passMarkPercent: z.number().int().min(0).max(100),
    shuffleQuestions: z.boolean().default(true),
    shuffleOptions: z.boolean().default(true),
    attempts: z.union([z.literal("unlimited"), z.number().int().min(1)]).default("unlimited"),
    review: z.enum(["after-submit", "after-close", "never"]).default("after-submit"),
    partialCredit: z.boolean().default(false),
    blueprint: z.record(z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/), z.number().min(0)).optional(),
    topics: z.array(z.string().min(1)).optional(),
    closesAt: z.iso.datetime().optional(),
  })
  .refine(
    (e) => (e.kind === "mock" ? Boolean(e.blueprint && Object.keys(e.blueprint).length) : Boolean(e.topics?.length)),
    {
      message: "a mock exam needs a blueprint; a module needs topics",
    },
  );

const examsFile = z.strictObject({ format: z.literal("stackprep-exams/1"), exams: z.array(examDefinition) });

export type ExamDefinition = z.infer<typeof examDefinition>;

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
    blueprint: e.blueprint ?? undefined,
    topicPaths: e.topics ?? [],
    closesAt: e.closesAt ? new Date(e.closesAt) : null,
  };
}
