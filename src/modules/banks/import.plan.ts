// What an import would change in one bank (pure): compares parsed content with what is stored.
import type { ParsedBank } from "./model";
import { cardContentHash, questionContentHash } from "./normalise";

export type StoredQuestion = {
  id: string;
  externalId: string;
  topicPath: string;
  retired: boolean;
  contentHash: string | null;
  versionNumber: number;
};
export type StoredCard = { id: string; externalId: string; topicPath: string; retired: boolean; contentHash: string };

export type BankPlan = {
  slug: string;
  createdQuestions: string[];
  changedQuestions: string[]; // content changed: a new version
  movedQuestions: string[]; // only the topic changed: no new version
  restoredQuestions: string[];
  retiredQuestions: string[];
  unchangedQuestions: number;
  createdCards: string[];
  changedCards: string[];
  retiredCards: string[];
  unchangedCards: number;
};

/**
 * `keep`: ids of questions the file holds but that could not be imported this time; their
 * stored versions stay as they are rather than being retired.
 */
export function planBank(
  bank: ParsedBank,
  storedQuestions: StoredQuestion[],
  storedCards: StoredCard[],
  keep: ReadonlySet<string> = new Set(),
): BankPlan {
  const plan: BankPlan = {
    slug: bank.slug,
    createdQuestions: [],
    changedQuestions: [],
    movedQuestions: [],
    restoredQuestions: [],
    retiredQuestions: [],
    unchangedQuestions: 0,
    createdCards: [],
    changedCards: [],
    retiredCards: [],
    unchangedCards: 0,
  };
  const questions = new Map(storedQuestions.map((q) => [q.externalId, q]));
  const inFile = new Set<string>();
  for (const q of bank.questions) {
    inFile.add(q.externalId);
    const stored = questions.get(q.externalId);
    if (!stored) {
      plan.createdQuestions.push(q.externalId);
      continue;
    }
    const changed = stored.contentHash !== questionContentHash(q);
    const moved = !changed && stored.topicPath !== q.topic;
    if (stored.retired) plan.restoredQuestions.push(q.externalId);
    if (changed) plan.changedQuestions.push(q.externalId);
    if (moved) plan.movedQuestions.push(q.externalId);
    if (!stored.retired && !changed && !moved) plan.unchangedQuestions += 1;
  }
  for (const stored of storedQuestions)
    if (!inFile.has(stored.externalId) && !stored.retired && !keep.has(stored.externalId))
      plan.retiredQuestions.push(stored.externalId);

  const cards = new Map(storedCards.map((c) => [c.externalId, c]));
  const cardsInFile = new Set<string>();
  for (const c of bank.cards) {
    cardsInFile.add(c.externalId);
    const stored = cards.get(c.externalId);
    if (!stored) plan.createdCards.push(c.externalId);
    else if (stored.retired || stored.contentHash !== cardContentHash(c) || stored.topicPath !== c.topic)
      plan.changedCards.push(c.externalId);
    else plan.unchangedCards += 1;
  }
  for (const stored of storedCards)
    if (!cardsInFile.has(stored.externalId) && !stored.retired) plan.retiredCards.push(stored.externalId);
  return plan;
}

export const planChanges = (p: BankPlan) =>
  p.createdQuestions.length +
  p.changedQuestions.length +
  p.movedQuestions.length +
  p.restoredQuestions.length +
  p.retiredQuestions.length +
  p.createdCards.length +
  p.changedCards.length +
  p.retiredCards.length;
