// Request and response schemas of the learner endpoints (requests strict: unknown fields are 400).
import { z } from "zod";
import { jsonAnswer, SELF_ASSESSMENTS } from "../modules/exams";
import { CARD_KEY_PATTERN } from "../modules/review";
import { slug, uuid } from "../web/input";
import { isoDate } from "./schemas";

export const examSlugParams = z.strictObject({ slug: slug.meta({ description: "The exam's slug." }) });

const mode = z.enum(["timed", "practice"]).meta({
  description:
    "timed: the exam's clock, marked when submitted. practice: untimed, each answer checked on its own (POST .../check); not for mock exams.",
});

/** Starting an attempt: the stack for an exam with a stack section (the mock exam's languages). */
export const startBody = z
  .strictObject({
    mode: mode.default("timed"),
    stack: z
      .string()
      .regex(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/)
      .max(200)
      .optional()
      .meta({
        description: "The subtopic chosen for the exam's stack section, e.g. languages/go; needed when it has one.",
      }),
  })
  .meta({ id: "StartAttempt" });
export const attemptIdParams = z.strictObject({ id: uuid.meta({ description: "The attempt's id.", format: "uuid" }) });
export const answerParams = z.strictObject({
  id: uuid.meta({ format: "uuid" }),
  position: z.coerce.number().int().min(1).max(1000).meta({ description: "The question's position, from 1." }),
});

export const LearnerAnswer = jsonAnswer.shape.response.meta({
  id: "LearnerAnswer",
  description: "An answer, by question type; null clears it.",
});

export const answerBody = z
  .strictObject({
    seq: jsonAnswer.shape.seq.meta({
      description: "Greater than the item's current `seq`: a save with an older number is refused (409 stale_answer).",
    }),
    response: LearnerAnswer,
    flagged: z.boolean().default(false).meta({ description: "Flag for review; omitted means not flagged." }),
  })
  .meta({ id: "AnswerSave" });

export const Exam = z
  .object({
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    kind: z.enum(["mock", "module"]),
    questionCount: z.number().int(),
    timeLimitSeconds: z.number().int(),
    passMarkPercent: z.number().int().nullable(),
    bestScorePercent: z.number().nullable(),
    submittedAttempts: z.number().int(),
    openAttemptId: z.string().nullable(),
  })
  .meta({ id: "Exam" });

export const AttemptRef = z
  .object({ id: z.string().meta({ format: "uuid" }), resumed: z.boolean() })
  .meta({ id: "AttemptRef" });

const examRef = z.object({ slug: z.string(), title: z.string() });

const selfAssessment = z.enum(SELF_ASSESSMENTS).meta({
  description: "had: I had it; partly; missed: missed it. Not a score: it only schedules the essay's review card.",
});

export const OpenAttempt = z
  .object({
    id: z.string(),
    status: z.literal("open"),
    exam: examRef,
    mode,
    startedAt: isoDate,
    deadlineAt: isoDate,
    remainingSeconds: z.number().int(),
    items: z.array(
      z.object({
        position: z.number().int(),
        type: z.enum([
          "single",
          "multiple",
          "truefalse",
          "short",
          "numeric",
          "ordering",
          "matching",
          "gap",
          "sql",
          "essay",
        ]),
        stemHtml: z.string(),
        introHtml: z
          .string()
          .nullable()
          .meta({ description: "Text that introduces the question (a description before it in the bank), or null." }),
        sqlSetup: z.string().nullable().meta({
          description: "SQL exercises: the tables and data the statement runs on (answer with { type: sql, query }).",
        }),
        options: z.array(z.object({ id: z.string(), html: z.string() })).meta({
          description:
            "In the order shown; for ordering questions, the items to put in order; for matching questions, the answers to choose from.",
        }),
        gaps: z
          .array(
            z.object({
              gap: z.number().int(),
              kind: z.enum(["choice", "text"]),
              options: z.array(z.object({ id: z.string(), html: z.string() })),
            }),
          )
          .nullable()
          .meta({
            description:
              "Gap questions: each blank of the stem (shown as (n) ______), filled by one of its options or by text (answer with { type: gap, fills: [{ gap, optionId } | { gap, text }] }).",
          }),
        prompts: z
          .array(z.object({ id: z.string(), html: z.string() }))
          .nullable()
          .meta({
            description:
              "Matching questions: the items, each answered with one option (answer with { type: matching, pairs: [{ prompt, match }] }).",
          }),
        unit: z.string().nullable(),
        response: LearnerAnswer,
        flagged: z.boolean(),
        seq: z.number().int().meta({ description: "Send a greater number with the next save." }),
        checked: z.boolean().meta({ description: "Practice: checked and locked (check it again for its marking)." }),
        selfAssessment: selfAssessment.nullable().meta({
          description: "Practice essays: the learner's own assessment, once given (never a score).",
        }),
      }),
    ),
  })
  .meta({
    id: "OpenAttempt",
    description: "An attempt in progress: no key, correctness or explanation (practice: only through a check).",
  });

