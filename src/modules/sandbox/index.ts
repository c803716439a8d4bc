// The SQL sandbox: runs exercises' setups and learners' statements on the app's PostgreSQL
// under a role that can reach nothing else (docs/security.md).
export { compareResults, judgeSql, type Comparison, type SqlKey, type SqlRecord } from "./compare";
export { GRID_ROWS, SANDBOX_LIMITS, type SandboxLimits } from "./limits";
export {
  describeFailure,
  lineColumn,
  runnerPassword,
  SandboxBusy,
  SandboxUnavailable,
  schemaFor,
  sqlSandbox,
  trimStatement,
  type RunOutcome,
  type SqlSandbox,
} from "./sandbox.service";
