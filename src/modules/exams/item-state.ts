// An item's place in its attempt's progress: all that a question page's jump list and counts
// need of the items it does not show (pure).

export type ItemState = { position: number; answered: boolean; flagged: boolean; checked: boolean };

/** The states of full items (the learner's answer, the practice check). */
export const itemStates = (
  items: readonly { position: number; response: unknown; flagged: boolean; checkedAt?: Date | null }[],
): ItemState[] =>
  items.map((i) => ({
    position: i.position,
    answered: i.response !== null,
    flagged: i.flagged,
    checked: Boolean(i.checkedAt),
  }));
