// Runnable SQL exercises at import: each one's setup and reference run in the sandbox (injected:
// modules/sandbox), whose results become the stored key. Errors point into the file.
import type { ImportSource, ParsedSource } from "./import.parse";
import { sourceText } from "./import.parse";
import type { ParsedQuestion, ParseIssue, SqlExercise, SqlValidation } from "./model";

export type SqlField = "setup" | "reference" | "check";
export type PreparedSql =
  | { ok: true; validation: SqlValidation }
  | { ok: false; field: SqlField; message: string; line?: number; column?: number };
/** Runs an exercise's setup and reference (the sandbox's `prepare`). */
export type PrepareSql = (exercise: SqlExercise) => Promise<PreparedSql>;

/**
 * Where line `line`, column `column` of a field's SQL is in the file: the field is found after
 * the question's first line; a block scalar (`|`) starts on the next line at its indentation.
 */
export function sqlFieldPosition(
  text: string,
  questionLine: number,
  field: SqlField,
  at: { line?: number; column?: number },
): { line: number; column: number } {
  const lines = text.split("\n");
  const key = new RegExp(`^(\\s*(?:- )?)${field}:(\\s*)(.*)$`);
  for (let i = Math.max(0, questionLine - 1); i < lines.length; i += 1) {
    if (i > questionLine - 1 && /^\s*- id:/.test(lines[i]!)) break;
    const match = key.exec(lines[i]!);
    if (!match) continue;
    const keyColumn = match[1]!.length + 1;
    const rest = match[3]!;
    if (at.line === undefined) return { line: i + 1, column: keyColumn };
    if (/^[|>]/.test(rest)) {
      const first = lines[i + at.line] ?? "";
      const indent = first.length - first.trimStart().length;
      return { line: i + 1 + at.line, column: indent + (at.column ?? 1) };
    }
    return { line: i + 1, column: keyColumn + field.length + 1 + match[2]!.length + (at.column ?? 1) - 1 };
  }
  return { line: questionLine, column: 1 };
}

/** Prepares every SQL exercise of the parsed files; sets `validated` on each, or returns the problems. */
export async function prepareSqlQuestions(
  parsed: ParsedSource[],
  sources: ImportSource[],
  prepare: PrepareSql | undefined,
): Promise<ParseIssue[]> {
  const issues: ParseIssue[] = [];
  for (const { source, bank } of parsed) {
    const exercises = bank.questions.filter((q): q is Extract<ParsedQuestion, { type: "sql" }> => q.type === "sql");
    if (exercises.length === 0) continue;
    if (!prepare) {
      for (const q of exercises)
        issues.push({ ...q.position, message: "SQL exercises cannot be imported here (no SQL sandbox)" });
      continue;
    }
    const raw = sources.find((s) => s.name === source.name);
    const text = raw ? sourceText(raw.text) : "";
    for (const q of exercises) {
      let prepared: PreparedSql;
      try {
        prepared = await prepare(q);
      } catch (error) {
        issues.push({ ...q.position, message: (error as Error).message });
        continue;
      }
      if (prepared.ok) {
        q.validated = prepared.validation;
        continue;
      }
      const at = sqlFieldPosition(text, q.position.line, prepared.field, prepared);
      issues.push({ file: q.position.file, ...at, message: `${prepared.field}: ${prepared.message}` });
    }
  }
  return issues;
}
