// Import fidelity: every file of tests/fixtures/real-world goes through the import exactly as an
// upload's preview does (parse, checks, normalise: a lenient dry run), and what comes out is
// compared with what Moodle imports from the same file (manifest.json), question by question:
// stem as a learner sees it, key, weights, feedback and, for typed answers, how sample answers
// grade. Shared by scripts/import-fidelity.ts and its integration test.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Clock } from "../../src/clock";
import type { Db } from "../../src/db/client";
import { importService, matchPattern, type ImportReport } from "../../src/modules/banks";
import { choiceIdsFor } from "../../src/modules/banks/choice-ids";
import type { ParsedQuestion } from "../../src/modules/banks/model";
import { GAP_BLANK, versionContents, type StoredBody, type VersionContent } from "../../src/modules/banks/normalise";
import { gradeResponse, typedAnswerFeedback, type LearnerAnswer } from "../../src/modules/exams/grading";

export const CORPUS = path.join(__dirname, "../../tests/fixtures/real-world");

type ExpectedOption = { text: string; correct: boolean; weight?: number; feedback?: string };
type ExpectedGap =
  | { kind: "choice"; options: { text: string; correct: boolean }[] }
  | { kind: "text"; accept: string[]; reject: string[] };
/** One question as Moodle imports it, in what a learner sees (text without markup). */
export type ExpectedQuestion = {
  type: string;
  stem: string;
  id?: string;
  explanation?: string;
  options?: ExpectedOption[];
  answer?: boolean;
  /** short, numeric: every answer Moodle keeps, with its grade in percent. */
  answers?: { text?: string; value?: number; tolerance?: number; weight: number }[];
  /** Answers that must grade right, and wrong. */
  accept?: (string | number)[];
  reject?: (string | number)[];
  /** Feedback Moodle shows for a typed answer ("*": any other answer). */
  answerFeedback?: Record<string, string>;
  pairs?: { prompt: string; match: string }[];
  modelAnswer?: string;
  gaps?: ExpectedGap[];
  intro?: string;
  images?: number;
  codeBlocks?: number;
  lineBreaks?: number;
};
export type ManifestFile = {
  file: string;
  format: string;
  note: string;
  /** Gradable questions Moodle imports from the file. */
  moodle: number;
  questions: ExpectedQuestion[];
  /** Questions Moodle refuses too: Stackprep must refuse each alone, at this line. */
  refused: { line: number; message: string }[];
  /** The whole file must be refused with this in the message. */
  fileError?: string;
};
export type FileResult = {
  file: string;
  format: string;
  moodle: number;
  imported: number;
  correct: number;
  /** What is wrong, one line each: a question lost or changed, a refusal not made. */
  problems: string[];
};
export type Fidelity = { files: FileResult[]; moodle: number; imported: number; correct: number; percent: number };

const BLOCK = /<\/?(p|br|div|li|ul|ol|tr|td|th|table|thead|tbody|pre|h\d|blockquote|hr)\b[^>]*>/gi;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
const character = (code: number) => (code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\uFFFD");

/**
 * What a learner reads of some HTML (the stored Markdown as the import renders it, or Moodle's
 * text): tags gone, entities and character references decoded, white space folded.
 */
export function visible(html: string): string {
  return html
    .replace(BLOCK, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) =>
      /^#x/i.test(name)
        ? character(parseInt(name.slice(2), 16))
        : name.startsWith("#")
          ? character(parseInt(name.slice(1), 10))
          : (ENTITIES[name] ?? whole),
    )
    .replace(/\s+/g, " ")
    .trim();
}
const plain = (text: string) => text.replace(/\s+/g, " ").trim();
/**
 * The stem a learner reads: the stored Markdown rendered by the import's own renderer
 * (versionContents), as text; a gap question's blanks as `[[n]]`, as the manifest writes them.
 * Questions are matched to Moodle's by it, so a stem that renders otherwise than Moodle shows it
 * (`__init__` turned into a bold "init") is a changed question.
 */
export const stemText = (content: VersionContent) =>
  visible(content.stemHtml.replace(GAP_BLANK, (_, n: string) => `[[${n}]]`));

const grader = (type: VersionContent["type"], body: StoredBody, answer: LearnerAnswer) =>
  gradeResponse(type, body, answer, { partialCredit: true, matchPattern }).correct;

function checkOptions(expected: ExpectedOption[], body: StoredBody, single: boolean, wrong: (m: string) => void) {
  if (!("options" in body)) return wrong("has no options");
  if (body.options.length !== expected.length) wrong(`has ${body.options.length} options, Moodle ${expected.length}`);
  for (const option of expected) {
    const found = body.options.find((o) => visible(o.html) === option.text);
    if (!found) {
      wrong(`lost the option "${option.text}" (has ${body.options.map((o) => `"${visible(o.html)}"`).join(", ")})`);
      continue;
    }
    if (found.correct !== option.correct) wrong(`marks "${option.text}" ${found.correct ? "right" : "wrong"}`);
    const weight = option.weight;
    if (weight !== undefined && (single || found.weight !== undefined || weight !== 0)) {
      const kept = found.weight ?? (single ? (found.correct ? 100 : 0) : undefined);
      if (kept === undefined || Math.abs(kept - weight) > 0.01)
        wrong(`gives "${option.text}" ${kept ?? "no"}% where Moodle gives ${weight}%`);
    }
    const feedback = plain(found.feedback ?? "");
    if ((option.feedback ?? "") !== feedback)
      wrong(`feedback of "${option.text}" is "${feedback}", Moodle's "${option.feedback ?? ""}"`);
  }
}

