export {
  importService,
  type ImportService,
  type ImportReport,
  type ImportSource,
  type Actor as ImportActor,
} from "./import.service";
export { sourceText } from "./import.parse";
export type { PrepareSql, PreparedSql } from "./import.sql";
export { listBankFiles, readSources, EXAMS_FILE } from "./sources";
export { FORMATS, type Format } from "./formats";
export { bankReach, catalogueService, type CatalogueService } from "./catalogue.service";
export { classBankTopics, PUBLIC_POOL_TOKEN, publicBankIds, publicBanks, usableBankIds } from "./access.repo";
export { exportService } from "./export.service";
export { exportNativeYaml } from "./export";
export type {
  StoredBody,
  StoredGap,
  StoredGapBody,
  StoredMatchingBody,
  StoredOption,
  StoredSqlBody,
  StoredTypedFeedback,
} from "./normalise";
export { choiceIdsOf, GAP_BLANK } from "./normalise";
export type {
  NumericAnswer,
  QuestionType,
  ResultSet,
  ShortAnswer,
  SqlCompare,
  SqlExercise,
  SqlValidation,
} from "./model";
export { numericWeight } from "./model";
export { escapeHtml, gapKeyHtml, keyHtml } from "./present";
export { previewQuestions, type QuestionPreview, type PreviewChoice } from "./preview";
export { exportGift } from "./formats/gift";
export { exportQti } from "./formats/qti-export";
export { EXPORT_FORMATS, exportBankAs, leftOutReport, type ExportFormat, type LeftOut } from "./exporters";
export { manageService, type ManageService } from "./manage.service";
export {
  activeCard,
  cardSides,
  currentQuestionContent,
  shownVersion,
  shownVersions,
  versionsByIds,
  topicTitles,
  topLevelTopics,
  versionExplanation,
} from "./banks.repo";
export { authorizeBank, bankOwnerScope, canOnBank, type BankAction, type BankRef } from "./banks.policy";
export { matchPattern, linearPatternMatcher, type PatternMatcher } from "./patterns";
export { isolatedParser, type ParseLimits } from "./parse.isolated";
export { bankAdminService, type BankAdminService } from "./administer.service";
export { bankRefFor } from "./access.repo";
