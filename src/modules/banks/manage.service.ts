// Maintaining banks from the browser: lists, a bank's questions, editing one question
// (a new immutable version), retiring and restoring. Callers check ownership (teach).
import type { Clock } from "../../clock";
import { lockBankOf, lockQuestion } from "./banks.repo";
import { keysetSlice, keysetWhere, KEYSET_ORDER, type Db, type KeysetPage } from "../../db";
import { NotFound } from "../../errors";
import { questionYaml } from "./export";
import { parsedFromVersion } from "./export.service";
import { parseQuestionFragment } from "./formats/native-yaml";
import { formatIssue } from "./model";
import { choiceCount, newChoiceIds } from "./choice-ids";
import { questionContentHash, versionContent } from "./normalise";
import { bankWithQuestions, questionWithCurrent } from "./banks.repo";

const SQL_EDIT =
  "question:1:1: SQL exercises are changed by uploading their bank file again (their setup and reference must run)";

const NO_ONE = "00000000-0000-0000-0000-000000000000";

/** What a bank list row reads: owner, the user's collaborator role, live counts. */
const listed = (userId: string | undefined) =>
  ({
    owner: { select: { displayName: true } },
    collaborators: { where: { userId: userId ?? NO_ONE }, select: { role: true } },
    _count: { select: { questions: { where: { retiredAt: null } }, cards: { where: { retiredAt: null } } } },
  }) as const;

/** Live banks a user owns or shares (every live bank: `userId` undefined, for admins). */
const listedWhere = (userId: string | undefined) => ({
  deletedAt: null,
  ...(userId ? { OR: [{ ownerId: userId }, { collaborators: { some: { userId } } }] } : {}),
});

function listedBank(b: {
  id: string;
  slug: string;
  title: string;
  ownerId: string | null;
  public: boolean;
  archivedAt: Date | null;
  updatedAt: Date;
  owner: { displayName: string } | null;
  collaborators: { role: "editor" | "viewer" }[];
  _count: { questions: number; cards: number };
}) {
  return {
    id: b.id,
    slug: b.slug,
    title: b.title,
    ownerId: b.ownerId,
    owner: b.owner?.displayName ?? "shipped",
    role: b.collaborators[0]?.role ?? null,
    archived: b.archivedAt !== null,
    public: b.ownerId === null || b.public,
    questions: b._count.questions,
    cards: b._count.cards,
    updatedAt: b.updatedAt,
  };
}

