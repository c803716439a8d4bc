// Use cases of a bank's owner (and admins): rename, archive, delete, share with classes and
// with other instructors; and an admin marking a bank public. Past attempts keep the question
// versions they showed whatever happens to the bank.
import type { Actor } from "../../../actor";
import type { Clock } from "../../../clock";
import type { Db } from "../../../db";
import { Invalid, NotFound } from "../../../errors";
import { activeAccountByEmail } from "../../accounts";
import { managedClassOf } from "../../classes";
import { bankRefFor, freeBankIds, retitleRootTopic } from "../access.repo";
import { lockBank } from "../banks.repo";
import { authorizeBank, canOnBank, type BankAction } from "../banks.policy";

export type AdministerDeps = { prisma: Db; clock: Clock };

/** A live bank by slug once the actor may do `action` on it (outsiders are told there is none). */
export async function bankFor(deps: AdministerDeps, input: { actor: Actor; slug: string }, action: BankAction) {
  const bank = await deps.prisma.bank.findUnique({ where: { slug: input.slug } });
  if (!bank || bank.deletedAt) throw new NotFound("There is no such bank.");
  authorizeBank(input.actor, action, await bankRefFor(deps.prisma, bank, input.actor.id));
  return bank;
}

export async function renameBank(
  deps: AdministerDeps,
  input: { actor: Actor; slug: string; title: string; description: string },
) {
  const bank = await bankFor(deps, input, "administer");
  await deps.prisma.$transaction(async (tx) => {
    await tx.bank.update({ where: { id: bank.id }, data: { title: input.title, description: input.description } });
    // Learners see the bank by its root topic (named after its slug): it takes the new title,
    // unless another bank has content under it too.
    await retitleRootTopic(tx, bank, input.title);
  });
}

/** Archived: out of every catalogue and exam pool, kept with its attempts; restorable. */
export async function setBankArchived(deps: AdministerDeps, input: { actor: Actor; slug: string; archived: boolean }) {
  const bank = await bankFor(deps, input, "administer");
  await deps.prisma.bank.update({
    where: { id: bank.id },
    data: { archivedAt: input.archived ? deps.clock.now() : null },
  });
}

/**
 * Deletes a bank once its owner typed its slug: it leaves every list, pool and share, its
 * questions are retired, and its slug is freed for a new bank. The rows stay, so every past
 * attempt still shows the versions it showed, and learners keep their history.
 */
export async function deleteBank(deps: AdministerDeps, input: { actor: Actor; slug: string; confirm: string }) {
  const bank = await bankFor(deps, input, "administer");
  if (input.confirm.trim() !== bank.slug)
    throw new Invalid("Type the bank's short name to confirm.", [
      { field: "confirm", message: `Type "${bank.slug}" exactly to delete this bank.` },
    ]);
  const now = deps.clock.now();
  const suffix = `~deleted-${now.getTime()}`;
  await deps.prisma.$transaction([
    // The bank first: its questions' changes bump its pool revision (lockQuestion says why).
    lockBank(deps.prisma, bank.id),
    deps.prisma.bankShare.deleteMany({ where: { bankId: bank.id } }),
    deps.prisma.bankCollaborator.deleteMany({ where: { bankId: bank.id } }),
    deps.prisma.question.updateMany({ where: { bankId: bank.id, retiredAt: null }, data: { retiredAt: now } }),
    deps.prisma.card.updateMany({ where: { bankId: bank.id, retiredAt: null }, data: { retiredAt: now } }),
    // Its ids are freed with its slug, so the same file can be uploaded again as a new bank.
    ...freeBankIds(deps.prisma, bank.id, suffix),
    deps.prisma.bank.update({
      where: { id: bank.id },
      data: { deletedAt: now, slug: `${bank.slug}${suffix}`, public: false },
    }),
  ]);
  return { title: bank.title };
}

/** Admins only: a public bank is in every learner's catalogue. */
export async function setBankPublic(deps: AdministerDeps, input: { actor: Actor; slug: string; public: boolean }) {
  const bank = await bankFor(deps, input, "publicise");
  await deps.prisma.bank.update({ where: { id: bank.id }, data: { public: input.public } });
}

