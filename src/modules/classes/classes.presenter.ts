// Classes into view models (pure).
type Listed = {
  owned: { id: string; name: string; description: string; members: number }[];
  joined: { id: string; name: string; description: string; instructor: string; joinedAt: Date }[];
};

export function presentClassList(list: Listed) {
  return {
    owned: list.owned.map((c) => ({ ...c, href: `/teach/classes/${c.id}` })),
    joined: list.joined.map((c) => ({ ...c, joinedOn: c.joinedAt.toISOString().slice(0, 10) })),
  };
}
