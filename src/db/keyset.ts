// Keyset pagination for lists ordered newest first: a page after a position is the rows with
// (createdAt, id) < that position, ORDER BY createdAt DESC, id DESC, LIMIT n + 1 (the extra
// row says whether there is a next page). Done by the database, so rows inserted while a
// client pages (newer, hence before its position) neither shift nor repeat later pages.

/** Where a page starts: after the row with this creation time and id. */
export type KeysetPosition = { createdAt: Date; id: string };
export type KeysetPage = { after?: KeysetPosition; limit: number };

/** Prisma's form of (createdAt, id) < (after.createdAt, after.id). */
export const keysetWhere = (after?: KeysetPosition) =>
  after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {};

export const KEYSET_ORDER = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** The rows of a page fetched with `take: limit + 1`, and the position after its last row (null: no more). */
export function keysetSlice<T extends KeysetPosition>(
  rows: T[],
  limit: number,
): { rows: T[]; next: KeysetPosition | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}
