import type { ResetLink, Role } from "./accounts.service";

type UserRow = { id: string; email: string; displayName: string; role: Role; disabledAt: Date | null; createdAt: Date };

export function presentUserList(users: UserRow[], actorId: string) {
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    disabled: u.disabledAt !== null,
    status: u.disabledAt ? "Disabled" : "Active",
    joined: u.createdAt.toISOString().slice(0, 10),
    isSelf: u.id === actorId,
  }));
}

type TokenRow = {
  id: string;
  name: string;
  scope: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  usable: boolean;
};

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const minute = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") + " UTC" : null);

export function presentTokens(tokens: TokenRow[]) {
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    scope: t.scope,
    prefix: t.prefix,
    created: day(t.createdAt),
    lastUsed: minute(t.lastUsedAt) ?? "never",
    expires: day(t.expiresAt) ?? "never",
    status: t.revokedAt ? "Revoked" : t.usable ? "Active" : "Expired",
    revocable: t.revokedAt === null,
  }));
}

export function presentResetLink(link: ResetLink) {
  return { email: link.email, url: link.url, expires: `${link.expiresAt.toISOString().slice(11, 16)} UTC` };
}
