// An item's place in its attempt's progress: all that a question page's jump list and counts
// need of the items it does not show (pure).

export type ItemState = { position: number; answered: boolean; flagged: boolean; checked: boolean };

/** The state of a whole item (the learner's answer, the practice check). */
export const itemState = (item: {
  position: number;
  response: unknown;
  flagged: boolean;
  checkedAt?: Date | null;
}): ItemState => ({
  position: item.position,
  answered: item.response !== null,
  flagged: item.flagged,
  checked: Boolean(item.checkedAt),
});
