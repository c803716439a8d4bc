// The import use case (use-cases/import-banks.ts) bound to its deps: the app, the first-start
// loader and the command line each make one.
import type { ImportSource, SourceParser } from "./import.parse";
import { pooledParser } from "./parse.pool";
import { importBanks, type ImportBanksOptions, type ImportDeps } from "./use-cases/import-banks";

export type { ImportSource };
export type { Actor, BankSummary, ImportReport, ImportBanksOptions } from "./use-cases/import-banks";

export function importService(deps: Omit<ImportDeps, "parse"> & { parse?: SourceParser }) {
  // By default small imports parse in this thread, large ones in workers (parse.pool.ts).
  const bound: ImportDeps = { ...deps, parse: deps.parse ?? pooledParser() };
  return {
    importBanks: (options: ImportBanksOptions) => importBanks(bound, options),
  };
}

export type ImportService = ReturnType<typeof importService>;
