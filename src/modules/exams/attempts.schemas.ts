// Answer input: a plain form post (no JavaScript) or JSON from the autosave script.
import { z } from "zod";
import { Invalid } from "../../errors";
import { formInt, int32, slug, text, uuid } from "../../web/input";
import { ESSAY_MAX, SELF_ASSESSMENTS } from "./essay";
import { parseNumeric, type GapFill, type LearnerAnswer } from "./grading";

// Option and item ids: random six letters (banks/choice-ids.ts); versions stored before them
// kept their positional "a", "b" ..., and answers to those still name them.
const id = z.string().regex(/^[a-z]{1,8}$/);

export const attemptParams = z.object({ id: uuid });
export const examParams = z.object({ slug });
export const pageQuery = z.object({ q: z.coerce.number().int().min(1).max(1000).optional().catch(undefined) });

/** The result page's filter; anything else shows every question. */
export const RESULT_FILTERS = ["all", "incorrect", "flagged", "unanswered"] as const;
export const resultQuery = z.object({ show: z.enum(RESULT_FILTERS).catch("all").default("all") });

/** A learner's SQL statement: up to 20,000 characters. */
export const SQL_MAX = 20_000;
const sqlText = text(SQL_MAX);
const essayText = text(ESSAY_MAX);

export const jsonAnswer = z.object({
  position: int32(1, 1000),
  seq: int32(),
  flagged: z.boolean().default(false),
  response: z
    .discriminatedUnion("type", [
      z.object({ type: z.literal("single"), optionId: id }),
      z.object({ type: z.literal("multiple"), optionIds: z.array(id).min(1).max(8) }),
      z.object({ type: z.literal("truefalse"), value: z.boolean() }),
      z.object({ type: z.literal("short"), text: text(500).trim().min(1) }),
      z.object({ type: z.literal("numeric"), value: z.number().finite() }),
      // The script sends the ranks as typed (or as dragged), so that duplicates are refused
      // here with the same message as the form's; older clients send the order itself.
      z.object({
        type: z.literal("ordering"),
        itemIds: z.array(id).min(2).max(8).optional(),
        ranks: z
          .array(z.object({ id, rank: z.number() }))
          .min(2)
          .max(8)
          .optional(),
      }),
      z.object({
        type: z.literal("matching"),
        pairs: z
          .array(z.object({ prompt: id, match: id }))
          .min(1)
          .max(10)
          .refine((pairs) => new Set(pairs.map((p) => p.prompt)).size === pairs.length, {
            message: "Choose one answer per prompt.",
          }),
      }),
      z.object({
        type: z.literal("gap"),
        fills: z
          .array(
            z.union([
              z.object({ gap: z.number().int().min(1).max(10), optionId: id }),
              z.object({ gap: z.number().int().min(1).max(10), text: text(200).trim().min(1) }),
            ]),
          )
          .min(1)
          .max(10)
          .refine((fills) => new Set(fills.map((f) => f.gap)).size === fills.length, {
            message: "Fill each blank once.",
          }),
      }),
      z.object({ type: z.literal("sql"), query: sqlText.refine((q) => q.trim() !== "") }),
      z.object({ type: z.literal("essay"), text: essayText.refine((t) => t.trim() !== "") }),
    ])
    .nullable()
    .superRefine((r, ctx) => {
      if (r?.type !== "ordering") return;
      if (r.ranks && !ranksValid(r.ranks)) ctx.addIssue({ code: "custom", message: ranksMessage(r.ranks.length) });
      else if (!r.ranks && !r.itemIds) ctx.addIssue({ code: "custom", message: "Send the order of the items." });
    })
    .transform((r): LearnerAnswer | null =>
      r?.type === "ordering" ? { type: "ordering", itemIds: r.ranks ? orderOf(r.ranks) : r.itemIds! } : r,
    ),
});

/** The message for ranks that are not each item's own place, the same for the form and autosave. */
export const ranksMessage = (n: number) => `Give every item its own place from 1 to ${n}: each number once.`;

const ranksValid = (ranks: { rank: number }[]) => {
  const n = ranks.length;
  return (
    ranks.every((r) => Number.isInteger(r.rank) && r.rank >= 1 && r.rank <= n) &&
    new Set(ranks.map((r) => r.rank)).size === n
  );
};

const orderOf = (ranks: { id: string; rank: number }[]) => [...ranks].sort((a, b) => a.rank - b.rank).map((r) => r.id);

const formAnswer = z.object({
  position: formInt(1, 1000),
  seq: formInt(),
  type: z.enum(["single", "multiple", "truefalse", "short", "numeric", "ordering", "matching", "gap", "sql", "essay"]),
  answer: z.union([z.string(), z.array(z.string())]).optional(),
  text: text(500).optional(),
  query: sqlText.optional(),
  essay: essayText.optional(),
  flagged: z.literal("1").optional(),
  go: z.string().max(20).optional(),
});

export type ParsedAnswer = {
  position: number;
  seq: number;
  flagged: boolean;
  response: LearnerAnswer | null;
  go: string | undefined;
};

