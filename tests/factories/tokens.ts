// Personal access tokens straight in the database (creating them through the account page and
// the command line is tested separately).
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../src/db";
import type { Role } from "./users";

export async function createToken(
  prisma: Db,
  userId: string,
  options: { scope?: Role; expiresAt?: Date | null; revokedAt?: Date | null; name?: string } = {},
): Promise<{ token: string; id: string }> {
  const token = `spat_${randomBytes(32).toString("base64url")}`;
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const row = await prisma.apiToken.create({
    data: {
      userId,
      name: options.name ?? "test",
      scope: options.scope ?? user.role,
      tokenHash: createHash("sha256").update(token).digest("hex"),
      prefix: token.slice(0, 11),
      expiresAt: options.expiresAt ?? null,
      revokedAt: options.revokedAt ?? null,
    },
  });
  return { token, id: row.id };
}