/** Shares the bank with one of the actor's classes: its learners see it from their next page. */
export async function shareBankWithClass(
  deps: AdministerDeps,
  input: { actor: Actor; slug: string; classId: string; shared: boolean },
) {
  const bank = await bankFor(deps, input, "administer");
  const cls = await managedClassOf(deps.prisma, input.actor, input.classId);
  if (input.shared)
    await deps.prisma.bankShare.createMany({ data: [{ bankId: bank.id, classId: cls.id }], skipDuplicates: true });
  else await deps.prisma.bankShare.deleteMany({ where: { bankId: bank.id, classId: cls.id } });
  return { bank: bank.title, cls: cls.name };
}

/** Makes another instructor an editor or a viewer of the bank (or changes their role). */
export async function addCollaborator(
  deps: AdministerDeps,
  input: { actor: Actor; slug: string; email: string; role: "editor" | "viewer" },
) {
  const bank = await bankFor(deps, input, "administer");
  const user = await activeAccountByEmail(deps.prisma, input.email);
  if (!user || user.role === "learner")
    throw new Invalid("No instructor has that email.", [
      { field: "email", message: "Banks are shared with instructors: no instructor account has this email." },
    ]);
  if (user.id === bank.ownerId)
    throw new Invalid("That is the bank's owner.", [{ field: "email", message: "The owner already has every right." }]);
  await deps.prisma.bankCollaborator.upsert({
    where: { bankId_userId: { bankId: bank.id, userId: user.id } },
    create: { bankId: bank.id, userId: user.id, role: input.role },
    update: { role: input.role },
  });
  return { displayName: user.displayName };
}

export async function removeCollaborator(deps: AdministerDeps, input: { actor: Actor; slug: string; userId: string }) {
  const bank = await bankFor(deps, input, "administer");
  const removed = await deps.prisma.bankCollaborator.deleteMany({ where: { bankId: bank.id, userId: input.userId } });
  if (removed.count === 0) throw new NotFound("That instructor does not share this bank.");
}

/** Who shares the bank and which classes see it, for its settings. */
export async function bankSharing(deps: AdministerDeps, input: { actor: Actor; slug: string }) {
  const bank = await bankFor(deps, input, "read");
  const [collaborators, shares] = await Promise.all([
    deps.prisma.bankCollaborator.findMany({
      where: { bankId: bank.id },
      orderBy: { createdAt: "asc" },
      select: { role: true, user: { select: { id: true, displayName: true, email: true } } },
    }),
    deps.prisma.bankShare.findMany({ where: { bankId: bank.id }, select: { classId: true } }),
  ]);
  const ref = await bankRefFor(deps.prisma, bank, input.actor.id);
  return {
    bank,
    rights: {
      administer: canOnBank(input.actor, "administer", ref),
      manage: canOnBank(input.actor, "manage", ref),
      publicise: canOnBank(input.actor, "publicise", ref),
    },
    collaborators: collaborators.map((c) => ({ ...c.user, role: c.role })),
    sharedClassIds: shares.map((s) => s.classId),
  };
}

/** The banks the actor may share (their own; every uploaded bank for admins), each with whether the class sees it. */
export async function banksForClass(deps: AdministerDeps, input: { actor: Actor; classId: string }) {
  authorizeBank(input.actor, "list");
  const banks = await deps.prisma.bank.findMany({
    where: {
      deletedAt: null,
      ...(input.actor.role === "admin" ? { ownerId: { not: null } } : { ownerId: input.actor.id }),
    },
    orderBy: { title: "asc" },
    select: {
      slug: true,
      title: true,
      archivedAt: true,
      shares: { where: { classId: input.classId }, select: { classId: true } },
    },
  });
  return banks.map(({ shares, archivedAt, ...b }) => ({
    ...b,
    archived: archivedAt !== null,
    shared: shares.length > 0,
  }));
}
