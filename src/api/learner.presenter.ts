// Use-case results -> API bodies for learners. The open attempt's body is built only from
// what a learner may see while answering: stems and option texts, never the key, correctness
// or explanation (the version's body holds the key, so only ids and option HTML are read).
import { keyHtml, type StoredBody } from "../modules/banks";
import {
  SELF_ASSESSMENTS,
  type CheckedView,
  type LearnerAnswer,
  type SelfAssessment,
  type TopicScore,
  typedAnswerFeedback,
} from "../modules/exams";
import type { ProgressService } from "../modules/progress";
import type { ReviewService } from "../modules/review";

type OpenItem = {
  position: number;
  displayOrder: string[];
  response: LearnerAnswer | null;
  seq: number;
  flagged: boolean;
  questionVersionId: string;
  checkedAt?: Date | null;
  selfAssessment?: string | null;
};
type ShownVersion = { type: string; stemHtml: string; body: StoredBody };

const selfAssessmentValue = (value: string | null | undefined): SelfAssessment | null =>
  SELF_ASSESSMENTS.find((v) => v === value) ?? null;

/** A checked answer for the API: an essay's carries no mark (null), its answer and model answer instead. */
export function presentChecked(position: number, marking: CheckedView) {
  const { essay, ...rest } = marking;
  return {
    position,
    ...rest,
    ...(essay ? { correct: null, scorePercent: null } : {}),
    essay: essay
      ? {
          answerText: essay.answerText,
          modelAnswerHtml: essay.modelAnswerHtml,
          selfAssessment: essay.assessment?.value ?? null,
        }
      : null,
  };
}

function optionTexts(body: StoredBody): Map<string, string> {
  const list = "options" in body ? body.options : "items" in body ? body.items : [];
  return new Map(list.map((o) => [o.id, o.html]));
}

export function presentOpenAttempt(
  attempt: {
    id: string;
    mode: "timed" | "practice";
    startedAt: Date;
    deadlineAt: Date;
    exam: { slug: string; title: string };
  },
  items: OpenItem[],
  versions: Map<string, ShownVersion>,
  now: Date,
) {
  return {
    id: attempt.id,
    status: "open" as const,
    exam: { slug: attempt.exam.slug, title: attempt.exam.title },
    mode: attempt.mode,
    startedAt: attempt.startedAt.toISOString(),
    deadlineAt: attempt.deadlineAt.toISOString(),
    remainingSeconds: Math.max(0, Math.floor((attempt.deadlineAt.getTime() - now.getTime()) / 1000)),
    items: items.map((item) => {
      const version = versions.get(item.questionVersionId)!;
      const texts = optionTexts(version.body);
      const choices = ["single", "multiple", "ordering"].includes(version.type);
      const body = version.body;
      // Matching: the prompts (each answered with one of the options), neither list in key order.
      const prompts = "prompts" in body ? new Map(body.prompts.map((p) => [p.id, p.html])) : null;
      const matches = "prompts" in body ? new Map(body.matches.map((m) => [m.id, m.html])) : null;
      return {
        position: item.position,
        type: version.type,
        stemHtml: version.stemHtml,
        introHtml: body.intro?.html ?? null,
        options: choices
          ? item.displayOrder.map((id) => ({ id, html: texts.get(id) ?? "" }))
          : matches
            ? item.displayOrder.filter((id) => matches.has(id)).map((id) => ({ id, html: matches.get(id)! }))
            : [],
        gaps:
          "gaps" in body
            ? body.gaps.map((g, i) => ({
                gap: i + 1,
                kind: g.kind,
                options:
                  g.kind === "choice"
                    ? item.displayOrder.flatMap((id) => {
                        const o = g.options.find((option) => option.id === id);
                        return o ? [{ id, html: o.html }] : [];
                      })
                    : [],
              }))
            : null,
        prompts: prompts
          ? item.displayOrder.filter((id) => prompts.has(id)).map((id) => ({ id, html: prompts.get(id)! }))
          : null,
        sqlSetup: "exercise" in version.body ? version.body.exercise.setup : null,
        unit: "unit" in version.body && typeof version.body.unit === "string" ? version.body.unit : null,
        response: item.response,
        flagged: item.flagged,
        seq: item.seq,
        checked: Boolean(item.checkedAt),
        selfAssessment: selfAssessmentValue(item.selfAssessment),
      };
    }),
  };
}

