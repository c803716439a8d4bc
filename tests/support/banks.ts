// A small native-format bank written in the test, so each test can edit it.
export type MiniQuestion = { id: string; stem: string; topic?: string };

export function miniBank(slug: string, questions: MiniQuestion[], cards: { id: string; front: string }[] = []): string {
  const q = questions
    .map(
      (x) => `  - id: ${x.id}
    topic: ${x.topic ?? `${slug}/basics`}
    type: single
    difficulty: 2
    stem: |
      ${x.stem}
    options:
      - text: "Right answer for ${x.id}"
        correct: true
      - text: "Wrong answer for ${x.id}"
    explanation: |
      The first option is right because it says so. The second is wrong.
`,
    )
    .join("");
  const c = cards
    .map((x) => `  - id: ${x.id}\n    topic: ${slug}/basics\n    front: ${x.front}\n    back: An answer.\n`)
    .join("");
  return `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: Bank ${slug}
topics:
  ${slug}: Bank ${slug}
  ${slug}/basics: Basics
  ${slug}/more: More
questions:
${q}cards:
${c || "  []\n"}`.replace("cards:\n  []\n", "cards: []\n");
}
