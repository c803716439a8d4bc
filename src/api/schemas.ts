// Shapes shared by every endpoint of /api/v1: problem details, pagination, and the building
// blocks of request schemas. Request objects are strict: an unknown field is a 400 naming it.
import { z } from "zod";

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().meta({ description: "Stable machine-readable code; branch on this, never on the wording." }),
    error: z.string().meta({ description: "The same as detail (kept for the page scripts)." }),
    errors: z.array(z.object({ field: z.string().optional(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });

export const PAGE_LIMIT_MAX = 100;

export const pageQuery = z.strictObject({
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "not a cursor from this API")
    .optional()
    .meta({ description: "The `nextCursor` of the previous page." }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT_MAX)
    .default(50)
    .meta({ description: `Items per page, 1 to ${PAGE_LIMIT_MAX}.` }),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last." }),
  });

export const isoDate = z.string().meta({ format: "date-time" });
