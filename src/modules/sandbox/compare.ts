// Comparing a learner's result set with the expected one (pure): the verdict, what differs,
// and which rows on each side to mark on the result page.
import type { ResultSet, SqlCompare } from "../banks";

const NUMERIC_TYPES = new Set(["smallint", "integer", "bigint", "numeric", "real", "double precision", "oid"]);

export type Comparison = {
  equal: boolean;
  /** Plain sentences: what differs (empty when equal). */
  problems: string[];
  /** Per learner row: true when it has no counterpart in the expected rows (or differs at its place). */
  actualMarks: boolean[];
  /** Per expected row: true when the learner's rows lack it (or differ at its place). */
  expectedMarks: boolean[];
};

function valueEquals(expected: string | null, actual: string | null, numeric: boolean, tolerance: number): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (expected === actual) return true;
  if (!numeric) return false;
  const a = Number(expected);
  const b = Number(actual);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const slack = 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= tolerance + slack;
}

/** Compares two result sets as the exercise says (docs/question-bank-format.md). */
export function compareResults(expected: ResultSet, actual: ResultSet, compare: SqlCompare): Comparison {
  const problems: string[] = [];
  const actualMarks = actual.rows.map(() => false);
  const expectedMarks = expected.rows.map(() => false);
  if (actual.columns.length !== expected.columns.length) {
    problems.push(`${actual.columns.length} column(s) instead of ${expected.columns.length}`);
    return {
      equal: false,
      problems,
      actualMarks: actualMarks.map(() => true),
      expectedMarks: expectedMarks.map(() => true),
    };
  }
  if (compare.columnNames) {
    const wrong = expected.columns
      .map((c, i) =>
        c.name === actual.columns[i]!.name ? undefined : `"${actual.columns[i]!.name}" where "${c.name}" was expected`,
      )
      .filter((x): x is string => x !== undefined);
    if (wrong.length) problems.push(`column names differ: ${wrong.join(", ")}`);
  }
  // A column compares as a number when the expected one is numeric (an integer count is 3 = 3.0).
  const numeric = expected.columns.map((c) => NUMERIC_TYPES.has(c.type));
  const rowEquals = (e: (string | null)[], a: (string | null)[]) =>
    e.every((v, i) => valueEquals(v, a[i] ?? null, numeric[i]!, compare.tolerance));

  if (compare.ordered) {
    const n = Math.max(actual.rows.length, expected.rows.length);
    for (let i = 0; i < n; i += 1) {
      const e = expected.rows[i];
      const a = actual.rows[i];
      if (e && a && rowEquals(e, a)) continue;
      if (a) actualMarks[i] = true;
      if (e) expectedMarks[i] = true;
    }
  } else {
    const used = expected.rows.map(() => false);
    actual.rows.forEach((a, i) => {
      const j = expected.rows.findIndex((e, k) => !used[k] && rowEquals(e, a));
      if (j === -1) actualMarks[i] = true;
      else used[j] = true;
    });
    used.forEach((u, k) => (expectedMarks[k] = !u));
  }
  if (actual.rows.length !== expected.rows.length)
    problems.push(`${actual.rows.length} row(s) instead of ${expected.rows.length}`);
  const wrongRows = actualMarks.filter(Boolean).length;
  const missing = expectedMarks.filter(Boolean).length;
  if (actual.rows.length === expected.rows.length && (wrongRows || missing))
    problems.push(
      compare.ordered
        ? `${wrongRows} row(s) differ or are out of order`
        : `${wrongRows} row(s) differ from the expected ones`,
    );
  else if (actual.rows.length !== expected.rows.length && (wrongRows || missing))
    problems.push(`${missing} expected row(s) missing, ${wrongRows} unexpected`);
  return { equal: problems.length === 0, problems, actualMarks, expectedMarks };
}

/** What a graded run of a learner's statement gave (kept with the attempt item for the result page). */
export type SqlRecord =
  | { ok: true; result: ResultSet | null; check?: ResultSet; ms: number }
  | { ok: false; error: string; line?: number; column?: number; where?: "statement" | "check"; ms?: number };

export type SqlKey = {
  exercise: { kind: "read" | "write"; compare: SqlCompare };
  expected: ResultSet;
  expectedCheck?: ResultSet;
};

/**
 * The verdict on a run: a read exercise compares the rows; a write exercise compares the rows
 * its statement returned (when the reference returns rows) and the check query's result.
 */
export function judgeSql(
  key: SqlKey,
  record: SqlRecord | null,
): { correct: boolean; statement?: Comparison; check?: Comparison } {
  if (!record || !record.ok) return { correct: false };
  const compare = key.exercise.compare;
  const returns = key.exercise.kind === "read" || key.expected.columns.length > 0;
  let statement: Comparison | undefined;
  if (returns) {
    if (!record.result)
      return {
        correct: false,
        statement: {
          equal: false,
          problems: ["the statement returned no rows (RETURNING is missing)"],
          actualMarks: [],
          expectedMarks: key.expected.rows.map(() => true),
        },
      };
    statement = compareResults(key.expected, record.result, compare);
  }
  let check: Comparison | undefined;
  if (key.expectedCheck) {
    if (!record.check) return { correct: false, ...(statement ? { statement } : {}) };
    // The check query is the author's: its order is meaningful only when it says so, like the statement's.
    check = compareResults(key.expectedCheck, record.check, compare);
  }
  const correct = (statement?.equal ?? true) && (check?.equal ?? true);
  return { correct, ...(statement ? { statement } : {}), ...(check ? { check } : {}) };
}
