// Binds the bank owner's use cases (rename, archive, delete, share, public) to their deps.
import type { Clock } from "../../clock";
import type { Db } from "../../db";
import {
  addCollaborator,
  bankFor,
  bankSharing,
  banksForClass,
  deleteBank,
  removeCollaborator,
  renameBank,
  setBankArchived,
  setBankPublic,
  shareBankWithClass,
  type AdministerDeps,
} from "./use-cases/administer-bank";
import type { Actor } from "../../actor";
import type { BankAction } from "./banks.policy";

type Input<F> = F extends (deps: AdministerDeps, input: infer I) => unknown ? I : never;

export function bankAdminService(deps: { prisma: Db; clock: Clock }) {
  return {
    bankFor: (input: { actor: Actor; slug: string }, action: BankAction) => bankFor(deps, input, action),
    renameBank: (input: Input<typeof renameBank>) => renameBank(deps, input),
    setBankArchived: (input: Input<typeof setBankArchived>) => setBankArchived(deps, input),
    deleteBank: (input: Input<typeof deleteBank>) => deleteBank(deps, input),
    setBankPublic: (input: Input<typeof setBankPublic>) => setBankPublic(deps, input),
    shareBankWithClass: (input: Input<typeof shareBankWithClass>) => shareBankWithClass(deps, input),
    addCollaborator: (input: Input<typeof addCollaborator>) => addCollaborator(deps, input),
    removeCollaborator: (input: Input<typeof removeCollaborator>) => removeCollaborator(deps, input),
    bankSharing: (input: Input<typeof bankSharing>) => bankSharing(deps, input),
    banksForClass: (input: Input<typeof banksForClass>) => banksForClass(deps, input),
  };
}
export type BankAdminService = ReturnType<typeof bankAdminService>;
