// Dashboard view model: bars against the pass line, the trend as server-rendered SVG (with
// the same numbers in a table), weakest topics first.
import type { ReadinessStatus } from "./progress.service";

type Dashboard = {
  exam: { title: string; slug: string; passMarkPercent: number; blueprint: Record<string, number> | null } | null;
  topics: {
    path: string;
    title: string;
    /** Questions answered (blanks left out). */
    answers: number;
    /** Questions left blank in timed exams. */
    blanks: number;
    enough: boolean;
    mean: number | null;
    low: number | null;
    high: number | null;
  }[];
  snapshots: {
    at: Date;
    status: ReadinessStatus;
    predictedPercent: number | null;
    predictedLow: number | null;
    predictedHigh: number | null;
    pPass: number | null;
    pPassLow: number | null;
    pPassHigh: number | null;
    missingTopics: string[];
  }[];
  attempts: {
    id: string;
    submittedAt: Date | null;
    scorePercent: number | null;
    passed: boolean | null;
    exam: { title: string };
  }[];
  minAnswers: number;
  earlyAnswers: number;
};

const W = 640;
const H = 200;
const PAD = 32;
const pct = (x: number) => Math.round(x * 100);

function trendChart(points: { predicted: number; low: number; high: number }[], passMark: number) {
  if (points.length === 0) return null;
  const x = (i: number) => PAD + (points.length === 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (points.length - 1));
  const y = (v: number) => H - PAD - (v / 100) * (H - 2 * PAD);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.predicted).toFixed(1)}`).join(" ");
  const band = [
    ...points.map((p, i) => `${x(i).toFixed(1)},${y(p.high).toFixed(1)}`),
    ...points.map((p, i) => `${x(i).toFixed(1)},${y(p.low).toFixed(1)}`).reverse(),
  ].join(" ");
  return {
    width: W,
    height: H,
    line,
    band,
    passY: y(passMark).toFixed(1),
    left: PAD,
    right: W - PAD,
    dots: points.map((p, i) => ({ cx: x(i).toFixed(1), cy: y(p.predicted).toFixed(1) })),
    ticks: [0, 50, 100].map((v) => ({ label: `${v}%`, y: y(v).toFixed(1) })),
  };
}

export function presentDashboard(d: Dashboard, dueByTopic: { topic: string; due: number }[]) {
  const passMark = d.exam?.passMarkPercent ?? 70;
  const due = new Map(dueByTopic.map((t) => [t.topic, t.due]));
  const topics = d.topics
    .map((t) => ({
      path: t.path,
      title: t.title,
      answers: t.answers,
      blanks: t.blanks,
      enough: t.enough,
      mean: t.mean === null ? null : pct(t.mean),
      low: t.low === null ? null : pct(t.low),
      high: t.high === null ? null : pct(t.high),
      belowPass: t.mean !== null && t.mean * 100 < passMark,
      due: due.get(t.path) ?? 0,
    }))
    .sort((a, b) => (a.mean ?? -1) - (b.mean ?? -1) || a.title.localeCompare(b.title));
  // Early estimates are estimates too: on the chart and in the table, marked as early there.
  const ready = d.snapshots.filter((s) => s.status !== "not-enough-data" && s.predictedPercent !== null);
  const latest = d.snapshots.at(-1) ?? null;
  const titles = new Map(d.topics.map((t) => [t.path, t.title]));
  return {
    examTitle: d.exam?.title ?? "the mock exam",
    passMark,
    minAnswers: d.minAnswers,
    earlyAnswers: d.earlyAnswers,
    hasHistory: d.attempts.length > 0,
    latest: latest
      ? {
          ready: latest.status !== "not-enough-data" && latest.predictedPercent !== null,
          early: latest.status === "early",
          predicted: latest.predictedPercent?.toFixed(0) ?? "",
          predictedLow: latest.predictedLow?.toFixed(0) ?? "",
          predictedHigh: latest.predictedHigh?.toFixed(0) ?? "",
          pPass: latest.pPass === null ? "" : `${pct(latest.pPass)}%`,
          pPassLow: latest.pPassLow === null ? "" : `${pct(latest.pPassLow)}%`,
          pPassHigh: latest.pPassHigh === null ? "" : `${pct(latest.pPassHigh)}%`,
          missing: latest.missingTopics.map((p) => titles.get(p) ?? p),
          /** Every topic of the exam is still short of the full minimum (as right after the diagnostic). */
          missingAll:
            latest.missingTopics.length > 0 &&
            Object.keys(d.exam?.blueprint ?? {}).every((p) => latest.missingTopics.includes(p)),
          at: latest.at.toISOString().slice(0, 10),
        }
      : null,
    topics,
    weakest: topics.filter((t) => t.mean !== null)[0] ?? null,
    chart: trendChart(
      ready.map((s) => ({
        predicted: s.predictedPercent!,
        low: s.predictedLow ?? s.predictedPercent!,
        high: s.predictedHigh ?? s.predictedPercent!,
      })),
      passMark,
    ),
    trend: ready.map((s) => ({
      date: s.at.toISOString().slice(0, 16).replace("T", " "),
      predicted: s.predictedPercent!.toFixed(1),
      early: s.status === "early",
      range: `${s.predictedLow?.toFixed(0)}–${s.predictedHigh?.toFixed(0)}%`,
      pPass: s.pPass === null ? "" : `${pct(s.pPass)}%`,
    })),
    attempts: d.attempts.map((a) => ({
      id: a.id,
      title: a.exam.title,
      date: a.submittedAt?.toISOString().slice(0, 10) ?? "",
      score: `${(a.scorePercent ?? 0).toFixed(1)}%`,
      passed: a.passed ?? false,
    })),
  };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote when needed; a leading = + - @ is neutralised so spreadsheets do not run it.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function progressCsv(d: Dashboard): string {
  const rows: (string | number)[][] = [
    [
      "kind",
      "date",
      "topic",
      "answers",
      "estimate_percent",
      "low_percent",
      "high_percent",
      "pass_probability_percent",
      "blanks",
      "status",
    ],
  ];
  for (const t of d.topics)
    rows.push([
      "topic",
      "",
      t.path,
      t.answers,
      t.mean === null ? "" : pct(t.mean),
      t.low === null ? "" : pct(t.low),
      t.high === null ? "" : pct(t.high),
      "",
      t.blanks,
      "",
    ]);
  for (const s of d.snapshots)
    rows.push([
      "readiness",
      s.at.toISOString(),
      "",
      "",
      s.predictedPercent?.toFixed(1) ?? "",
      s.predictedLow?.toFixed(1) ?? "",
      s.predictedHigh?.toFixed(1) ?? "",
      s.pPass === null ? "" : pct(s.pPass),
      "",
      s.status,
    ]);
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\n")}\n`;
}
