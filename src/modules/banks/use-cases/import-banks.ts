// Importing banks: validate everything first, then write every bank in one transaction.
// Any error means nothing is written; re-importing the same files changes nothing.
import type { Actor as AnyActor, Operator } from "../../../actor";
import type { Clock } from "../../../clock";
import type { Db } from "../../../db";
import { canOnBank } from "../banks.policy";
import type { Format } from "../formats";
import { idsOwnedElsewhere, loadStoredBank, writeBank } from "../import.repo";
import { planBank, type BankPlan } from "../import.plan";
import type { ImportSource, ParsedSource, SourceParser } from "../import.parse";
import { formatIssue, type ParseIssue } from "../model";
import { rendererFor } from "../render.pool";

export type Actor = AnyActor | Operator;

export type ImportDeps = {
  prisma: Db;
  clock: Clock;
  maxBytes: number;
  /** When rendering moves to worker threads (render.pool.ts); the defaults suit the app and the CLI. */
  renderPool?: { minQuestions?: number; size?: number };
  /** Where files are parsed (the web process uses a worker, parse.isolated.ts). */
  parse: SourceParser;
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
};

export type ImportReport = {
  ok: boolean;
  dryRun: boolean;
  banks: BankSummary[];
  topics: number;
  questions: number;
  cards: number;
  created: number;
  updated: number;
  retired: number;
  errors: string[];
  warnings: string[];
};

export type ImportBanksOptions = {
  sources: ImportSource[];
  format?: Format | "auto";
  dryRun?: boolean;
  actor: Actor;
  /**
   * Cancels the import (a shutdown): it throws the signal's reason and nothing is written,
   * as the banks are written in one transaction that then rolls back.
   */
  signal?: AbortSignal;
};

function summarise(parsed: ParsedSource, plan: BankPlan, newBank: boolean): BankSummary {
  return {
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
async function databaseChecks(prisma: Db, parsed: ParsedSource[], actor: Actor, errors: ParseIssue[]) {
  for (const { source, bank } of parsed) {
    const elsewhere = await idsOwnedElsewhere(
      prisma,
      bank.slug,
      bank.questions.map((q) => q.externalId),
      bank.cards.map((c) => c.externalId),
    );
    for (const item of [...bank.questions, ...bank.cards]) {
      const owner = elsewhere.get(item.externalId);
      if (owner)
        errors.push({
          ...item.position,
          message: `id "${item.externalId}" already belongs to bank "${owner}"; ids are unique across banks`,
        });
    }
    const stored = await prisma.bank.findUnique({ where: { slug: bank.slug }, select: { ownerId: true } });
    if (stored && !canOnBank(actor, "manage", stored))
      errors.push({
        file: source.name,
        line: 1,
        column: 1,
        message: `bank "${bank.slug}" belongs to someone else; choose another slug`,
      });
  }
}

export async function importBanks(deps: ImportDeps, options: ImportBanksOptions): Promise<ImportReport> {
  const { prisma, clock, maxBytes } = deps;
  const signal = options.signal;
  const errors: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  if (!canOnBank(options.actor, "upload")) {
    errors.push({ file: "(upload)", line: 1, column: 1, message: "learners cannot import banks" });
  }
  let parsed: ParsedSource[] = [];
  if (errors.length === 0) {
    const outcome = await deps.parse({ sources: options.sources, format: options.format ?? "auto", maxBytes });
    ({ parsed } = outcome);
    errors.push(...outcome.errors);
    warnings.push(...outcome.warnings);
  }
  if (errors.length === 0) await databaseChecks(prisma, parsed, options.actor, errors);
  const report: ImportReport = {
    ok: errors.length === 0,
    dryRun: options.dryRun ?? false,
    banks: [],
    topics: new Set(parsed.flatMap((p) => p.bank.topics.map((t) => t.path))).size,
    questions: parsed.reduce((n, p) => n + p.bank.questions.length, 0),
    cards: parsed.reduce((n, p) => n + p.bank.cards.length, 0),
    created: 0,
    updated: 0,
    retired: 0,
    errors: errors.map(formatIssue),
    warnings: warnings.map(formatIssue),
  };
  if (!report.ok) return report;
  if (options.dryRun) {
    for (const p of parsed) {
      const state = await loadStoredBank(prisma, p.bank.slug);
      report.banks.push(summarise(p, planBank(p.bank, state.questions, state.cards), !state.bank));
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
            const plan = await writeBank(tx, { bank: p.bank, format: p.format, ownerId, now, renderer });
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