function checkTyped(e: ExpectedQuestion, content: VersionContent, wrong: (m: string) => void) {
  const { type, body } = content;
  const answerOf = (value: string | number): LearnerAnswer =>
    type === "numeric" ? { type: "numeric", value: Number(value) } : { type: "short", text: String(value) };
  for (const value of e.accept ?? [])
    if (!grader(type, body, answerOf(value))) wrong(`marks the answer "${value}" wrong; Moodle marks it right`);
  for (const value of e.reject ?? [])
    if (grader(type, body, answerOf(value))) wrong(`marks the answer "${value}" right; Moodle marks it wrong`);
  for (const answer of e.answers ?? []) {
    if (answer.weight <= 0 || answer.weight >= 100) continue;
    const what = answer.text ?? String(answer.value);
    const score = gradeResponse(type, body, answerOf(answer.text ?? answer.value ?? ""), {
      partialCredit: true,
      matchPattern,
    }).score;
    if (Math.abs(score * 100 - answer.weight) > 0.01)
      wrong(
        score === 0
          ? `drops the ${answer.weight}% partial-credit answer "${what}" (Stackprep grades it wrong)`
          : `gives the answer "${what}" ${Number((score * 100).toFixed(2))}% where Moodle gives ${answer.weight}%`,
      );
  }
  // "*": an answer that matches none of the question's (one no answer and no sample is near).
  const unmatched = type === "numeric" ? -987654321.5 : "zz-no-such-answer-zz";
  for (const [answer, feedback] of Object.entries(e.answerFeedback ?? {})) {
    const given = typedAnswerFeedback(body, answerOf(answer === "*" ? unmatched : answer));
    if (plain(given) === "") wrong(`drops the feedback for the answer "${answer}" ("${feedback}")`);
    else if (plain(given) !== feedback)
      wrong(`feedback for the answer "${answer}" is "${plain(given)}", Moodle's "${feedback}"`);
  }
}

function checkGaps(expected: ExpectedGap[], body: StoredBody, wrong: (m: string) => void) {
  if (!("gaps" in body) || body.gaps.length !== expected.length) return wrong("has other blanks than Moodle's");
  expected.forEach((gap, k) => {
    const stored = body.gaps[k]!;
    if (gap.kind === "choice") {
      if (stored.kind !== "choice") return wrong(`blank ${k + 1} is typed, Moodle's is chosen`);
      checkOptions(
        gap.options.map((o) => ({ text: o.text, correct: o.correct })),
        { options: stored.options },
        true,
        wrong,
      );
      return;
    }
    if (stored.kind !== "text") return wrong(`blank ${k + 1} is chosen, Moodle's is typed`);
    const fill = (text: string): LearnerAnswer => ({ type: "gap", fills: [{ gap: k + 1, text }] });
    for (const text of gap.accept) if (!grader("gap", body, fill(text))) wrong(`blank ${k + 1} refuses "${text}"`);
    for (const text of gap.reject) if (grader("gap", body, fill(text))) wrong(`blank ${k + 1} accepts "${text}"`);
  });
}

/** Every way the imported question differs from Moodle's, as sentences (none: intact). */
export function differences(e: ExpectedQuestion, content: VersionContent, externalId: string): string[] {
  const found: string[] = [];
  const wrong = (message: string) => void found.push(message);
  const { type, body } = content;
  if (type !== e.type) wrong(`is a ${type} question, Moodle's a ${e.type}`);
  if (e.id && !externalId.endsWith(e.id)) wrong(`has the id "${externalId}", not one ending in "${e.id}"`);
  if (e.options) checkOptions(e.options, body, e.type === "single", wrong);
  if (e.answer !== undefined && (!("answer" in body) || body.answer !== e.answer))
    wrong("has the wrong true/false key");
  if (e.type === "short" || e.type === "numeric") checkTyped(e, content, wrong);
  if (e.pairs) {
    if (!("prompts" in body)) wrong("has no pairs");
    else {
      const matchText = new Map(body.matches.map((m) => [m.id, visible(m.html)]));
      const pairs = body.prompts.map((p) => `${visible(p.html)} -> ${matchText.get(p.match) ?? "?"}`).sort();
      const wanted = e.pairs.map((p) => `${p.prompt} -> ${p.match}`).sort();
      if (pairs.join("|") !== wanted.join("|")) wrong(`pairs ${pairs.join("; ")}, Moodle's ${wanted.join("; ")}`);
    }
  }
  if (e.modelAnswer !== undefined) {
    const model = "modelAnswer" in body ? visible(body.modelAnswer.html) : "";
    if (model !== e.modelAnswer) wrong(`model answer "${model}", Moodle's "${e.modelAnswer}"`);
  }
  if (e.gaps) checkGaps(e.gaps, body, wrong);
  const explanation = visible(content.explanationHtml);
  if (e.explanation !== undefined && explanation !== e.explanation)
    wrong(`explanation "${explanation}", Moodle's general feedback "${e.explanation}"`);
  const count = (pattern: RegExp) => [...content.stemHtml.matchAll(pattern)].length;
  if ((e.images ?? 0) !== count(/<img\b/g)) wrong(`shows ${count(/<img\b/g)} images, Moodle ${e.images ?? 0}`);
  if (e.codeBlocks !== undefined && count(/<pre\b/g) !== e.codeBlocks) wrong("lost its code block");
  if (e.lineBreaks !== undefined && count(/<br\b|<\/p>/g) < e.lineBreaks) wrong("lost its line breaks");
  if (e.intro !== undefined) {
    const intro = body.intro ? visible(body.intro.html) : "";
    if (intro !== e.intro) wrong(`introduced by "${intro}", Moodle's description "${e.intro}"`);
  }
  return found;
}