export function presentSubmitted(attempt: {
  id: string;
  submittedAt: Date | null;
  exam: { slug: string; title: string };
}) {
  return {
    id: attempt.id,
    status: "submitted" as const,
    exam: { slug: attempt.exam.slug, title: attempt.exam.title },
    submittedAt: (attempt.submittedAt ?? new Date(0)).toISOString(),
    result: `/api/v1/attempts/${attempt.id}/result`,
  };
}

type ResultItem = {
  position: number;
  topicPath: string;
  response: LearnerAnswer | null;
  correct: boolean | null;
  score: number | null;
  held?: boolean;
  selfAssessment?: string | null;
  questionVersion: { type: string; stemHtml: string; body: StoredBody; explanationHtml: string };
};

export function presentResult(
  attempt: {
    id: string;
    submittedAt: Date | null;
    scorePercent: number | null;
    passed: boolean | null;
    correctCount: number | null;
    timeUsedSeconds: number | null;
    submittedBy: string | null;
    topicBreakdown: TopicScore[];
    exam: { slug: string; title: string; passMarkPercent: number | null };
  },
  items: ResultItem[],
  showReview: boolean,
) {
  const essays = items.filter((i) => i.questionVersion.type === "essay").length;
  return {
    id: attempt.id,
    exam: { slug: attempt.exam.slug, title: attempt.exam.title },
    submittedAt: (attempt.submittedAt ?? new Date(0)).toISOString(),
    submittedBy: attempt.submittedBy === "deadline" ? ("deadline" as const) : ("learner" as const),
    scorePercent: attempt.scorePercent ?? 0,
    passMarkPercent: attempt.exam.passMarkPercent,
    passed: attempt.passed ?? false,
    correctCount: attempt.correctCount ?? 0,
    total: items.length - essays,
    essays,
    timeUsedSeconds: attempt.timeUsedSeconds ?? 0,
    topics: attempt.topicBreakdown,
    reviewAvailable: showReview,
    review: showReview
      ? items.map((i) =>
          i.held
            ? {
                position: i.position,
                topicPath: i.topicPath,
                stemHtml: i.questionVersion.stemHtml,
                response: i.response,
                held: true,
              }
            : {
                position: i.position,
                topicPath: i.topicPath,
                stemHtml: i.questionVersion.stemHtml,
                response: i.response,
                held: false,
                ...(i.questionVersion.type === "essay"
                  ? { correct: null, score: null }
                  : { correct: i.correct ?? false, score: i.score ?? 0 }),
                keyHtml: keyHtml(i.questionVersion.body),
                answerFeedback: typedAnswerFeedback(i.questionVersion.body, i.response),
                explanationHtml: i.questionVersion.explanationHtml,
                selfAssessment: selfAssessmentValue(i.selfAssessment),
              },
        )
      : [],
  };
}

type Dashboard = Awaited<ReturnType<ProgressService["dashboard"]>>;

export function presentProgress(d: Dashboard) {
  const latest = d.snapshots[d.snapshots.length - 1];
  return {
    readiness: latest
      ? {
          at: latest.at.toISOString(),
          status: latest.status,
          predictedPercent: latest.predictedPercent,
          predictedLow: latest.predictedLow,
          predictedHigh: latest.predictedHigh,
          passProbability: latest.pPass,
          passProbabilityLow: latest.pPassLow,
          passProbabilityHigh: latest.pPassHigh,
          missingTopics: latest.missingTopics,
        }
      : null,
    topics: d.topics.map((t) => ({
      path: t.path,
      title: t.title,
      answers: t.answers,
      blanks: t.blanks,
      enough: t.enough,
      mastery: t.mean,
      low: t.low,
      high: t.high,
    })),
    recentAttempts: d.attempts.map((a) => ({
      id: a.id,
      examTitle: a.exam.title,
      scorePercent: a.scorePercent,
      passed: a.passed,
      submittedAt: a.submittedAt?.toISOString() ?? null,
    })),
  };
}

type ReviewSession = Awaited<ReturnType<ReviewService["session"]>>;

export function presentReviewNext(session: ReviewSession) {
  const card = session.card;
  return {
    counts: session.counts,
    card: card && {
      cardKey: card.cardKey,
      origin: card.origin,
      isNew: card.isNew,
      version: card.version,
      topicTitle: card.topicTitle,
      frontHtml: card.frontHtml,
      choicesHtml: card.choicesHtml,
      backHtml: card.backHtml,
      explanationHtml: card.explanationHtml,
      ratings: card.buttons.map((b) => ({ rating: b.rating, label: b.label, interval: b.intervalLabel })),
    },
  };
}
