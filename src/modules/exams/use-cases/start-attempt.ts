// Use case: start an attempt of an exam, or resume the learner's open one.
import { isUniqueViolation, retrying, type Prisma } from "../../../db";
import { Conflict, Invalid, NotFound } from "../../../errors";
import { insertAttempt, insertAttemptIfCurrent, loadPool, typedExam } from "../attempts.repo";
import { examBankSet, examReaches } from "../exam-access";
import { FormReserve, type ReserveBudget } from "../form-reserve";
import { poolForStack, selectQuestions, type PoolQuestion } from "../selection";
import { deadlineFor, isOverdue, PRACTICE_OPEN_SECONDS, type AttemptMode } from "../timer";
import type { AttemptsDeps } from "./deps";
import { heldQuestions } from "./held-questions";
import { stackChoices, stacksInPool } from "./stack-choices";
import { submitAttempt } from "./submit-attempt";

export type StartAttemptOptions = {
  examSlug: string;
  userId: string;
  /** The subtopic chosen for the exam's stack section (e.g. "languages/go"); needed when it has one. */
  stack?: string;
  /** timed (the default) or practice: untimed, each answer checked as the learner goes. */
  mode?: AttemptMode;
};

/**
 * Starts an attempt, or resumes the open one (in the mode it was started in); an overdue open
 * one is submitted first. The mock exam is always timed.
 */
