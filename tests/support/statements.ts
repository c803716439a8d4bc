// What a request sends to PostgreSQL on the app's pool: the statements that go through
// `pool.query` (Prisma's own go through its adapter and are not seen here).
import type { Pool } from "pg";

export type SentStatement = { name?: string; text: string };

/** Runs `work` and returns it with the statements it sent through `pool.query`, in order. */
export async function withStatements<T>(
  pool: Pool,
  work: () => Promise<T>,
): Promise<{ result: T; statements: SentStatement[] }> {
  const spy = jest.spyOn(pool, "query");
  try {
    const result = await work();
    const statements = spy.mock.calls.map(([q]) =>
      typeof q === "string" ? { text: q } : { name: (q as SentStatement).name, text: (q as SentStatement).text ?? "" },
    );
    return { result, statements };
  } finally {
    spy.mockRestore();
  }
}