export const SubmittedAttempt = z
  .object({
    id: z.string(),
    status: z.literal("submitted"),
    exam: examRef,
    submittedAt: isoDate,
    result: z.string().meta({ description: "Where the result is." }),
  })
  .meta({ id: "SubmittedAttempt" });

export const Attempt = z.discriminatedUnion("status", [OpenAttempt, SubmittedAttempt]).meta({ id: "Attempt" });

export const Saved = z.object({ saved: z.literal(true), seq: z.number().int() }).meta({ id: "Saved" });

const TopicScore = z
  .object({ topicPath: z.string(), total: z.number().int(), correct: z.number(), scorePercent: z.number() })
  .meta({ id: "TopicScore" });

export const Result = z
  .object({
    id: z.string(),
    exam: examRef,
    submittedAt: isoDate,
    submittedBy: z.enum(["learner", "deadline"]),
    scorePercent: z.number(),
    passMarkPercent: z.number().int().nullable(),
    passed: z.boolean(),
    correctCount: z.number(),
    total: z.number().int().meta({ description: "The questions scored (essays are not)." }),
    essays: z.number().int().meta({ description: "Essays in the attempt: never scored." }),
    timeUsedSeconds: z.number().int(),
    topics: z.array(TopicScore),
    reviewAvailable: z.boolean().meta({ description: "Whether the exam's review policy shows the questions now." }),
    review: z.array(
      z.union([
        z.object({
          position: z.number().int(),
          topicPath: z.string(),
          stemHtml: z.string(),
          response: LearnerAnswer,
          held: z
            .literal(true)
            .meta({ description: "In another attempt still open: its key waits until that closes." }),
        }),
        z.object({
          position: z.number().int(),
          topicPath: z.string(),
          stemHtml: z.string(),
          response: LearnerAnswer,
          held: z.literal(false),
          correct: z.boolean().nullable().meta({ description: "null for an essay: never scored." }),
          score: z.number().nullable().meta({ description: "null for an essay: never scored." }),
          keyHtml: z.string().meta({ description: "The key; an essay's model answer." }),
          answerFeedback: z.string().meta({
            description:
              "Short and numeric: the bank's feedback on the answer given (the matching answer's, else the one for any other answer); \"\" when none.",
          }),
          explanationHtml: z.string(),
          selfAssessment: selfAssessment
            .nullable()
            .meta({ description: "Essays: the learner's own assessment, if given; null for other questions." }),
        }),
      ]),
    ),
  })
  .meta({ id: "Result" });

export const Progress = z
  .object({
    readiness: z
      .object({
        at: isoDate,
        status: z.enum(["ready", "early", "not-enough-data"]).meta({
          description:
            '"ready": every topic of the mock exam has at least 5 answers. "early": a first estimate, every topic ' +
            "has at least 2 answers but some fewer than 5 (those are `missingTopics`); its ranges are wide and it " +
            'firms up with more answers. "not-enough-data": some topic has fewer than 2 (those are ' +
            "`missingTopics`), and the figures are null.",
        }),
        predictedPercent: z.number().nullable(),
        predictedLow: z
          .number()
          .nullable()
          .meta({ description: "5% point of the predicted score of one sitting, in percent." }),
        predictedHigh: z
          .number()
          .nullable()
          .meta({ description: "95% point of the predicted score of one sitting, in percent." }),
        passProbability: z.number().nullable(),
        passProbabilityLow: z
          .number()
          .nullable()
          .meta({ description: "5% point of the pass chance the learner's true mastery could give." }),
        passProbabilityHigh: z
          .number()
          .nullable()
          .meta({ description: "95% point of the pass chance the learner's true mastery could give." }),
        missingTopics: z.array(z.string()),
      })
      .nullable(),
    topics: z.array(
      z.object({
        path: z.string(),
        title: z.string(),
        answers: z.number().meta({ description: "Questions answered in the topic (blanks left out)." }),
        blanks: z.number().meta({
          description:
            "Questions of the topic left blank in timed exams: scored 0, weaker evidence than a wrong answer.",
        }),
        enough: z.boolean(),
        mastery: z.number().nullable(),
        low: z.number().nullable(),
        high: z.number().nullable(),
      }),
    ),
    recentAttempts: z.array(
      z.object({
        id: z.string(),
        examTitle: z.string(),
        scorePercent: z.number().nullable(),
        passed: z.boolean().nullable(),
        submittedAt: isoDate.nullable(),
      }),
    ),
  })
  .meta({ id: "Progress" });

