import { formatDuration } from "./timer";

type Listed = {
  exam: {
    slug: string;
    title: string;
    description: string;
    kind: string;
    questionCount: number;
    timeLimitSeconds: number;
    passMarkPercent: number | null;
    stackChoice?: unknown;
    opensAt?: Date | null;
    closesAt?: Date | null;
  };
  best: number | null;
  taken: number;
  openAttemptId: string | null;
};

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function row(l: Listed) {
  return {
    slug: l.exam.slug,
    title: l.exam.title,
    description: l.exam.description,
    questions: l.exam.questionCount,
    time: formatDuration(l.exam.timeLimitSeconds),
    minutes: Math.round(l.exam.timeLimitSeconds / 60),
    /** null: a placement test, with no pass mark. */
    passMark: l.exam.passMarkPercent,
    best: l.best === null ? null : `${l.best.toFixed(1)}%`,
    passedBest: l.best !== null && l.exam.passMarkPercent !== null && l.best >= l.exam.passMarkPercent,
    taken: l.taken,
    open: Boolean(l.openAttemptId),
    /** Started from its start page, where the learner picks a stack. */
    choosesStack: Boolean(l.exam.stackChoice),
    /** When a class exam opens and closes (UTC), as the card says it. */
    window: [
      l.exam.opensAt ? `Opens ${utc(l.exam.opensAt)}` : "",
      l.exam.closesAt ? `closes ${utc(l.exam.closesAt)}` : "",
    ]
      .filter(Boolean)
      .join(", "),
  };
}

export function presentExamList(listed: Listed[]) {
  return {
    mocks: listed.filter((l) => l.exam.kind === "mock").map(row),
    modules: listed.filter((l) => l.exam.kind === "module").map(row),
  };
}

/** The start page of an exam: what it is, and the stacks to choose from when it has a stack section. */
export function presentStart(options: {
  exam: Listed["exam"];
  openAttemptId: string | null;
  stackTopic: string | null;
  stacks: { path: string; title: string; questions: number }[] | null;
}) {
  const { exam } = options;
  return {
    slug: exam.slug,
    title: exam.title,
    description: exam.description,
    questions: exam.questionCount,
    minutes: Math.round(exam.timeLimitSeconds / 60),
    passMark: exam.passMarkPercent,
    open: Boolean(options.openAttemptId),
    stacks: options.stacks?.map((s) => ({ path: s.path, title: s.title })) ?? null,
  };
}
