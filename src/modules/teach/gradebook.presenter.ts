// A class's gradebook into the page's table, its CSV, and the class's cohort (pure).
import type { Gradebook, GradebookRow } from "./gradebook.service";

type Value = number | string | null;
type Column = {
  key: string;
  label: string;
  /** What the row sorts by and the CSV holds in this column. */
  value: (row: GradebookRow) => Value;
  /** What the page shows (the CSV keeps the value). */
  text: (row: GradebookRow) => string;
  numeric: boolean;
};

const percent = (v: number | null | undefined) => (v === null || v === undefined ? "" : `${v.toFixed(1)}%`);
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "");

function columnsOf(book: Gradebook): Column[] {
  const cell = (row: GradebookRow, examId: string) => row.exams.get(examId);
  return [
    { key: "name", label: "Name", value: (r) => r.name, text: (r) => r.name, numeric: false },
    { key: "email", label: "Email", value: (r) => r.email, text: (r) => r.email, numeric: false },
    ...book.exams.flatMap((e): Column[] => [
      {
        key: `exam:${e.slug}:attempts`,
        label: `${e.title}: attempts`,
        value: (r) => cell(r, e.id)?.attempts ?? 0,
        text: (r) => String(cell(r, e.id)?.attempts ?? 0),
        numeric: true,
      },
      {
        key: `exam:${e.slug}:best`,
        label: `${e.title}: best`,
        value: (r) => cell(r, e.id)?.best ?? null,
        text: (r) => percent(cell(r, e.id)?.best),
        numeric: true,
      },
      {
        key: `exam:${e.slug}:last`,
        label: `${e.title}: last`,
        value: (r) => cell(r, e.id)?.last ?? null,
        text: (r) => percent(cell(r, e.id)?.last),
        numeric: true,
      },
    ]),
    {
      key: "readiness",
      label: "Predicted score (public mock exam)",
      value: (r) => r.readiness?.predictedPercent ?? null,
      text: (r) =>
        r.readiness === null ? "" : r.readiness.ready ? percent(r.readiness.predictedPercent) : "not enough data",
      numeric: true,
    },
    ...book.topics.map((t): Column => ({
      key: `topic:${t.path}`,
      label: `${t.title}: mastery`,
      value: (r) => {
        const m = r.topics.get(t.path);
        return m ? Math.round(m.mean * 1000) / 10 : null;
      },
      text: (r) => {
        const m = r.topics.get(t.path);
        if (!m) return "";
        return `${(m.mean * 100).toFixed(0)}%${m.answers < book.minAnswers ? ` (${m.answers} answers)` : ""}`;
      },
      numeric: true,
    })),
    { key: "due", label: "Cards due", value: (r) => r.due, text: (r) => String(r.due), numeric: true },
    {
      key: "active",
      label: "Last active (UTC)",
      value: (r) => (r.lastActive ? r.lastActive.toISOString() : null),
      text: (r) => day(r.lastActive),
      numeric: false,
    },
  ];
}

export type GradebookSort = { sort: string; dir: "asc" | "desc" };

/** The rows in the asked order (unknown columns: by name); empty cells last either way, ties by name. */
function sortedRows(book: Gradebook, columns: Column[], order: GradebookSort): GradebookRow[] {
  const column = columns.find((c) => c.key === order.sort) ?? columns[0]!;
  const sign = order.dir === "desc" ? -1 : 1;
  const compare = (a: Value, b: Value) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b), "en");
  return [...book.rows].sort((x, y) => {
    const a = column.value(x);
    const b = column.value(y);
    if (a !== b) {
      if (a === null) return 1;
      if (b === null) return -1;
      const c = compare(a, b);
      if (c !== 0) return sign * c;
    }
    return x.name.localeCompare(y.name, "en") || x.email.localeCompare(y.email, "en");
  });
}

const query = (sort: string, dir: string) => `?sort=${encodeURIComponent(sort)}&dir=${dir}`;

export function presentGradebook(book: Gradebook, order: GradebookSort) {
  const columns = columnsOf(book);
  const current = columns.some((c) => c.key === order.sort) ? order.sort : "name";
  const base = `/teach/classes/${book.cls.id}/gradebook`;
  return {
    cls: book.cls,
    csvHref: `${base}.csv${query(current, order.dir)}`,
    columns: columns.map((c) => {
      const sorted = c.key === current;
      const next = sorted && order.dir === "asc" ? "desc" : "asc";
      return {
        key: c.key,
        label: c.label,
        numeric: c.numeric,
        ariaSort: sorted ? (order.dir === "asc" ? "ascending" : "descending") : null,
        href: `${base}${query(c.key, next)}`,
        sortLabel: `Sort by ${c.label}, ${next === "asc" ? "ascending" : "descending"}`,
      };
    }),
    rows: sortedRows(book, columns, { sort: current, dir: order.dir }).map((r) => ({
      id: r.id,
      cells: columns.map((c) => ({ label: c.label, text: c.text(r) })),
      attempts: book.exams.flatMap((e) =>
        (r.exams.get(e.id)?.submitted ?? []).map((a, i) => ({
          href: `/attempts/${a.id}/review`,
          label: `${e.title} #${i + 1}`,
          score: percent(a.scorePercent),
        })),
      ),
    })),
    exams: book.exams.map((e) => ({
      ...e,
      cohortHref: `/teach/exams/${e.slug}/cohort?class=${book.cls.id}`,
    })),
  };
}

/** A cell as CSV: quoted when it must be; text a spreadsheet would run as a formula starts with '. */
export function csvCell(value: Value): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function gradebookCsv(book: Gradebook, order: GradebookSort): string {
  const columns = columnsOf(book);
  const lines = [columns.map((c) => csvCell(c.label))];
  for (const row of sortedRows(book, columns, order)) lines.push(columns.map((c) => csvCell(c.value(row))));
  return lines.map((cells) => cells.join(",")).join("\r\n") + "\r\n";
}

/**
 * The class's cohort: its members' predicted scores in bins of ten (those with enough answers),
 * and per topic the mean mastery over the members who answered questions in it.
 */
export function presentClassCohort(book: Gradebook) {
  const bins = Array.from({ length: 10 }, (_, i) => ({
    label: `${i * 10}–${i === 9 ? 100 : i * 10 + 9}%`,
    learners: 0,
  }));
  let notEnough = 0;
  let none = 0;
  for (const r of book.rows) {
    if (!r.readiness) none += 1;
    else if (!r.readiness.ready || r.readiness.predictedPercent === null) notEnough += 1;
    else bins[Math.min(9, Math.floor(r.readiness.predictedPercent / 10))]!.learners += 1;
  }
  const topics = book.topics.map((t) => {
    const held = book.rows.flatMap((r) => {
      const m = r.topics.get(t.path);
      return m ? [m] : [];
    });
    const mean = held.length ? held.reduce((s, m) => s + m.mean, 0) / held.length : null;
    return {
      title: t.title,
      learners: held.length,
      enough: held.filter((m) => m.answers >= book.minAnswers).length,
      mean: mean === null ? "" : `${(mean * 100).toFixed(0)}%`,
    };
  });
  return { members: book.rows.length, bins, notEnough, none, topics, passMarkPercent: book.passMarkPercent };
}
