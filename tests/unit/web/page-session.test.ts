// What a question page served before the session middleware takes from the stored session
// (web/session.ts pageSession): anything it does not accept goes to the ordinary route.
import { sessionUserOf } from "../../../src/modules/accounts";
import { pageSession } from "../../../src/web/session";

const user = {
  id: "7f1c2a34-5b6d-4e8f-9a0b-1c2d3e4f5a6b",
  email: "ada@example.test",
  displayName: "Ada",
  role: "learner",
};
const stored = (extra: Record<string, unknown> = {}) => ({
  cookie: { path: "/", httpOnly: true },
  csrfToken: "t".repeat(43),
  authAt: 1,
  seenAt: 1,
  passport: { user },
  ...extra,
});

describe("pageSession", () => {
  it("takes the signed-in user and the CSRF token of a session with nothing waiting", () => {
    expect(pageSession(stored(), sessionUserOf)).toEqual({ userId: user.id, user, csrfToken: "t".repeat(43) });
    expect(pageSession(stored({ flash: [] }), sessionUserOf)).not.toBeNull();
  });

  it("leaves to the ordinary route a flash waiting, no token, a malformed user or no session", () => {
    expect(pageSession(stored({ flash: [{ kind: "info", message: "Saved." }] }), sessionUserOf)).toBeNull();
    expect(pageSession(stored({ flash: "odd" }), sessionUserOf)).toBeNull();
    expect(pageSession(stored({ csrfToken: undefined }), sessionUserOf)).toBeNull();
    expect(pageSession(stored({ csrfToken: "" }), sessionUserOf)).toBeNull();
    expect(pageSession(stored({ passport: { user: { ...user, role: "owner" } } }), sessionUserOf)).toBeNull();
    expect(pageSession(stored({ passport: { user: { ...user, id: "not-a-uuid" } } }), sessionUserOf)).toBeNull();
    expect(pageSession(stored({ passport: {} }), sessionUserOf)).toBeNull();
    expect(pageSession(null, sessionUserOf)).toBeNull();
    expect(pageSession("text", sessionUserOf)).toBeNull();
  });
});
