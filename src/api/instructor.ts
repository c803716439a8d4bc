import type { CatalogueService } from "../modules/banks";
import type { ExamSetupService } from "../modules/exams";
import type { TeachService } from "../modules/teach";
import type { Endpoint } from "./endpoint";

export type InstructorDeps = { teach: TeachService; setup: ExamSetupService; catalogue: CatalogueService };

export function instructorEndpoints(_deps: InstructorDeps): Endpoint[] {
  return [];
}
