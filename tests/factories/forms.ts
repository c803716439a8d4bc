// Two banks (one with language subtopics) and two mock exams over them: one with a stack
// section and difficulty quota, one placement test without a pass mark.
import { randomUUID } from "node:crypto";
import { systemClock } from "../../src/clock";
import type { Db } from "../../src/db";
import { importService } from "../../src/modules/banks";
import { examsService, parseExamDefinitions } from "../../src/modules/exams";

/** A bank whose subtopics each hold questions at the given difficulties. */
function bankYaml(slug: string, subtopics: Record<string, { title: string; difficulties: number[] }>): string {
  const topics = Object.entries(subtopics)
    .map(([sub, s]) => `  ${slug}/${sub}: ${s.title}\n`)
    .join("");
  const questions = Object.entries(subtopics)
    .flatMap(([sub, s]) =>
      s.difficulties.map(
        (d, i) => `  - id: ${slug}-${sub}-${i}
    topic: ${slug}/${sub}
    type: truefalse
    difficulty: ${d}
    stem: Is statement ${i} about ${sub} in ${slug} true?
    answer: true
    explanation: |
      It is true by construction. The test needs no more.
`,
      ),
    )
    .join("");
  return `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Bank ${slug}
topics:
  ${slug}: Bank ${slug}
${topics}questions:
${questions}cards: []
`;
}

const examsYaml = (
  MOCK: string,
  PLACEMENT: string,
  CORE: string,
  LANG: string,
  id: string,
) => `format: stackprep-exams/1
exams:
  - slug: ${MOCK}
    title: Mock ${id}
    kind: mock
    questionCount: 8
    timeLimitMinutes: 30
    passMarkPercent: 70
    counts: { ${CORE}: 4, ${LANG}: 4 }
    difficulty: { easy: 2, medium: 4, hard: 2 }
    stack: { topic: ${LANG}, neutral: [${LANG}/concepts] }
  - slug: ${PLACEMENT}
    title: Placement ${id}
    kind: mock
    questionCount: 4
    timeLimitMinutes: 10
    passMarkPercent: null
    counts: { ${CORE}: 2, ${LANG}: 2 }
    difficulty: { easy: 2, medium: 2, hard: 0 }
`;

export async function createFormsFixture(prisma: Db) {
  const id = randomUUID().slice(0, 8);
  const core = `core${id}`;
  const lang = `lang${id}`;
  const mock = `mock-${id}`;
  const placement = `placement-${id}`;
  const report = await importService({ prisma, clock: systemClock, maxBytes: 1 << 20 }).importBanks({
    sources: [
      {
        name: `${core}.yaml`,
        text: bankYaml(core, {
          a: { title: "Core A", difficulties: [1, 2, 2, 3, 1, 2] },
          b: { title: "Core B", difficulties: [1, 2, 2, 3, 3, 2] },
        }),
      },
      {
        name: `${lang}.yaml`,
        text: bankYaml(lang, {
          go: { title: "Go", difficulties: [1, 2, 2, 3, 1, 2] },
          python: { title: "Python", difficulties: [1, 2, 3, 3, 2, 1] },
          ruby: { title: "Ruby", difficulties: [2] },
          concepts: { title: "Concepts", difficulties: [1, 2, 2, 3, 2] },
        }),
      },
    ],
    actor: "operator",
  });
  if (!report.ok) throw new Error(report.errors.join("\n"));
  await examsService({ prisma }).syncDefinitions({
    definitions: parseExamDefinitions(examsYaml(mock, placement, core, lang, id), "exams.yaml"),
  });
  return { id, core, lang, mock, placement, mockTitle: `Mock ${id}`, placementTitle: `Placement ${id}` };
}
