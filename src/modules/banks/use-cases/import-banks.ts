// Importing banks: validate everything first, then write every bank in one transaction.
// Strict (the shipped banks, `npm run import -- --strict`): any error means nothing is written.
// Otherwise a question with errors is left out, listed with its reasons (file:line:column),
// and the rest is written; an error that is not a question's (a file that cannot be read, a
// bank owned by someone else) still writes nothing. Re-importing the same files changes nothing.
import type { Actor as AnyActor, Operator } from "../../../actor";
import type { Clock } from "../../../clock";
import type { Db } from "../../../db";
import { canOnBank } from "../banks.policy";
import { bankRefFor } from "../access.repo";
import type { Format } from "../formats";
import { idsOwnedElsewhere, loadStoredBank, writeBank } from "../import.repo";
import { planBank, type BankPlan } from "../import.plan";
import type { ImportSource, ParsedSource, SourceParser } from "../import.parse";
import { formatIssue, type ParseIssue, type ParsedQuestion, type RejectedQuestion } from "../model";
import { labelOf } from "../formats/scan";
import { rendererFor } from "../render.pool";
import { prepareSqlQuestions, type PrepareSql } from "../import.sql";

export type Actor = AnyActor | Operator;

export type ImportDeps = {
  prisma: Db;
  clock: Clock;
  maxBytes: number;
  /** When rendering moves to worker threads (render.pool.ts); the defaults suit the app and the CLI. */
  renderPool?: { minQuestions?: number; size?: number };
  /** Where files are parsed (the web process uses a worker, parse.isolated.ts). */
  parse: SourceParser;
  /** Runs SQL exercises' setup and reference (the SQL sandbox); without it they are refused. */
  prepareSql?: PrepareSql;
};

export type BankSummary = {
  slug: string;
  title: string;
  format: Format;
  newBank: boolean;
  questions: number;
  cards: number;
  created: number;
  updated: number;
  retired: number;
  restored: number;
  unchanged: number;
  plan: BankPlan;
  /** Dry runs: every question that would import, in file order, with what the import would do to it. */
  entries?: ImportEntry[];
};

export type ImportEntry = {
  id: string;
  /** file:line:column */
  at: string;
  label: string;
  status: "new" | "changed" | "moved" | "restored" | "unchanged";
  /** With `keepQuestions`: the question as parsed, for a preview to render. */
  question?: ParsedQuestion;
};

/** A question of the files that will not be imported, and why (each reason file:line:column: message). */
export type SkippedQuestion = { at: string; id?: string; label: string; reasons: string[] };

export type ImportReport = {
  ok: boolean;
  dryRun: boolean;
  strict: boolean;
  banks: BankSummary[];
  topics: number;
  questions: number;
  cards: number;
  created: number;
  updated: number;
  retired: number;
  errors: string[];
  warnings: string[];
  /** Lenient imports: the questions left out (those of the files in `errors` are not listed). */
  skipped: SkippedQuestion[];
};

export type ImportBanksOptions = {
  sources: ImportSource[];
  format?: Format | "auto";
  dryRun?: boolean;
  /** All or nothing (default true): any error, a question's included, writes nothing. */
  strict?: boolean;
  actor: Actor;
  /**
   * Cancels the import (a shutdown): it throws the signal's reason and nothing is written,
   * as the banks are written in one transaction that then rolls back.
   */
  signal?: AbortSignal;
  /** Dry runs: each entry keeps its parsed question (the upload preview renders them). */
  keepQuestions?: boolean;
};

function entriesOf(parsed: ParsedSource, plan: BankPlan, keepQuestions: boolean): ImportEntry[] {
  const status = new Map<string, ImportEntry["status"]>();
  for (const id of plan.createdQuestions) status.set(id, "new");
  for (const id of plan.movedQuestions) status.set(id, "moved");
  for (const id of plan.changedQuestions) status.set(id, "changed");
  for (const id of plan.restoredQuestions) status.set(id, "restored");
  return parsed.bank.questions.map((q) => ({
    id: q.externalId,
    at: formatIssue({ ...q.position, message: "" }).replace(/: $/, ""),
    label: labelOf(q.stem, q.title),
    status: status.get(q.externalId) ?? "unchanged",
    ...(keepQuestions ? { question: q } : {}),
  }));
}

function summarise(
  parsed: ParsedSource,
  plan: BankPlan,
  newBank: boolean,
  entries?: { keepQuestions: boolean },
): BankSummary {
  return {
    ...(entries ? { entries: entriesOf(parsed, plan, entries.keepQuestions) } : {}),
    slug: parsed.bank.slug,
    title: parsed.bank.title,
    format: parsed.format,
    newBank,
    questions: parsed.bank.questions.length,
    cards: parsed.bank.cards.length,
    created: plan.createdQuestions.length + plan.createdCards.length,
    updated: plan.changedQuestions.length + plan.movedQuestions.length + plan.changedCards.length,
    retired: plan.retiredQuestions.length + plan.retiredCards.length,
    restored: plan.restoredQuestions.length,
    unchanged: plan.unchangedQuestions + plan.unchangedCards,
    plan,
  };
}