export async function startAttempt(
  deps: AttemptsDeps,
  input: StartAttemptOptions,
): Promise<{ id: string; resumed: boolean }> {
  const kept = await startFromKept(deps, { ...input, learner: { userId: input.userId } });
  if (kept) return { id: kept, resumed: false };
  const { prisma } = deps;
  const found = await examWithOwner(deps, input.examSlug);
  if (!found || !(await examReaches(prisma, found, input.userId))) throw new NotFound("There is no such exam.");
  const exam = typedExam(found);
  const mode = input.mode ?? "timed";
  if (mode === "practice" && exam.kind === "mock")
    throw new Conflict("The mock exam is always timed: practise with a topic module or your own quiz.");
  const now = deps.clock.now();
  if (exam.opensAt && exam.opensAt > now)
    throw new Conflict(
      `This exam opens at ${exam.opensAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
      "not_open",
    );
  if (exam.closesAt && exam.closesAt <= now) throw new Conflict("This exam has closed.");
  const open = await prisma.attempt.findUnique({ where: { openKey: `${exam.id}:${input.userId}` } });
  if (open && !isOverdue(open.deadlineAt, now)) return { id: open.id, resumed: true };
  if (open) await submitAttempt(deps, { attemptId: open.id, by: "deadline" });
  if (exam.maxAttempts !== null) {
    const used = await prisma.attempt.count({ where: { examId: exam.id, userId: input.userId } });
    if (used >= exam.maxAttempts) throw new Conflict(`You have used all ${exam.maxAttempts} attempt(s) of this exam.`);
  }
  // A stack section draws only from the chosen subtopic: a start without a valid choice is refused.
  const stacks = await stackChoices(deps, exam);
  let stack: string | null = null;
  if (stacks) {
    if (stacks.length === 0)
      throw new Conflict("No language has enough questions for this exam's languages section yet.");
    if (!input.stack || !stacks.some((s) => s.path === input.stack))
      throw new Invalid("Choose the language you work in.", [
        { field: "stack", message: `Choose one of: ${stacks.map((s) => `${s.path} (${s.title})`).join(", ")}.` },
      ]);
    stack = input.stack;
  }
  try {
    return { id: (await createAttempt(deps, exam, input.userId, stack, mode)).id, resumed: false };
  } catch (error) {
    // Another request started it a moment ago: resume that one.
    if (!isUniqueViolation(error)) throw error;
    const winner = await prisma.attempt.findUniqueOrThrow({ where: { openKey: `${exam.id}:${input.userId}` } });
    return { id: winner.id, resumed: true };
  }
}

type StartingExam = ReturnType<typeof typedExam<NonNullable<Awaited<ReturnType<typeof examWithOwner>>>>>;
const examWithOwner = (deps: AttemptsDeps, slug: string) =>
  deps.prisma.exam.findUnique({ where: { slug }, include: { owner: { select: { role: true } } } });

async function createAttempt(
  deps: AttemptsDeps,
  exam: StartingExam,
  userId: string,
  stack: string | null,
  mode: AttemptMode,
) {
  const { prisma } = deps;
  const examId = exam.id;
  // Practice (modules, custom quizzes) drawn during an open attempt leaves out its questions:
  // submitting the practice at once would otherwise show their keys. A mock keeps its whole
  // pool, so its blueprint stays the exam's; what it shares with an open practice attempt is
  // held back on that attempt's result instead (attempt-result.ts).
  // An open attempt of this same exam is not practice beside it: a concurrent start of the
  // same exam resumes it (the open-key conflict above), so it must not empty the pool first.
  const heldBack = exam.kind === "mock" ? new Set<string>() : await heldQuestions(deps, { userId, exceptExam: examId });
  // Essays come only into practice: a timed attempt (and every mock exam) is scored, an essay never.
  const banks = await examBankSet(prisma, exam);
  const loaded = (await loadPool(prisma, banks.ids, { essays: mode === "practice" })).filter(
    (q) => !heldBack.has(q.questionId),
  );
  if (mode === "timed" && keepable(exam) && banks.poolToken !== null) keep(deps, exam, loaded, banks.poolToken);
  const selected = draw(deps, exam, stackPool(exam, loaded, stack));
  if (selected.length === 0)
    throw new Conflict(
      heldBack.size
        ? "Every question on these topics is in an attempt you have open. Finish that attempt first, or choose other topics."
        : "This exam has no questions to draw from yet.",
    );
  const id = await retrying(() => insertAttempt(prisma, { ...newAttempt(deps, exam, stack, mode, selected), userId }));
  return { id };
}

/** What a start draws from: the exam's pool, narrowed to the learner's stack where it has a stack section. */
const stackPool = (exam: StartingExam, loaded: readonly PoolQuestion[], stack: string | null) =>
  exam.stackChoice && stack ? poolForStack(loaded, exam.stackChoice, stack) : loaded;

function draw(deps: AttemptsDeps, exam: StartingExam, pool: readonly PoolQuestion[]) {
  return selectQuestions({
    pool,
    count: exam.questionCount,
    blueprint: exam.blueprint,
    difficultyQuota: exam.difficultyQuota,
    typeQuota: exam.typeQuota,
    tieSeed: exam.slug,
    topicPaths: exam.topicPaths,
    questionIds: exam.questionIds,
    shuffleQuestions: exam.shuffleQuestions,
    shuffleOptions: exam.shuffleOptions,
    rng: deps.newRng(),
  });
}

function newAttempt(
  deps: AttemptsDeps,
  exam: StartingExam,
  stack: string | null,
  mode: AttemptMode,
  selected: ReturnType<typeof draw>,
) {
  const now = deps.clock.now();
  return {
    examId: exam.id,
    stack,
    mode,
    startedAt: now,
    deadlineAt: deadlineFor(now, mode === "practice" ? PRACTICE_OPEN_SECONDS : exam.timeLimitSeconds, exam.closesAt),
    items: selected.map((s) => ({ versionId: s.versionId, topicPath: s.topicPath, displayOrder: s.displayOrder })),
  };
}

// ---------------------------------------------------------------- starts from a kept pool
//
// On exam day a cohort starts the shipped mock in the same second, and each start read the
// exam, the open attempt, the public banks and the whole pool before its insert. Each process
// keeps what a timed start of a shipped mock exam (no owner: it draws from the public banks)
// read the long way: the exam as read, its pool and the stacks it offers, with the public
// banks' pool token they were read under. A later start draws from them and inserts in one
// statement that checks, inside itself, that the exam and the token are unchanged, that the
// learner is under the exam's attempt limit and has no attempt of it open
// (insertAttemptIfCurrent). When any of that fails, nothing is written and the start goes
// the long way, which says why, resumes, or keeps the pool again. So a kept pool is never
// drawn from once the exam, the set of public banks or any of their questions (its current
// version, topic, retirement or bank) has changed, whichever process changed it.

type Kept = {
  exam: StartingExam;
  pool: readonly PoolQuestion[];
  stacks: ReadonlySet<string> | null;
  poolToken: string;
  /** The pool narrowed to each stack, as starts ask for them (stackPool, once per stack). */
  byStack: Map<string, readonly PoolQuestion[]>;
  /** Forms drawn ahead from the pool, per stack ("" without a stack section): see form-reserve.ts. */
  reserves: Map<string, FormReserve<Selected>>;
};
type Selected = ReturnType<typeof draw>;
const kept = new Map<string, Kept>();
const KEPT_MAX = 64;

/**
 * Forms a kept pool's reserve holds per stack, and all reserves of a process together (a
 * shipped-mock form takes about 7.4 KB of heap: 7.4 MB in all). A reserve fills once starts
 * have paused for RESERVE_QUIET_MS, so a cohort's burst is served from it, not refilled in it.
 */
const RESERVE_FORMS = 128;
const RESERVE_BUDGET: ReserveBudget = { held: 0, max: 1024 };
const RESERVE_QUIET_MS = 500;

/** The exams a process keeps a pool of: shipped mock exams (no owner: the public banks), published. */
const keepable = (exam: { ownerId: string | null; published: boolean; kind: string }) =>
  exam.ownerId === null && exam.published && exam.kind === "mock";

function keep(deps: AttemptsDeps, exam: StartingExam, pool: PoolQuestion[], poolToken: string) {
  if (kept.size >= KEPT_MAX && !kept.has(exam.slug)) forget([...kept.keys()]);
  else forget([exam.slug]);
  // Frozen: every later start of the exam in this process draws from these same objects.
  const frozen: readonly PoolQuestion[] = Object.freeze(
    pool.map((q) => Object.freeze({ ...q, choiceIds: Object.freeze([...q.choiceIds]) as string[] })),
  );
  const entry: Kept = {
    exam,
    pool: frozen,
    stacks: stacksInPool(exam, frozen),
    poolToken,
    byStack: new Map(),
    reserves: new Map(),
  };
  kept.set(exam.slug, entry);
  // The stacks a start may ask for (or the one pool), each with a reserve filled from now on.
  for (const stack of entry.stacks ?? [null]) reserveOf(deps, entry, stack).fillWhenQuiet();
}

/** Drops kept pools, with the forms drawn ahead from them. */
function forget(slugs: string[]) {
  for (const slug of slugs) {
    for (const reserve of kept.get(slug)?.reserves.values() ?? []) reserve.stop();
    kept.delete(slug);
  }
}

/** The kept pool narrowed to a stack (null: the exam has no stack section). */
function poolOf(entry: Kept, stack: string | null): readonly PoolQuestion[] {
  if (stack === null) return entry.pool;
  let pool = entry.byStack.get(stack);
  if (!pool) entry.byStack.set(stack, (pool = Object.freeze(stackPool(entry.exam, entry.pool, stack))));
  return pool;
}

/** The reserve of forms drawn ahead from a kept pool for a stack. */
function reserveOf(deps: AttemptsDeps, entry: Kept, stack: string | null): FormReserve<Selected> {
  const key = stack ?? "";
  let reserve = entry.reserves.get(key);
  if (!reserve) {
    const pool = poolOf(entry, stack);
    reserve = new FormReserve({
      draw: () => draw(deps, entry.exam, pool),
      size: RESERVE_FORMS,
      quietMs: RESERVE_QUIET_MS,
      budget: RESERVE_BUDGET,
    });
    entry.reserves.set(key, reserve);
  }
  return reserve;
}

/**
 * The kept pool of an exam, read now when none is kept and the exam can have one: a shipped
 * mock exam (no owner, published). The whole cohort presses Start in the same second, so
 * the first starts of a process would otherwise each read the pool the long way at once;
 * here they wait for one read (one in flight per exam). An exam that cannot have one is
 * remembered as such for a while, so its starts read it once, the long way.
 */
const priming = new Map<string, Promise<Kept | null>>();
const unkeepable = new Map<string, number>();
const UNKEEPABLE_MS = 60_000;

function keptFor(deps: AttemptsDeps, slug: string): Promise<Kept | null> | Kept | null {
  const entry = kept.get(slug);
  if (entry) return entry;
  const until = unkeepable.get(slug);
  if (until !== undefined && until > Date.now()) return null;
  let pending = priming.get(slug);
  if (!pending) {
    pending = prime(deps, slug).finally(() => priming.delete(slug));
    priming.set(slug, pending);
  }
  return pending;
}

async function prime(deps: AttemptsDeps, slug: string): Promise<Kept | null> {
  const found = await examWithOwner(deps, slug);
  if (found && keepable(found)) {
    const exam = typedExam(found);
    const banks = await examBankSet(deps.prisma, exam);
    if (banks.poolToken !== null) {
      keep(deps, exam, await loadPool(deps.prisma, banks.ids, { essays: false }), banks.poolToken);
      return kept.get(slug) ?? null;
    }
  }
  if (unkeepable.size >= KEPT_MAX * 4) unkeepable.clear();
  unkeepable.set(slug, Date.now() + UNKEEPABLE_MS);
  return null;
}

/**
 * Readies the starts of an exam while a learner is on its start page: its pool kept, where it
 * can be, and forms drawn ahead once the process is quiet, so a cohort's first starts neither
 * read the pool nor draw. Nothing waits for it; what fails here fails again at the start, which
 * answers the learner.
 */
export function prepareStarts(deps: AttemptsDeps, examSlug: string): void {
  Promise.resolve(keptFor(deps, examSlug)).catch(() => undefined);
}

/**
 * A start from a kept pool: the new attempt's id, or null to start the long way. The learner is
 * a user id, or a session the insert proves itself (startAttemptInSession).
 */
async function startFromKept(
  deps: AttemptsDeps,
  input: Omit<StartAttemptOptions, "userId"> & { learner: { userId: string } | { session: Prisma.Sql } },
): Promise<string | null> {
  if ((input.mode ?? "timed") !== "timed") return null;
  const entry = await keptFor(deps, input.examSlug);
  if (!entry) return null;
  const { exam } = entry;
  const now = deps.clock.now();
  if ((exam.opensAt && exam.opensAt > now) || (exam.closesAt && exam.closesAt <= now)) return null;
  let stack: string | null = null;
  if (entry.stacks) {
    if (!input.stack || !entry.stacks.has(input.stack)) return null;
    stack = input.stack;
  }
  const selected = reserveOf(deps, entry, stack).take() ?? draw(deps, exam, poolOf(entry, stack));
  if (selected.length === 0) return null;
  const attempt = newAttempt(deps, exam, stack, "timed", selected);
  return retrying(() =>
    insertAttemptIfCurrent(deps.pool, {
      ...attempt,
      learner: input.learner,
      examUpdatedAt: exam.updatedAt,
      poolToken: entry.poolToken,
      maxAttempts: exam.maxAttempts,
    }),
  );
}

/**
 * The start of a request that has not loaded its session (the exam-day start, mounted before
 * the session middleware as the autosave is): only from a kept pool, with the session proved
 * inside the insert. null when there is no kept pool, the session proves nothing or any check
 * fails; nothing was written, and the caller takes the ordinary, fully checked path.
 */
export function startAttemptInSession(
  deps: AttemptsDeps,
  input: Omit<StartAttemptOptions, "userId"> & { session: Prisma.Sql },
): Promise<string | null> {
  return startFromKept(deps, { ...input, learner: { session: input.session } });
}
