// A review card's key, unique per learner: "q:" and a question's id for a card made from a
// question (missed or flagged in an attempt, an essay assessed short), "d:" and a deck card's
// id for a card of a bank's flashcard deck. Pure; the one place that writes or reads the form.

const QUESTION = "q:";
const DECK = "d:";

/** The key of a question's card. */
export const questionCardKey = (questionId: string): string => `${QUESTION}${questionId}`;

/** The key of a deck card's card. */
export const deckCardKey = (cardId: string): string => `${DECK}${cardId}`;

/** The deck card a key names, or null for a question's card. */
export const deckCardIdOf = (cardKey: string): string | null =>
  cardKey.startsWith(DECK) ? cardKey.slice(DECK.length) : null;

/** The prefixes, for statements that build keys in SQL (`prefix || id`). */
export const CARD_KEY_PREFIX = { question: QUESTION, deck: DECK } as const;

/** What a route accepts as a card key: either form, with a uuid. */
export const CARD_KEY_PATTERN = /^[dq]:[0-9a-f-]{36}$/;
