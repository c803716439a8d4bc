// A published bank of two essays and one true/false question, and a public topic module over
// it, uploaded as an instructor does: what the essay tests (pages, API, e2e) practise on.
import { randomUUID } from "node:crypto";
import type { Express } from "express";
import type { Db } from "../../src/db";
import { createUser } from "../factories/users";
import { login } from "./http";
import { publicModuleOver, publishPreview, uploadForPreview } from "./uploads";
import { itemsWithVersions } from "./items";

/** Text only the model answers hold: a page or body containing it shows a model answer. */
export const MODEL = "MODELANSWERTEXT";

export async function essayBank(app: Express, prisma: Db) {
  const instructor = await createUser(prisma, { role: "instructor" });
  const teacher = await login(app, instructor.email);
  const slug = `e${randomUUID().slice(0, 8)}`;
  const yaml = `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Essays ${slug}
topics:
  ${slug}: Essays ${slug}
questions:
  - id: ${slug}-1
    topic: ${slug}
    type: essay
    difficulty: 2
    stem: Explain why PUT is idempotent.
    modelAnswer: "Repeating a PUT leaves the **${MODEL}-1** state: the same representation."
    explanation: EXPLAINS-ESSAY-1 compare the effect of one request with two.
  - id: ${slug}-2
    topic: ${slug}
    type: essay
    difficulty: 2
    stem: Explain what a B-tree index buys a lookup.
    modelAnswer: "A logarithmic search: ${MODEL}-2."
    explanation: EXPLAINS-ESSAY-2 think of a scan.
  - id: ${slug}-3
    topic: ${slug}
    type: truefalse
    difficulty: 1
    stem: GET is safe.
    answer: true
    explanation: Safe methods are read-only.
`;
  const preview = await uploadForPreview(teacher, `${slug}.yaml`, yaml);
  expect(preview.status).toBe(200);
  expect((await publishPreview(teacher, preview.text)).status).toBe(303);
  const exam = await publicModuleOver(prisma, slug, { title: `Essays ${slug}`, questionCount: 3 });
  return { slug, exam, instructor, teacher };
}

/** The positions of an attempt's items by question id suffix ("1", "2", "3"). */
export async function positionsOf(prisma: Db, attemptId: string): Promise<Record<string, number>> {
  const items = await itemsWithVersions(prisma, {
    where: { attemptId },
  });
  return Object.fromEntries(items.map((i) => [i.questionVersion.question.externalId.split("-").pop()!, i.position]));
}
