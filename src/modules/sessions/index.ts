// Sessions: the stored layout, when a session is still good, and the SQL over its table.
export {
  ABSOLUTE_LIFETIME_MS,
  IDLE_TIMEOUT_MS,
  TOUCH_INTERVAL_MS,
  sessionVerdict,
  type SessionVerdict,
  type StoredSession,
} from "./session-state";
export { endSessionsOf, liveSessionSql, liveSessionUserSql } from "./sessions.repo";
