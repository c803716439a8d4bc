// The returning learner's home page (pure): what is due, what is open, the readiness headline,
// the one next best step, and twelve weeks of activity with the streak.
import { formatDuration, remainingSeconds } from "../modules/exams";

export type HomeInput = {
  now: Date;
  due: number;
  open: { id: string; title: string; deadlineAt: Date }[];
  readiness: {
    /** "early": a first estimate from few answers per topic (missingTopics: those short of the full minimum). */
    status: "ready" | "early" | "not-enough-data";
    predictedPercent: number | null;
    predictedLow: number | null;
    predictedHigh: number | null;
    pPass: number | null;
    missingTopics: string[];
    at: Date;
  } | null;
  passMark: number | null;
  weakest: { path: string; title: string } | null;
  started: boolean;
  /** Moments of activity: answers saved and cards graded. */
  activity: Date[];
};

export type NextStep =
  | { kind: "resume"; label: string; href: string }
  | { kind: "diagnostic"; label: string }
  | { kind: "review"; label: string; href: string }
  | { kind: "drill"; label: string; topic: string }
  | { kind: "exams"; label: string; href: string };

const DAY = 86_400_000;
export const HEATMAP_WEEKS = 12;
const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The first day shown: the Monday (UTC) eleven weeks before this week's. */
export function heatmapStart(now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const weekday = (new Date(today).getUTCDay() + 6) % 7; // Monday 0
  return new Date(today - (weekday + (HEATMAP_WEEKS - 1) * 7) * DAY);
}

const level = (n: number) => (n === 0 ? 0 : n < 5 ? 1 : n < 15 ? 2 : n < 40 ? 3 : 4);

export function presentHome(input: HomeInput) {
  const { now } = input;
  const counts = new Map<string, number>();
  for (const at of input.activity) counts.set(dayKey(at), (counts.get(dayKey(at)) ?? 0) + 1);
  const start = heatmapStart(now);
  const today = dayKey(now);
  const weeks = Array.from({ length: HEATMAP_WEEKS }, (_, w) => {
    const monday = new Date(start.getTime() + w * 7 * DAY);
    return { label: `Week of ${monday.getUTCDate()} ${MONTHS[monday.getUTCMonth()]!}`, monday };
  });
  const rows = DAY_NAMES.map((name, d) => ({
    name,
    short: name.slice(0, 3),
    cells: weeks.map((w) => {
      const date = new Date(w.monday.getTime() + d * DAY);
      const key = dayKey(date);
      const future = key > today;
      const n = future ? null : (counts.get(key) ?? 0);
      return {
        date: key,
        count: n,
        level: n === null ? -1 : level(n),
        label:
          n === null
            ? `${name} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]!}: still to come`
            : `${name} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]!}: ${n} ${n === 1 ? "activity" : "activities"}`,
        today: key === today,
      };
    }),
  }));
  // The streak: consecutive days with activity ending today, or yesterday when today is still empty.
  let streak = 0;
  let cursor = counts.has(today) ? now.getTime() : now.getTime() - DAY;
  while (counts.has(dayKey(new Date(cursor)))) {
    streak += 1;
    cursor -= DAY;
  }
  const activeDays = [...counts.keys()].filter((k) => k >= dayKey(start)).length;

  const open = input.open.map((a) => {
    const left = remainingSeconds(a.deadlineAt, now);
    return { id: a.id, title: a.title, left: formatDuration(left), href: `/attempts/${a.id}` };
  });
  const r = input.readiness;
  const readiness = !r
    ? null
    : r.status !== "not-enough-data" && r.predictedPercent !== null
      ? {
          ready: true,
          early: r.status === "early",
          text: `Predicted score ${r.predictedPercent.toFixed(0)}%${
            r.predictedLow !== null && r.predictedHigh !== null
              ? ` (likely ${r.predictedLow.toFixed(0)}-${r.predictedHigh.toFixed(0)}%)`
              : ""
          }${input.passMark !== null ? ` against a pass mark of ${input.passMark}%` : ""}${
            r.pPass !== null ? `; chance of passing now ${Math.round(r.pPass * 100)}%` : ""
          }.`,
          note:
            r.status === "early"
              ? "Based on only a few answers per topic, so the range is wide: it firms up as you answer more."
              : null,
        }
      : {
          ready: false,
          early: false,
          text: r.missingTopics.length
            ? `Not enough answers yet for an estimate. Still missing: ${r.missingTopics.join(", ")}.`
            : "Not enough answers yet for an estimate.",
          note: null,
        };

  let next: NextStep;
  const firstOpen = open[0];
  if (firstOpen)
    next = { kind: "resume", label: `Resume ${firstOpen.title} (${firstOpen.left} left)`, href: firstOpen.href };
  else if (!input.started) next = { kind: "diagnostic", label: "Start the diagnostic" };
  else if (input.due > 0)
    next = {
      kind: "review",
      label: `Review ${input.due} card${input.due === 1 ? "" : "s"} due today`,
      href: "/review",
    };
  else if (input.weakest)
    next = { kind: "drill", label: `Practise your weakest topic: ${input.weakest.title}`, topic: input.weakest.path };
  else next = { kind: "exams", label: "Choose an exam or module", href: "/exams" };

  return { due: input.due, open, readiness, next, heatmap: { weeks, rows }, streak, activeDays };
}

export type HomeView = ReturnType<typeof presentHome>;
