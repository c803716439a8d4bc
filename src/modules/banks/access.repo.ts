// Which banks reach whom: the one place the catalogue's visibility is written in SQL.
//   public:  the shipped banks (no owner) and those an admin marked public;
//   visible to a person: the public ones, their own, those shared with them as an instructor,
//            and those shared with a class they are in; never an archived or deleted bank;
//   usable for an instructor's exam: the public ones, their own and those shared with them.
import type { Actor } from "../../actor";
import { Prisma, type Db } from "../../db";

type Client = Db | Prisma.TransactionClient;

const LIVE = Prisma.sql`b."deletedAt" IS NULL AND b."archivedAt" IS NULL`;
const PUBLIC = Prisma.sql`(b."ownerId" IS NULL OR b.public)`;

async function ids(client: Client, where: Prisma.Sql): Promise<string[]> {
  const rows = await client.$queryRaw<
    { id: string }[]
  >`SELECT b.id::text AS id FROM banks b WHERE ${LIVE} AND ${where}`;
  return rows.map((r) => r.id);
}

const sharedWith = (userId: string) =>
  Prisma.sql`b."ownerId" = ${userId}::uuid OR EXISTS (SELECT 1 FROM bank_collaborators c WHERE c."bankId" = b.id AND c."userId" = ${userId}::uuid)`;

/** The public banks: what the shipped and public exams draw from. */
export const publicBankIds = (client: Client) => ids(client, PUBLIC);

/**
 * The public banks' pool revision: each one's id and revision, in id order (a trigger bumps a
 * bank's revision with every change to its questions). Equal tokens mean the same banks with
 * the same questions, current versions, topics and retirements. A subquery, so a statement
 * that relies on a pool read earlier can check inside itself that it is still current.
 */
export const PUBLIC_POOL_TOKEN = Prisma.sql`(SELECT coalesce(string_agg(b.id::text || ':' || b."poolRevision", ',' ORDER BY b.id), '')
  FROM banks b WHERE ${LIVE} AND ${PUBLIC})`;

/** The public banks' ids with their pool token (PUBLIC_POOL_TOKEN), in one read. */
export async function publicBanks(client: Client): Promise<{ ids: string[]; token: string }> {
  const [row] = await client.$queryRaw<{ ids: string[] | null; token: string }[]>`
    SELECT array_agg(b.id::text ORDER BY b.id) AS ids, ${PUBLIC_POOL_TOKEN} AS token
    FROM banks b WHERE ${LIVE} AND ${PUBLIC}`;
  return { ids: row?.ids ?? [], token: row?.token ?? "" };
}

/**
 * What a person sees in their catalogue, given the classes they are in (admins too: they
 * manage every bank in /teach, but their catalogue is a learner's).
 */
export function visibleBankIds(client: Client, userId: string, classIds: string[]): Promise<string[]> {
  const shared = classIds.length
    ? Prisma.sql`EXISTS (SELECT 1 FROM bank_shares s WHERE s."bankId" = b.id AND s."classId" = ANY(${classIds}::uuid[]))`
    : Prisma.sql`FALSE`;
  return ids(client, Prisma.sql`(${PUBLIC} OR ${sharedWith(userId)} OR ${shared})`);
}

/** What an instructor's exam may draw from (its owner's reach, without their classes). */
export function usableBankIds(client: Client, actor: Actor): Promise<string[]> {
  if (actor.role === "admin") return ids(client, Prisma.sql`TRUE`);
  return ids(client, Prisma.sql`(${PUBLIC} OR ${sharedWith(actor.id)})`);
}

/** The actor's collaborator role on a bank, if any. */
export async function collaboratorRole(client: Client, bankId: string, userId: string) {
  const row = await client.bankCollaborator.findUnique({
    where: { bankId_userId: { bankId, userId } },
    select: { role: true },
  });
  return row?.role ?? null;
}

/** A bank as the policy sees it for this actor (owner, public flag, their collaborator role). */
export async function bankRefFor(
  client: Client,
  bank: { id: string; ownerId: string | null; public: boolean },
  userId: string,
) {
  return { ownerId: bank.ownerId, public: bank.public, role: await collaboratorRole(client, bank.id, userId) };
}

/** Gives a bank's root topic (its slug) the bank's title, when no other bank has content under it. */
export async function retitleRootTopic(client: Client, bank: { id: string; slug: string }, title: string) {
  await client.$executeRaw`
    UPDATE topics r SET title = ${title}
    WHERE r.path = ${bank.slug} AND NOT EXISTS (
      SELECT 1 FROM topics t JOIN questions q ON q."topicId" = t.id
      WHERE (t.path = r.path OR t.path LIKE r.path || '/%') AND q."bankId" <> ${bank.id}::uuid
    ) AND NOT EXISTS (
      SELECT 1 FROM topics t JOIN cards c ON c."topicId" = t.id
      WHERE (t.path = r.path OR t.path LIKE r.path || '/%') AND c."bankId" <> ${bank.id}::uuid
    )`;
}

/** The statements that free a deleted bank's question and card ids (suffixed), for its transaction. */
export function freeBankIds(client: Db, bankId: string, suffix: string) {
  return [
    client.$executeRaw`UPDATE questions SET "externalId" = "externalId" || ${suffix} WHERE "bankId" = ${bankId}::uuid`,
    client.$executeRaw`UPDATE cards SET "externalId" = "externalId" || ${suffix} WHERE "bankId" = ${bankId}::uuid`,
  ];
}

/** The top-level topics of the live banks shared with a class (its gradebook's topics). */
export async function classBankTopics(client: Client, classId: string): Promise<string[]> {
  const rows = await client.$queryRaw<{ topic: string }[]>`
    SELECT DISTINCT split_part(t.path, '/', 1) AS topic
    FROM bank_shares s JOIN banks b ON b.id = s."bankId"
    JOIN questions q ON q."bankId" = b.id JOIN topics t ON t.id = q."topicId"
    WHERE s."classId" = ${classId}::uuid AND ${LIVE}
    ORDER BY 1`;
  return rows.map((r) => r.topic);
}
