import { formatDuration } from "./timer";

type Listed = {
  exam: {
    slug: string;
    title: string;
    description: string;
    kind: string;
    questionCount: number;
    timeLimitSeconds: number;
    passMarkPercent: number;
  };
  best: number | null;
  taken: number;
  openAttemptId: string | null;
};

function row(l: Listed) {
  return {
    slug: l.exam.slug,
    title: l.exam.title,
    description: l.exam.description,
    questions: l.exam.questionCount,
    time: formatDuration(l.exam.timeLimitSeconds),
    minutes: Math.round(l.exam.timeLimitSeconds / 60),
    passMark: l.exam.passMarkPercent,
    best: l.best === null ? null : `${l.best.toFixed(1)}%`,
    passedBest: l.best !== null && l.best >= l.exam.passMarkPercent,
    taken: l.taken,
    open: Boolean(l.openAttemptId),
  };
}

export function presentExamList(listed: Listed[]) {
  return {
    mocks: listed.filter((l) => l.exam.kind === "mock").map(row),
    modules: listed.filter((l) => l.exam.kind === "module").map(row),
  };
}
