// Binds the classes use cases to their dependencies.
import type { Clock } from "../../clock";
import type { Db, LimiterFactory } from "../../db";
import { JOIN_ADDRESS_POLICY, JOIN_USER_POLICY } from "./codes";
import type { ClassesDeps } from "./use-cases/deps";
import { createInvite, revokeInvite } from "./use-cases/invites";
import { classRoster, listClasses } from "./use-cases/list-classes";
import { createClass, deleteClass, managedClass, newClassCode, updateClass } from "./use-cases/manage-class";
import {
  addMemberByEmail,
  inviteTarget,
  joinWithCode,
  joinWithInvite,
  leaveClass,
  removeMember,
} from "./use-cases/membership";

type Bound<F> = F extends (deps: ClassesDeps, input: infer I) => infer R ? (input: I) => R : never;
const bind = <F extends (deps: ClassesDeps, input: never) => unknown>(deps: ClassesDeps, f: F): Bound<F> =>
  ((input: never) => f(deps, input)) as Bound<F>;

export function classesService(input: { prisma: Db; clock: Clock; limiter: LimiterFactory }) {
  const deps: ClassesDeps = {
    prisma: input.prisma,
    clock: input.clock,
    joinLimits: { user: input.limiter(JOIN_USER_POLICY), address: input.limiter(JOIN_ADDRESS_POLICY) },
  };
  return {
    createClass: bind(deps, createClass),
    updateClass: bind(deps, updateClass),
    newClassCode: bind(deps, newClassCode),
    deleteClass: bind(deps, deleteClass),
    managedClass: bind(deps, managedClass),
    listClasses: bind(deps, listClasses),
    classRoster: bind(deps, classRoster),
    joinWithCode: bind(deps, joinWithCode),
    inviteTarget: bind(deps, inviteTarget),
    joinWithInvite: bind(deps, joinWithInvite),
    addMemberByEmail: bind(deps, addMemberByEmail),
    removeMember: bind(deps, removeMember),
    leaveClass: bind(deps, leaveClass),
    createInvite: bind(deps, createInvite),
    revokeInvite: bind(deps, revokeInvite),
  };
}
export type ClassesService = ReturnType<typeof classesService>;
