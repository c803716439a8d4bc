// Use case: the card browser: the learner's cards, searched by topic and text, paginated.
import { browseCards as browse, BROWSE_PAGE_SIZE } from "../review.repo";
import type { ReviewDeps } from "./deps";

export type BrowseCardsOptions = { userId: string; topic?: string; text?: string; page: number };

export async function browseCards(deps: ReviewDeps, input: BrowseCardsOptions) {
  // Cards of banks out of the learner's reach (a class they left) are not listed.
  const bankIds = deps.bankReach ? await deps.bankReach(input.userId) : undefined;
  const { rows, total } = await browse(deps.prisma, { ...input, bankIds });
  return {
    cards: rows.map((r) => ({
      cardKey: r.cardKey,
      topicPath: r.topicPath,
      origin: r.origin,
      due: r.due.toISOString().slice(0, 10),
      suspended: r.suspended,
      front: r.front.length > 160 ? `${r.front.slice(0, 157)}…` : r.front,
    })),
    total,
    page: input.page,
    pages: Math.max(1, Math.ceil(total / BROWSE_PAGE_SIZE)),
  };
}