/** What only the database can tell: ids another bank holds, and a slug someone else owns. */
async function databaseChecks(prisma: Db, parsed: ParsedSource[], actor: Actor, errors: ParseIssue[], strict: boolean) {
  for (const { source, bank, rejected } of parsed) {
    const elsewhere = await idsOwnedElsewhere(
      prisma,
      bank.slug,
      bank.questions.map((q) => q.externalId),
      bank.cards.map((c) => c.externalId),
    );
    const owned = (id: string) => {
      const owner = elsewhere.get(id);
      return owner && `id "${id}" already belongs to bank "${owner}"; ids are unique across banks`;
    };
    if (elsewhere.size > 0 && !strict)
      bank.questions = bank.questions.filter((q) => {
        const message = owned(q.externalId);
        if (!message) return true;
        const reason = { ...q.position, message };
        rejected.push({ position: q.position, label: labelOf(q.stem, q.title), errors: [reason] });
        return false;
      });
    for (const item of [...bank.questions, ...bank.cards]) {
      const message = owned(item.externalId);
      if (message) errors.push({ ...item.position, message });
    }
    if (rejected.length > 0 && bank.questions.length === 0 && bank.cards.length === 0)
      errors.push({
        file: source.name,
        line: 1,
        column: 1,
        message: `none of the ${rejected.length} question(s) in the file can be imported`,
      });
    const stored = await prisma.bank.findUnique({
      where: { slug: bank.slug },
      select: { id: true, ownerId: true, public: true },
    });
    // The owner and the bank's editors may upload a new version of it.
    const ref = stored && (actor === "operator" ? stored : await bankRefFor(prisma, stored, actor.id));
    if (ref && !canOnBank(actor, "manage", ref))
      errors.push({
        file: source.name,
        line: 1,
        column: 1,
        message: `bank "${bank.slug}" belongs to someone else; choose another slug`,
      });
  }
}

const skippedOf = (question: RejectedQuestion): SkippedQuestion => ({
  at: formatIssue({ ...question.position, message: "" }).replace(/: $/, ""),
  ...(question.externalId ? { id: question.externalId } : {}),
  label: question.label,
  reasons: question.errors.map(formatIssue),
});

/** Refused questions with an id: what is stored under it stays as it is. */
const keptIds = (parsed: ParsedSource) =>
  new Set(parsed.rejected.flatMap((question) => (question.externalId ? [question.externalId] : [])));

export function importBanks(deps: ImportDeps, request: ImportBanksOptions): Promise<ImportReport> {
  // The files are let go once parsed and their SQL exercises prepared (a large import's bytes
  // would otherwise stay in memory through the writes): only `files` holds them, and drops them.
  const { sources, ...options } = request;
  return runImport(deps, options, { sources });
}

async function runImport(
  deps: ImportDeps,
  options: Omit<ImportBanksOptions, "sources">,
  files: { sources?: ImportSource[] },
): Promise<ImportReport> {
  const { prisma, clock, maxBytes } = deps;
  const signal = options.signal;
  const errors: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  if (!canOnBank(options.actor, "upload")) {
    errors.push({ file: "(upload)", line: 1, column: 1, message: "learners cannot import banks" });
  }
  let parsed: ParsedSource[] = [];
  const strict = options.strict ?? true;
  if (errors.length === 0) {
    const format = options.format ?? "auto";
    const outcome = await deps.parse({ sources: files.sources ?? [], format, maxBytes, strict });
    ({ parsed } = outcome);
    errors.push(...outcome.errors);
    warnings.push(...outcome.warnings);
  }
  if (errors.length === 0) await databaseChecks(prisma, parsed, options.actor, errors, strict);
  if (errors.length === 0) errors.push(...(await prepareSqlQuestions(parsed, files.sources ?? [], deps.prepareSql)));
  delete files.sources;
  const report: ImportReport = {
    ok: errors.length === 0,
    dryRun: options.dryRun ?? false,
    strict,
    banks: [],
    topics: new Set(parsed.flatMap((p) => p.bank.topics.map((t) => t.path))).size,
    questions: parsed.reduce((n, p) => n + p.bank.questions.length, 0),
    cards: parsed.reduce((n, p) => n + p.bank.cards.length, 0),
    created: 0,
    updated: 0,
    retired: 0,
    errors: errors.map(formatIssue),
    warnings: warnings.map(formatIssue),
    skipped: errors.length === 0 ? parsed.flatMap((p) => p.rejected.map(skippedOf)) : [],
  };
  if (!report.ok) return report;
  if (options.dryRun) {
    for (const p of parsed) {
      const state = await loadStoredBank(prisma, p.bank.slug);
      const plan = planBank(p.bank, state.questions, state.cards, keptIds(p));
      report.banks.push(summarise(p, plan, !state.bank, { keepQuestions: options.keepQuestions ?? false }));
    }
  } else {
    const ownerId = options.actor === "operator" ? null : options.actor.id;
    const now = clock.now();
    signal?.throwIfAborted();
    const renderer = rendererFor(report.questions, deps.renderPool);
    try {
      const written = await prisma.$transaction(
        async (tx) => {
          const out: BankSummary[] = [];
          for (const p of parsed) {
            signal?.throwIfAborted();
            const existed = await tx.bank.count({ where: { slug: p.bank.slug } });
            const keep = keptIds(p);
            const plan = await writeBank(tx, { bank: p.bank, format: p.format, ownerId, now, renderer, keep });
            out.push(summarise(p, plan, existed === 0));
          }
          signal?.throwIfAborted(); // the last moment at which nothing is committed yet
          return out;
        },
        { timeout: 10 * 60_000, maxWait: 30_000 },
      );
      report.banks.push(...written);
    } finally {
      await renderer.close();
    }
  }
  for (const b of report.banks) {
    report.created += b.created;
    report.updated += b.updated;
    report.retired += b.retired;
  }
  return report;
}
