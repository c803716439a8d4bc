// What a first start against an empty database does: load the shipped question banks and,
// only on the embedded default, create a demo learner whose credentials are printed.
import type { Config } from "../config";
import type { Database } from "../db";
import type { Logger } from "../web/logger";

export async function seedOnFirstStart(_options: { config: Config; db: Database; logger: Logger }): Promise<void> {
  // Filled in as the importer and accounts arrive.
}
