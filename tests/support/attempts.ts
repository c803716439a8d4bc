// Taking an exam over HTTP as a learner does: start it, save answers, submit.
import { tokenFor, type Agent } from "./http";

/** Starts (or resumes) an attempt through the exam list's form, timed or practice; returns its id. */
export async function startAttempt(agent: Agent, examSlug: string, mode?: "timed" | "practice"): Promise<string> {
  const token = await tokenFor(agent, "/exams");
  const res = await agent
    .post(`/exams/${examSlug}/attempts`)
    .type("form")
    .send({ _csrf: token, ...(mode ? { mode } : {}) });
  expect(res.status).toBe(303);
  return /\/attempts\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
}

export type GivenAnswer = { position: number; response: unknown; flagged?: boolean };

/** Starts an attempt, saves the given answers (autosave JSON), submits it; returns its id. */
export async function sitAttempt(agent: Agent, examSlug: string, answers: GivenAnswer[]): Promise<string> {
  const attemptId = await startAttempt(agent, examSlug);
  const token = await tokenFor(agent, `/attempts/${attemptId}`);
  for (const a of answers) {
    await agent
      .post(`/attempts/${attemptId}/answers`)
      .set("x-csrf-token", token)
      .send({ position: a.position, seq: 1, response: a.response, flagged: a.flagged ?? false });
  }
  await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
  return attemptId;
}