export function manageService(deps: { prisma: Db; clock: Clock }) {
  const { prisma, clock } = deps;

  async function question(questionId: string) {
    const q = await questionWithCurrent(prisma, questionId);
    if (!q) throw new NotFound("There is no such question.");
    return q;
  }

  return {
    /**
     * Live banks with their active question and card counts: a user's own and those shared
     * with them (with their role), or every one (`userId: undefined`, for admins).
     */
    async listBanks(input: { userId?: string | undefined }) {
      const banks = await prisma.bank.findMany({
        where: listedWhere(input.userId),
        orderBy: { title: "asc" },
        include: listed(input.userId),
      });
      return banks.map(listedBank);
    },

    /** One page of the same list, newest first, by keyset (the API's cursor pages). */
    async pageBanks(input: { userId?: string | undefined; page: KeysetPage }) {
      const found = await prisma.bank.findMany({
        where: { ...listedWhere(input.userId), ...keysetWhere(input.page.after) },
        orderBy: KEYSET_ORDER,
        take: input.page.limit + 1,
        include: listed(input.userId),
      });
      const { rows, next } = keysetSlice(found, input.page.limit);
      return { items: rows.map(listedBank), next };
    },

    /** The questions the given versions belong to, with their bank, topic and current stem (exam statistics). */
    async questionsOfVersions(input: { versionIds: string[] }) {
      const versions = await prisma.questionVersion.findMany({
        where: { id: { in: input.versionIds } },
        select: {
          id: true,
          question: {
            select: {
              id: true,
              externalId: true,
              bank: { select: { slug: true } },
              topic: { select: { path: true } },
              currentVersion: { select: { number: true, stemHtml: true } },
            },
          },
        },
      });
      return new Map(versions.map((v) => [v.id, v.question]));
    },

    /** Every version of every question of a bank (statistics span versions). */
    versionsOfBank(input: { bankId: string }) {
      return prisma.questionVersion.findMany({
        where: { question: { bankId: input.bankId } },
        select: { id: true, questionId: true },
      });
    },

    async bank(input: { slug: string }) {
      const bank = await bankWithQuestions(prisma, input.slug);
      if (!bank || bank.deletedAt) throw new NotFound("There is no such bank.");
      return bank;
    },

    question,

    async editorText(input: { questionId: string }): Promise<string> {
      const q = await question(input.questionId);
      return questionYaml(parsedFromVersion(q.externalId, q.topic.path, q.currentVersion));
    },

    /** Renders an edited question without saving; errors carry the editor's line numbers. */
    preview(input: { text: string }) {
      const parsed = parseQuestionFragment(input.text, { file: "question" });
      if (!parsed.ok) return { ok: false as const, errors: parsed.errors.map(formatIssue) };
      if (parsed.question.type === "sql") return { ok: false as const, errors: [SQL_EDIT] };
      const ids = newChoiceIds(choiceCount(parsed.question));
      return { ok: true as const, content: versionContent(parsed.question, ids) };
    },

    /** Saves an edit as a new version (none when nothing changed). The id and bank stay. */
    async saveEdit(input: {
      questionId: string;
      text: string;
    }): Promise<{ ok: true; changed: boolean; version: number } | { ok: false; errors: string[] }> {
      const q = await question(input.questionId);
      const parsed = parseQuestionFragment(input.text, { file: "question" });
      if (!parsed.ok) return { ok: false, errors: parsed.errors.map(formatIssue) };
      const edited = parsed.question;
      if (edited.type === "sql") return { ok: false, errors: [SQL_EDIT] };
      const errors: string[] = [];
      if (edited.externalId !== q.externalId) errors.push(`question:1:1: the id must stay "${q.externalId}"`);
      const root = q.bank.slug;
      const topic = await prisma.topic.findUnique({ where: { path: edited.topic } });
      if (!topic || (edited.topic !== root && !edited.topic.startsWith(`${root}/`)))
        errors.push(`question:1:1: topic "${edited.topic}" is not a topic of the bank "${root}"`);
      if (errors.length || !topic) return { ok: false, errors };
      if (questionContentHash(edited) === q.currentVersion.contentHash && topic.id === q.topicId)
        return { ok: true, changed: false, version: q.currentVersion.number };
      // A new version gets new ids: its options may have changed order or meaning.
      const content = versionContent(edited, newChoiceIds(choiceCount(edited)));
      const number = await prisma.$transaction(async (tx) => {
        // Lock the question so two editors cannot both write version n+1.
        await lockQuestion(tx, q.id);
        const latest = await tx.questionVersion.aggregate({ where: { questionId: q.id }, _max: { number: true } });
        const next = (latest._max.number ?? 0) + 1;
        const contentChanged = questionContentHash(edited) !== q.currentVersion.contentHash;
        const version = contentChanged
          ? await tx.questionVersion.create({ data: { questionId: q.id, number: next, ...content } })
          : null;
        await tx.question.update({
          where: { id: q.id },
          data: { topicId: topic.id, ...(version ? { currentVersionId: version.id } : {}) },
        });
        return version ? next : q.currentVersion.number;
      });
      return { ok: true, changed: true, version: number };
    },

    async setRetired(input: { questionId: string; retired: boolean }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        await lockBankOf(tx, input.questionId);
        await tx.question.update({
          where: { id: input.questionId },
          data: { retiredAt: input.retired ? clock.now() : null },
        });
      });
    },
  };
}

export type ManageService = ReturnType<typeof manageService>;