function responseFromForm(form: z.infer<typeof formAnswer>, body: Record<string, unknown>): LearnerAnswer | null {
  const values = form.answer === undefined ? [] : Array.isArray(form.answer) ? form.answer : [form.answer];
  switch (form.type) {
    case "single":
      return values[0] ? { type: "single", optionId: values[0] } : null;
    case "multiple":
      return values.length ? { type: "multiple", optionIds: values } : null;
    case "truefalse":
      return values[0] === "true" || values[0] === "false" ? { type: "truefalse", value: values[0] === "true" } : null;
    case "short": {
      const text = (form.text ?? "").trim();
      return text ? { type: "short", text } : null;
    }
    case "numeric": {
      const text = (form.text ?? "").trim();
      if (!text) return null;
      const value = parseNumeric(text);
      if (value === null) throw new Invalid(`"${text}" is not a number. Write it like 42, -3.5 or 1,024.`);
      return { type: "numeric", value };
    }
    case "ordering": {
      const ranks = Object.entries(body)
        .filter(([k]) => k.startsWith("order_"))
        .map(([k, v]) => ({ id: k.slice(6), rank: Number(v) }));
      const filled = ranks.filter((r) => {
        const raw = body[`order_${r.id}`];
        return typeof raw === "string" && raw.trim() !== "";
      });
      if (filled.length === 0) return null;
      const n = ranks.length;
      const valid =
        filled.length === n &&
        ranks.every((r) => Number.isInteger(r.rank) && r.rank >= 1 && r.rank <= n) &&
        new Set(ranks.map((r) => r.rank)).size === n;
      if (!valid) throw new Invalid(ranksMessage(n), [{ field: "order", message: ranksMessage(n) }]);
      return { type: "ordering", itemIds: ranks.sort((a, b) => a.rank - b.rank).map((r) => r.id) };
    }
    case "matching": {
      // One select per prompt, named match_<prompt id>; "" is a prompt left unanswered.
      const pairs = Object.entries(body)
        .filter(([k, v]) => k.startsWith("match_") && typeof v === "string" && v !== "")
        .map(([k, v]) => ({ prompt: k.slice(6), match: v as string }));
      if (pairs.some((p) => !/^[a-z]{1,8}$/.test(p.prompt) || !/^[a-z]{1,8}$/.test(p.match)) || pairs.length > 10)
        throw new Invalid("That answer could not be read. Reload the page and try again.");
      return pairs.length ? { type: "matching", pairs } : null;
    }
    case "gap": {
      // A select named gapchoice_<n> per blank filled by choice, a text input gaptext_<n> per typed one.
      const fills: GapFill[] = [];
      for (const [k, v] of Object.entries(body)) {
        const m = /^gap(choice|text)_(\d{1,2})$/.exec(k);
        if (!m || typeof v !== "string" || v.trim() === "") continue;
        const gap = Number(m[2]);
        if (gap < 1 || gap > 10 || v.length > 200 || (m[1] === "choice" && !/^[a-z]{1,8}$/.test(v)))
          throw new Invalid("That answer could not be read. Reload the page and try again.");
        fills.push(m[1] === "choice" ? { gap, optionId: v } : { gap, text: v.trim() });
      }
      if (new Set(fills.map((f) => f.gap)).size !== fills.length)
        throw new Invalid("That answer could not be read. Reload the page and try again.");
      return fills.length ? { type: "gap", fills: fills.sort((a, b) => a.gap - b.gap) } : null;
    }
    case "sql": {
      const query = form.query ?? "";
      return query.trim() ? { type: "sql", query } : null;
    }
    case "essay": {
      const essay = form.essay ?? "";
      return essay.trim() ? { type: "essay", text: essay } : null;
    }
  }
}

/** A JSON save's answer, or undefined when it does not parse (for callers that fall back). */
export function answerFromJson(body: unknown): Omit<ParsedAnswer, "go"> | undefined {
  const parsed = jsonAnswer.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

export function parseAnswer(body: unknown, isJson: boolean): ParsedAnswer {
  if (isJson) {
    const parsed = jsonAnswer.safeParse(body);
    if (!parsed.success) {
      const custom = parsed.error.issues.find((i) => i.code === "custom");
      throw new Invalid(custom?.message ?? "That answer could not be read.");
    }
    return { ...parsed.data, go: undefined };
  }
  const parsed = formAnswer.safeParse(body);
  if (!parsed.success) throw new Invalid("That answer could not be read. Reload the page and try again.");
  return {
    position: parsed.data.position,
    seq: parsed.data.seq,
    flagged: parsed.data.flagged === "1",
    response: responseFromForm(parsed.data, body as Record<string, unknown>),
    go: parsed.data.go,
  };
}

/** Timed (the exam's clock) or practice (untimed, each answer checked as you go). */
export const attemptMode = z.enum(["timed", "practice"], { error: "Choose practice or timed." }).default("timed");

export const startAttemptForm = z.object({ mode: attemptMode });

/** Missed questions come back in practice mode unless the learner asks for the clock. */
export const missedQuizForm = z.object({ mode: z.enum(["timed", "practice"]).default("practice") });

export const customQuizForm = z.object({
  mode: attemptMode,
  topics: z
    .union([z.string(), z.array(z.string()).max(200)], { error: "Choose at least one topic." })
    .transform((v) => (Array.isArray(v) ? v : [v])),
  questionCount: z.coerce.number().int().min(1, "Ask for at least 1 question.").max(100, "At most 100 questions."),
  minutes: z.coerce.number().int().min(1, "Allow at least 1 minute.").max(300, "At most 300 minutes."),
});

/** The start form: the stack (a subtopic path) for an exam with a stack section. */
export const startForm = z.object({
  stack: z
    .string({ error: "Choose the language you work in." })
    .trim()
    .regex(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/, "Choose the language you work in.")
    .max(200)
    .optional(),
});

/** Running a statement of an open attempt's SQL exercise (the result grid). */
/** A practice essay's self-assessment (the buttons under its model answer). */
export const selfAssessmentForm = z.object({
  position: formInt(1, 1000),
  assessment: z.enum(SELF_ASSESSMENTS, { error: "Choose how your answer compared with the model answer." }),
});

export const sqlRunBody = z.object({
  position: int32(1, 1000),
  query: sqlText.refine((q) => q.trim() !== "", { message: "Write a statement first." }),
});
