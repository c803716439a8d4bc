// Who acts: the one Role and Actor type of every module and of the web layer. Shared like
// errors.ts and clock.ts, depending on nothing. The policies (*.policy.ts in each module)
// decide what an actor may do.
export const ROLES = ["learner", "instructor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export type Actor = { id: string; role: Role };

/** The operator behind the command line and the first start: trusted with everything. */
export const OPERATOR = "operator" as const;
export type Operator = typeof OPERATOR;

export const isTeacher = (actor: Actor): boolean => actor.role === "instructor" || actor.role === "admin";
