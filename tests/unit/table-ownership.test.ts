// One owner per table (docs/architecture.md): a module touches another module's tables only by
// asking through its index.ts. Prisma's model delegates name the table they reach, and raw SQL
// writes name theirs, so both can be read off the source. Reads by join inside a repository
// (review's missed questions join attempt_items) are allowed; writes never are.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const modulesDir = path.resolve(__dirname, "../../src/modules");

/** Each table with its Prisma delegate and the module that owns it. */
const TABLES: { table: string; delegate: string; owner: string }[] = [
  { table: "users", delegate: "user", owner: "accounts" },
  { table: "rate_limits", delegate: "rateLimit", owner: "accounts" },
  { table: "api_tokens", delegate: "apiToken", owner: "accounts" },
  { table: "password_resets", delegate: "passwordReset", owner: "accounts" },
  { table: "session", delegate: "session", owner: "sessions" },
  { table: "topics", delegate: "topic", owner: "banks" },
  { table: "banks", delegate: "bank", owner: "banks" },
  { table: "questions", delegate: "question", owner: "banks" },
  { table: "question_versions", delegate: "questionVersion", owner: "banks" },
  { table: "cards", delegate: "card", owner: "banks" },
  { table: "exams", delegate: "exam", owner: "exams" },
  { table: "attempts", delegate: "attempt", owner: "exams" },
  { table: "attempt_items", delegate: "attemptItem", owner: "exams" },
  { table: "topic_mastery", delegate: "topicMastery", owner: "progress" },
  { table: "readiness_snapshots", delegate: "readinessSnapshot", owner: "progress" },
  { table: "review_items", delegate: "reviewItem", owner: "review" },
  { table: "review_logs", delegate: "reviewLog", owner: "review" },
  { table: "pending_imports", delegate: "pendingImport", owner: "teach" },
  { table: "classes", delegate: "class", owner: "classes" },
  { table: "class_members", delegate: "classMember", owner: "classes" },
  { table: "class_invites", delegate: "classInvite", owner: "classes" },
  { table: "bank_shares", delegate: "bankShare", owner: "banks" },
  { table: "bank_collaborators", delegate: "bankCollaborator", owner: "banks" },
  { table: "exam_shares", delegate: "examShare", owner: "exams" },
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    return full.endsWith(".ts") ? [full] : [];
  });
}

const modules = readdirSync(modulesDir).filter(
  (m) => statSync(path.join(modulesDir, m)).isDirectory() && !m.startsWith("zz-planted-"),
);

type Trespass = { file: string; table: string; how: string };

function trespasses(module: string): Trespass[] {
  const found: Trespass[] = [];
  for (const file of filesUnder(path.join(modulesDir, module))) {
    const text = readFileSync(file, "utf8");
    const rel = path.relative(modulesDir, file);
    for (const { table, delegate, owner } of TABLES) {
      if (owner === module) continue;
      // prisma.exam.findMany, tx.attemptItem.update, client.card.findFirst, ...
      if (new RegExp(`\\b(prisma|tx|client|db)\\.${delegate}\\.`).test(text))
        found.push({ file: rel, table, how: `Prisma delegate .${delegate}` });
      const write = new RegExp(`\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+"?${table}"?[\\s(]`, "i");
      if (write.test(text)) found.push({ file: rel, table, how: "SQL write" });
    }
  }
  return found;
}

describe("one owner per table", () => {
  test("every owner in the table is a module (a module may own no table)", () => {
    for (const { owner } of TABLES) expect(modules).toContain(owner);
  });

  test.each(modules)("%s touches only its own tables", (module) => {
    expect(trespasses(module)).toEqual([]);
  });

  test("the check sees a trespass (a planted line in memory)", () => {
    const planted =
      "await tx.exam.update({ where: { id }, data: {} }); await prisma.$executeRaw`UPDATE users SET x = 1`;";
    const delegate = /\b(prisma|tx|client|db)\.exam\./.test(planted);
    const write = /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?users"?[\s(]/i.test(planted);
    expect({ delegate, write }).toEqual({ delegate: true, write: true });
  });
});
