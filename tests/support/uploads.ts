// An instructor's bank upload through the pages (preview, then publish), and an exam over an
// uploaded bank that any learner reaches, as the question-type tests need them.
import type { Db } from "../../src/db";
import { csrfFrom, tokenFor, type Agent } from "./http";

/** Uploads a file for preview on /teach/banks/imports (the preview page or its errors). */
export async function uploadForPreview(agent: Agent, name: string, text: string | Buffer) {
  const csrf = await tokenFor(agent, "/teach/banks/imports/new");
  return agent
    .post("/teach/banks/imports")
    .field("_csrf", csrf)
    .field("format", "auto")
    .attach("file", typeof text === "string" ? Buffer.from(text) : text, name);
}

/** Presses Publish on a preview page; the response (303 to the bank when it worked). */
export function publishPreview(agent: Agent, previewHtml: string) {
  const action = /action="(\/teach\/banks\/imports\/[0-9a-f-]+\/publication)"/.exec(previewHtml)![1]!;
  return agent
    .post(action)
    .type("form")
    .send({ _csrf: csrfFrom(previewHtml) });
}

/**
 * A published topic module over an uploaded bank's topic, reaching every learner: the bank is
 * marked public (as an admin would), since an exam without an owner draws from public banks.
 */
export async function publicModuleOver(
  prisma: Db,
  slug: string,
  data: { title: string; questionCount: number; shuffleOptions?: boolean; partialCredit?: boolean },
) {
  await prisma.bank.updateMany({ where: { slug: { startsWith: slug } }, data: { public: true } });
  return prisma.exam.create({
    data: {
      slug: `exam-${slug}${data.partialCredit === undefined ? "" : data.partialCredit ? "-p" : "-a"}`,
      title: data.title,
      kind: "module",
      questionCount: data.questionCount,
      timeLimitSeconds: 600,
      passMarkPercent: 50,
      shuffleQuestions: false,
      shuffleOptions: data.shuffleOptions ?? false,
      partialCredit: data.partialCredit ?? false,
      topicPaths: [slug],
      reviewPolicy: "after_submit",
      maxAttempts: null,
    },
  });
}

/**
 * Exports a bank from its page in a format and uploads the file again for preview: the export
 * and the preview page, for a round-trip test to check (an unchanged bank previews as "Unchanged").
 */
export async function exportAndReupload(agent: Agent, slug: string, format: string, extension: string) {
  const exported = await agent.get(`/teach/banks/${slug}/export?format=${format}`);
  const again = await uploadForPreview(agent, `${slug}.${extension}`, exported.text);
  return { exported, again };
}
