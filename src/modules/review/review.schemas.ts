import { z } from "zod";
import { RETENTION_MAX, RETENTION_MIN } from "./scheduler";
import { CARD_KEY_PATTERN } from "./card-key";

export const cardKeyParam = z.object({ cardKey: z.string().regex(CARD_KEY_PATTERN, "no such card") });
/** Where to come back to in the session after acting on a card. */
export const sessionForm = z.object({
  topic: z
    .string()
    .regex(/^[a-z0-9-]*$/)
    .optional(),
  mode: z.enum(["weak", ""]).optional(),
});
export const suspendForm = sessionForm.extend({
  suspended: z.enum(["true", "false"], { error: "Choose to suspend or unsuspend." }).default("true"),
});
export const gradeForm = z.object({
  rating: z.coerce
    .number()
    .int()
    .min(1)
    .max(4)
    .transform((n) => n as 1 | 2 | 3 | 4),
  version: z.string().regex(/^\d{1,15}-\d{1,15}$/),
  topic: z
    .string()
    .regex(/^[a-z0-9-]*$/)
    .optional(),
  mode: z.enum(["weak", ""]).optional(),
});
export const sessionQuery = z.object({
  topic: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional()
    .catch(undefined),
  mode: z.enum(["weak"]).optional().catch(undefined),
});
export const limitsForm = z.object({
  newCards: z.coerce
    .number({ error: "Give the new cards per day as a number." })
    .int("Use a whole number of new cards.")
    .min(0, "New cards per day cannot be negative.")
    .max(500, "At most 500 new cards per day."),
  reviews: z.coerce
    .number({ error: "Give the reviews per day as a number." })
    .int("Use a whole number of reviews.")
    .min(0, "Reviews per day cannot be negative.")
    .max(9999, "At most 9999 reviews per day."),
});
export const browseQuery = z.object({
  topic: z
    .string()
    .regex(/^[a-z0-9-]*$/)
    .optional()
    .catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export const retentionForm = z.object({
  retention: z.coerce
    .number({ error: "Give the retention as a number, e.g. 0.9." })
    .min(RETENTION_MIN, `Choose a retention of at least ${RETENTION_MIN}.`)
    .max(RETENTION_MAX, `Choose a retention of at most ${RETENTION_MAX}.`),
});
