// Publishing an upload exactly once, however many requests ask at the same time.
import type { Db } from "../../db";
import { Conflict, NotFound } from "../../errors";
import type { Actor } from "../../actor";

/** A claim older than this is a publish that died (the import's own limit is 10 minutes). */
const STALE_CLAIM_MS = 15 * 60_000;

type Claimed = { id: string; fileName: string; format: string; text: string };

/**
 * Claims a previewed upload for publishing. One UPDATE decides: of requests racing for the
 * same row, PostgreSQL lets one set the claim and re-checks the others' conditions against
 * it, so they claim nothing. Returns the upload, or null when another request has it.
 */
export async function claimUpload(
  prisma: Db,
  input: { actor: Actor; pendingId: string; now: Date },
): Promise<Claimed | null> {
  const stale = new Date(input.now.getTime() - STALE_CLAIM_MS);
  const [claimed] = await prisma.$queryRaw<Claimed[]>`
    UPDATE pending_imports SET "claimedAt" = ${input.now}
    WHERE id = ${input.pendingId}::uuid AND "userId" = ${input.actor.id}::uuid AND "publishedAt" IS NULL
      AND ("claimedAt" IS NULL OR "claimedAt" < ${stale})
    RETURNING id, "fileName", format, text`;
  return claimed ?? null;
}

/** The answer to a publish that did not get the claim. */
export async function repeatedPublish(
  prisma: Db,
  input: { actor: Actor; pendingId: string },
): Promise<{ kind: "already-published"; bankSlug: string }> {
  const pending = await prisma.pendingImport.findUnique({
    where: { id: input.pendingId },
    select: { userId: true, publishedAt: true, bankSlug: true },
  });
  if (!pending || pending.userId !== input.actor.id)
    throw new NotFound("That upload is not waiting to be published (it may have expired). Upload it again.");
  if (pending.publishedAt && pending.bankSlug) return { kind: "already-published", bankSlug: pending.bankSlug };
  throw new Conflict("This upload is being published right now. Open Teaching in a moment to see the bank.");
}