export function readManifest(dir = CORPUS): ManifestFile[] {
  return JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as ManifestFile[];
}

function refusals(entry: ManifestFile, report: ImportReport, problems: string[]) {
  for (const refusal of entry.refused) {
    const at = `${entry.file}:${refusal.line}:`;
    const skipped = report.skipped.find((s) => s.at.startsWith(at));
    const said = skipped?.reasons.some((reason) => reason.includes(refusal.message));
    if (!skipped) problems.push(`line ${refusal.line}: the broken question there is not refused on its own`);
    else if (!said)
      problems.push(`line ${refusal.line}: refused, but not with "${refusal.message}": ${skipped.reasons.join(" / ")}`);
  }
}

/** Imports one corpus file as an upload's preview does and compares it with the manifest. */
export async function measureFile(
  service: ReturnType<typeof importService>,
  entry: ManifestFile,
  dir = CORPUS,
): Promise<FileResult> {
  const bytes = readFileSync(path.join(dir, entry.file));
  const report = await service.importBanks({
    sources: [{ name: entry.file, text: new Uint8Array(bytes), bytes: bytes.byteLength }],
    format: "auto",
    dryRun: true,
    strict: false,
    actor: "operator",
    keepQuestions: true,
  });
  const result: FileResult = {
    file: entry.file,
    format: entry.format,
    moodle: entry.moodle,
    imported: 0,
    correct: 0,
    problems: [],
  };
  if (entry.fileError) {
    const refused = !report.ok && report.errors.some((error) => error.includes(entry.fileError!));
    if (!refused)
      result.problems.push(
        `the file must be refused with "${entry.fileError}": ${report.errors.join(" / ") || "it was read"}`,
      );
    return result;
  }
  if (!report.ok) {
    result.problems.push(`the whole file was refused: ${report.errors.slice(0, 3).join(" / ")}`);
    return result;
  }
  const questions = report.banks.flatMap((bank) => bank.entries ?? []).map((e) => e.question as ParsedQuestion);
  result.imported = questions.length;
  const contents = versionContents(questions, choiceIdsFor(questions));
  const byStem = new Map<string, number[]>();
  contents.forEach((content, k) => byStem.set(stemText(content), [...(byStem.get(stemText(content)) ?? []), k]));
  for (const expected of entry.questions) {
    const candidates = byStem.get(expected.stem) ?? [];
    const k = candidates.shift();
    if (k === undefined) {
      const skipped = report.skipped.find(
        (s) => plain(s.label).length > 8 && expected.stem.startsWith(plain(s.label).replace(/…$/, "")),
      );
      const why = skipped ? `refused: ${skipped.reasons.join(" / ")}` : "not imported, or its text changed";
      result.problems.push(`"${expected.stem.slice(0, 70)}": ${why}`);
      continue;
    }
    const found = differences(expected, contents[k]!, questions[k]!.externalId);
    if (found.length === 0) result.correct += 1;
    else result.problems.push(`"${expected.stem.slice(0, 70)}" ${found.join("; ")}`);
  }
  refusals(entry, report, result.problems);
  return result;
}

export async function measureFidelity(deps: { prisma: Db; clock: Clock; dir?: string }): Promise<Fidelity> {
  const service = importService({ prisma: deps.prisma, clock: deps.clock, maxBytes: 10 * 1024 * 1024 });
  const files: FileResult[] = [];
  for (const entry of readManifest(deps.dir)) files.push(await measureFile(service, entry, deps.dir));
  const sum = (key: "moodle" | "imported" | "correct") => files.reduce((n, f) => n + f[key], 0);
  const [moodle, imported, correct] = [sum("moodle"), sum("imported"), sum("correct")];
  return { files, moodle, imported, correct, percent: moodle === 0 ? 100 : (100 * correct) / moodle };
}
