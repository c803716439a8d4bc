// Cursor pagination over a list in a stable order: the cursor names the last item of the page
// (by its unique key), so pages do not shift when items are added before it.
import { Invalid } from "../errors";

const encode = (key: string) => Buffer.from(key, "utf8").toString("base64url");
const decode = (cursor: string) => Buffer.from(cursor, "base64url").toString("utf8");

export type Page<T> = { items: T[]; nextCursor: string | null };

export function paginate<T>(all: T[], keyOf: (item: T) => string, input: { cursor?: string; limit: number }): Page<T> {
  let start = 0;
  if (input.cursor !== undefined) {
    const key = decode(input.cursor);
    const index = all.findIndex((item) => keyOf(item) === key);
    if (index < 0)
      throw new Invalid("That cursor does not point into this list (it may have changed).", [
        { field: "cursor", message: "unknown cursor" },
      ]);
    start = index + 1;
  }
  const items = all.slice(start, start + input.limit);
  const more = start + input.limit < all.length;
  return { items, nextCursor: more && items.length ? encode(keyOf(items[items.length - 1]!)) : null };
}
