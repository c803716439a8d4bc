import { z } from "zod";

export const cardKeyParam = z.object({ cardKey: z.string().regex(/^[dq]:[0-9a-f-]{36}$/, "no such card") });
export const gradeForm = z.object({
  rating: z.coerce
    .number()
    .int()
    .min(1)
    .max(4)
    .transform((n) => n as 1 | 2 | 3 | 4),
  version: z.string().regex(/^\d+-\d+$/),
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
export const retentionForm = z.object({ retention: z.coerce.number() });
