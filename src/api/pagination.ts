// Cursor pagination: the database pages by keyset (src/db/keyset.ts); the cursor is the
// position after a page's last row, opaque to clients (base64url of its creation time and id).
import { z } from "zod";
import type { KeysetPage, KeysetPosition } from "../db";
import { Invalid } from "../errors";

const Position = z.strictObject({ t: z.iso.datetime(), id: z.uuid() });

const badCursor = () =>
  new Invalid("That cursor did not come from this list: start again without one.", [
    { field: "cursor", message: "not a cursor from this API" },
  ]);

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt.toISOString(), id: position.id })).toString("base64url");
}

function decodeCursor(cursor: string): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  const position = Position.safeParse(parsed);
  if (!position.success) throw badCursor();
  return { createdAt: new Date(position.data.t), id: position.data.id };
}

/** The page the query asks for. */
export const keysetPage = (query: { cursor?: string; limit: number }): KeysetPage =>
  query.cursor === undefined ? { limit: query.limit } : { after: decodeCursor(query.cursor), limit: query.limit };

/** A page's body: its items and the cursor of the next page (null on the last). */
export const pageOf = <T>(items: T[], next: KeysetPosition | null) => ({
  items,
  nextCursor: next ? encodeCursor(next) : null,
});
