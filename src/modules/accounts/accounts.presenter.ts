import type { Role } from "./accounts.service";

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
