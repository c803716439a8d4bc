import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { Db } from "../../src/db";

export type Role = "learner" | "instructor" | "admin";
export const PASSWORD = "correct horse battery staple";

let hashed: Promise<string> | undefined;

/** A user straight in the database (signing up through the form is tested separately). */
export async function createUser(
  prisma: Db,
  options: { role?: Role; email?: string; displayName?: string; disabled?: boolean } = {},
) {
  hashed ??= hash(PASSWORD);
  const email = options.email ?? `user-${randomUUID()}@example.test`;
  return prisma.user.create({
    data: {
      email,
      displayName: options.displayName ?? `User ${email.slice(5, 11)}`,
      passwordHash: await hashed,
      role: options.role ?? "learner",
      disabledAt: options.disabled ? new Date() : null,
    },
  });
}
