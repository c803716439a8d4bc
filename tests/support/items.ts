// An attempt's items with the question version each shows (and that version's question), as
// tests read them: the item refers to its version by id (no relation to include: see
// prisma/schema.prisma, AttemptItem.questionVersionId).
import type { Db, Prisma } from "../../src/db";

export async function itemsWithVersions(
  prisma: Db,
  args: { where: Prisma.AttemptItemWhereInput; orderBy?: Prisma.AttemptItemOrderByWithRelationInput },
) {
  const items = await prisma.attemptItem.findMany({ where: args.where, orderBy: args.orderBy ?? { position: "asc" } });
  const versions = await prisma.questionVersion.findMany({
    where: { id: { in: [...new Set(items.map((i) => i.questionVersionId))] } },
    include: { question: true },
  });
  const byId = new Map(versions.map((v) => [v.id, v]));
  return items.map((item) => ({ ...item, questionVersion: byId.get(item.questionVersionId)! }));
}
