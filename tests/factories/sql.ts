// A bank of SQL exercises (one read, one write) and a module exam over it, imported through
// the real sandbox. Reference queries and expected values carry markers the leak checks find.
import { randomUUID } from "node:crypto";
import { importService } from "../../src/modules/banks";
import { createSqlSandbox } from "../../src/sql-sandbox";
import { systemClock } from "../../src/clock";
import type { TestApp } from "../support/app";

/** In the reference query only (a column alias the task does not name). */
export const REFERENCE_MARK = "refmarkzz";
/** A value only the expected rows hold (computed by the reference, not in the setup). */
export const EXPECTED_MARK = "7777.77";

export const READ_SETUP = `CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, total numeric(8,2) NOT NULL);
INSERT INTO customers VALUES (1, 'Ada'), (2, 'Bo'), (3, 'Cy');
INSERT INTO orders VALUES (10, 1, 7000.00), (11, 1, 777.77), (12, 3, 5.00);`;

export const READ_RIGHT = `SELECT c.name, coalesce(sum(o.total), 0) AS spent
FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.name`;
export const READ_WRONG = `SELECT c.name, sum(o.total) AS spent FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name`;

export const WRITE_RIGHT = `INSERT INTO stock VALUES ('B2', 3), ('C3', 4)
ON CONFLICT (sku) DO UPDATE SET quantity = stock.quantity + excluded.quantity
RETURNING sku, quantity`;

export function sqlBankYaml(slug: string, runs: number | null = 3): string {
  const indent = (text: string, n: number) => text.replace(/^/gm, " ".repeat(n));
  const body = `format: stackprep-bank/1
bank:
  slug: ${slug}
  title: SQL bank ${slug}
topics:
  ${slug}: SQL bank ${slug}
questions:
  - id: ${slug}-1
    topic: ${slug}
    type: sql
    difficulty: 2
    setup: |
${indent(READ_SETUP, 6)}
    stem: |
      List every customer's \`name\` with the total of their orders as \`spent\` (0 when none).
    reference: |
      WITH ${REFERENCE_MARK} AS (SELECT customer_id, sum(total) AS s FROM orders GROUP BY customer_id)
      SELECT c.name, coalesce(r.s, 0) AS spent FROM customers c LEFT JOIN ${REFERENCE_MARK} r ON r.customer_id = c.id
    compare: { tolerance: 0.001 }
    explanation: A left join keeps customers without orders.
  - id: ${slug}-2
    topic: ${slug}
    type: sql
    kind: write
    difficulty: 2
    runs: RUNS
    setup: |
      CREATE TABLE stock (sku text PRIMARY KEY, quantity int NOT NULL);
      INSERT INTO stock VALUES ('A1', 5), ('B2', 0);
    stem: Add 3 of B2 and 4 of C3 in one statement, returning sku and quantity.
    reference: |
      INSERT INTO stock (sku, quantity) VALUES ('B2', 3), ('C3', 4)
      ON CONFLICT (sku) DO UPDATE SET quantity = stock.quantity + EXCLUDED.quantity
      RETURNING sku, quantity
    check: SELECT sku, quantity FROM stock ORDER BY sku
    explanation: An upsert with ON CONFLICT.
`;
  return body.replace("    runs: RUNS\n", runs === null ? "" : `    runs: ${runs}\n`);
}

export async function createSqlExam(
  t: TestApp,
  options: { reviewPolicy?: "after_submit" | "never"; runs?: number | null } = {},
) {
  const slug = `q${randomUUID().slice(0, 8)}`;
  const sandbox = createSqlSandbox(t.db, t.config);
  try {
    const report = await importService({
      prisma: t.prisma,
      clock: systemClock,
      maxBytes: 1 << 20,
      prepareSql: (exercise) => sandbox.prepare(exercise),
    }).importBanks({
      sources: [{ name: `${slug}.yaml`, text: sqlBankYaml(slug, options.runs === undefined ? 3 : options.runs) }],
      actor: "operator",
    });
    if (!report.ok) throw new Error(report.errors.join("\n"));
  } finally {
    await sandbox.close();
  }
  const exam = await t.prisma.exam.create({
    data: {
      slug: `exam-${slug}`,
      title: `SQL exam ${slug}`,
      kind: "module",
      questionCount: 2,
      timeLimitSeconds: 600,
      passMarkPercent: 50,
      shuffleQuestions: false,
      shuffleOptions: false,
      topicPaths: [slug],
      reviewPolicy: options.reviewPolicy ?? "after_submit",
      maxAttempts: null,
    },
  });
  return { slug, exam };
}
