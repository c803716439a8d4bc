// Reads of accounts other modules ask for through index.ts.
import type { Db, Prisma } from "../../db";

type Client = Db | Prisma.TransactionClient;

/** An account by its email (compared as stored: trimmed, lower case); null when there is none or it is disabled. */
export async function activeAccountByEmail(client: Client, email: string) {
  const user = await client.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, displayName: true, role: true, disabledAt: true },
  });
  return user && !user.disabledAt ? { id: user.id, displayName: user.displayName, role: user.role } : null;
}