export const reviewQuery = z.strictObject({
  topic: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .max(100)
    .optional(),
  mode: z.enum(["weak"]).optional(),
});

export const ReviewNext = z
  .object({
    counts: z.object({ due: z.number().int(), fresh: z.number().int() }),
    card: z
      .object({
        cardKey: z.string(),
        origin: z.string(),
        isNew: z.boolean(),
        version: z.string().meta({ description: "Send back with the grade: a repeated grade changes nothing." }),
        topicTitle: z.string(),
        frontHtml: z.string(),
        choicesHtml: z.array(z.string()),
        backHtml: z.string(),
        explanationHtml: z.string(),
        ratings: z.array(z.object({ rating: z.number().int(), label: z.string(), interval: z.string() })),
      })
      .nullable(),
  })
  .meta({ id: "ReviewNext" });

export const cardParams = z.strictObject({ cardKey: z.string().regex(CARD_KEY_PATTERN, "no such card") });
export const gradeBody = z.strictObject({
  rating: z.number().int().min(1).max(4).meta({ description: "1 again, 2 hard, 3 good, 4 easy." }),
  version: z.string().regex(/^\d{1,15}-\d{1,15}$/),
});
export const Graded = z.object({ repeated: z.boolean(), due: isoDate.nullable() }).meta({ id: "Graded" });

export const quizBody = z.strictObject({
  topics: z.array(slug).min(1).max(50),
  questionCount: z.number().int().min(1).max(100),
  minutes: z.number().int().min(1).max(300),
  mode: mode.default("timed"),
});

/** The learner's missed questions, practised again unless the clock is asked for. */
export const missedBody = z.strictObject({ mode: mode.default("practice") });

export const checkBody = z
  .strictObject({
    response: LearnerAnswer,
    flagged: z.boolean().default(false),
  })
  .meta({ id: "AnswerCheck" });

export const Checked = z
  .object({
    position: z.number().int(),
    correct: z.boolean().nullable().meta({ description: "null for an essay: it is never marked." }),
    scorePercent: z.number().int().nullable().meta({ description: "null for an essay: it is never marked." }),
    keyHtml: z.string().meta({ description: "The right answer, as the page shows it (an essay's model answer)." }),
    explanationHtml: z.string(),
    options: z
      .array(
        z.object({
          id: z.string(),
          html: z.string(),
          correct: z.boolean(),
          chosen: z.boolean(),
          feedback: z.string(),
          weight: z.number().nullable().meta({
            description: "Single choice with partial credit: the percent of the mark a wrong option earns; else null.",
          }),
        }),
      )
      .meta({ description: "Choice questions: every option in the order shown, with its verdict and feedback." }),
    answerFeedback: z.string().meta({
      description: 'Short and numeric: the bank\'s feedback on the answer given; "" when none.',
    }),
    sql: z
      .object({
        error: z.string().nullable(),
        problems: z.array(z.string()),
        grids: z.array(
          z.object({
            title: z.string(),
            yours: z.unknown().meta({ description: "The learner's rows (columns, rows, marks), or null." }),
            expected: z.unknown().meta({ description: "The expected rows (columns, rows, marks)." }),
          }),
        ),
      })
      .nullable()
      .meta({ description: "SQL exercises: the learner's result beside the expected one, differences marked." }),
    pairs: z
      .array(
        z.object({
          promptHtml: z.string(),
          yoursHtml: z.string().nullable(),
          keyHtml: z.string(),
          right: z.boolean(),
          feedback: z
            .string()
            .meta({ description: "The bank's feedback on the option chosen for a gap's blank; \"\" when none." }),
        }),
      )
      .meta({ description: "Matching and gap questions: each item or blank with the answer given and the right one." }),
    essay: z
      .object({
        answerText: z.string().meta({ description: 'The learner\'s answer as written ("" when left blank).' }),
        modelAnswerHtml: z.string(),
        selfAssessment: selfAssessment.nullable(),
      })
      .nullable()
      .meta({
        description:
          "Essays: the answer beside the model answer; then POST .../self-assessment with how it compared. Null for other questions.",
      }),
  })
  .meta({ id: "CheckedAnswer", description: "The marking of one checked practice answer, now locked." });

export const selfAssessmentBody = z.strictObject({ assessment: selfAssessment }).meta({ id: "SelfAssessmentInput" });

export const SelfAssessed = z
  .object({
    position: z.number().int(),
    assessment: selfAssessment,
    repeated: z.boolean().meta({ description: "The same assessment was given before: nothing changed." }),
  })
  .meta({ id: "SelfAssessment" });
