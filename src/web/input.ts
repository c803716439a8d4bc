// Building blocks for input schemas, shared by every module's *.schemas.ts: the bounds the
// database can hold and the text it can store, so a malformed value is a 400, never a 5xx.
import { z } from "zod";

/** PostgreSQL `integer`: anything wider overflows the column and fails in the database. */
export const INT32_MAX = 2_147_483_647;

// A lone surrogate cannot be encoded as UTF-8 and a NUL cannot be stored in a text column.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  if (value.includes("\0")) return "must not contain a NUL character";
  if (LONE_SURROGATE.test(value)) return "must be valid Unicode (it holds an unpaired surrogate)";
  return undefined;
}

/** The first string inside a parsed body, query or params object that cannot be stored. */
export function findUnstorableText(
  value: unknown,
  path: string[] = [],
): { field: string; message: string } | undefined {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem ? { field: path.join(".") || "input", message: `This value ${problem}.` } : undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { field: [...path, "(name)"].join("."), message: `A field name ${keyProblem}.` };
      const found = findUnstorableText(inner, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** A count or position that a PostgreSQL integer column holds. */
export const int32 = (min = 1, max = INT32_MAX) => z.number().int().min(min).max(max);
/** The same from a form field (a string of digits). */
export const formInt = (min = 1, max = INT32_MAX) => z.coerce.number().int().min(min).max(max);

/** Storable text: no NUL, no unpaired surrogate. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => textProblem(v) === undefined, { message: "Use only printable, valid Unicode text." });

export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, "use lower-case letters, digits and dashes");
export const uuid = z.uuid("not a valid id");
