// Measures how parallel the mock exam's forms are (docs/content.md, "Parallel forms"): draws
// many forms the way an attempt does, and the way attempts drew before (percent weights, ties
// by name, uniform within a topic), and prints the hard questions per form and the expected
// score of a learner of fixed ability (progress/mastery.ts's difficulty model) on each form.
//   npx tsx scripts/forms-parallelism.ts [forms]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { allocate } from "../src/modules/exams/blueprint";
import { examRecord, parseExamDefinitions } from "../src/modules/exams/definitions";
import { createRng, sample } from "../src/modules/exams/rng";
import { poolForStack, selectQuestions, type PoolQuestion, type StackChoice } from "../src/modules/exams/selection";
import { chanceAt } from "../src/modules/progress/mastery";

const FORMS = Number(process.argv[2] ?? 2000);
const dir = path.resolve(__dirname, "../question-banks");
const pool: PoolQuestion[] = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml") && f !== "exams.yaml")
  .flatMap((f) =>
    (
      parseYaml(readFileSync(path.join(dir, f), "utf8")) as {
        questions: { id: string; topic: string; type: string; difficulty: number }[];
      }
    ).questions.map((q) => ({
      versionId: q.id,
      questionId: q.id,
      externalId: q.id,
      topicPath: q.topic,
      type: q.type,
      difficulty: q.difficulty,
      choiceIds: [],
    })),
  );
const byId = new Map(pool.map((q) => [q.versionId, q]));
const mock = parseExamDefinitions(readFileSync(path.join(dir, "exams.yaml"), "utf8"), "exams.yaml").find(
  (e) => e.slug === "backend-mock-exam",
)!;
const record = examRecord(mock);
const stack = record.stackChoice as StackChoice;
const languages = [...new Set(pool.map((q) => q.topicPath))].filter(
  (p) => p.startsWith(`${stack.topic}/`) && !stack.neutral.includes(p),
);
// The weights the mock exam had before it stated counts.
const OLD_WEIGHTS = { http: 8, "rest-api": 7, sql: 8, "database-design": 8, "nosql-caching": 7, "web-security": 8, auth: 7, languages: 6, frameworks: 6, git: 5, "linux-networking": 6, "cloud-deployment": 6, scalability: 6, testing: 6, dsa: 6 }; // prettier-ignore

const newForm = (i: number) =>
  selectQuestions({
    pool: poolForStack(pool, stack, languages[i % languages.length]!),
    count: record.questionCount,
    blueprint: record.blueprint!,
    difficultyQuota: record.difficultyQuota!,
    tieSeed: mock.slug,
    shuffleQuestions: false,
    shuffleOptions: false,
    rng: createRng(`form-${i}`),
  }).map((s) => byId.get(s.versionId)!);
const oldForm = (i: number) => {
  const rng = createRng(`form-${i}`);
  return Object.entries(allocate(60, OLD_WEIGHTS)).flatMap(([topic, n]) =>
    sample(
      pool.filter((q) => q.topicPath.split("/")[0] === topic),
      n,
      rng,
    ),
  );
};
const expected = (form: PoolQuestion[], mastery: number) =>
  (100 * form.reduce((s, q) => s + chanceAt(mastery, q.difficulty), 0)) / form.length;

const forms = {
  before: Array.from({ length: FORMS }, (_, i) => oldForm(i)),
  after: Array.from({ length: FORMS }, (_, i) => newForm(i)),
};
// Borderline: the ability whose expected score on the stated 15/30/15 form is the 70% pass mark.
let [low, high] = [0, 1];
for (let i = 0; i < 60; i += 1)
  [low, high] = expected(forms.after[0]!, (low + high) / 2) < 70 ? [(low + high) / 2, high] : [low, (low + high) / 2];
const mastery = (low + high) / 2;
console.log(`${FORMS} forms each; borderline learner: ${(100 * mastery).toFixed(1)}% on a medium question`);
for (const [name, list] of Object.entries(forms)) {
  const hard = list.map((f) => f.filter((q) => q.difficulty === 3).length);
  const easy = list.map((f) => f.filter((q) => q.difficulty === 1).length);
  const scores = list.map((f) => expected(f, mastery)).sort((a, b) => a - b);
  const q = (p: number) => scores[Math.min(scores.length - 1, Math.floor(p * scores.length))]!.toFixed(1);
  console.log(
    `${name}: hard ${Math.min(...hard)}-${Math.max(...hard)}, easy ${Math.min(...easy)}-${Math.max(...easy)}; ` +
      `expected score min ${q(0)}%, 5th pct ${q(0.05)}%, median ${q(0.5)}%, 95th pct ${q(0.95)}%, max ${scores.at(-1)!.toFixed(1)}%`,
  );
}
