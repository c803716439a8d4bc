// Driving the app as a browser would: read the CSRF token from the page, post the form.
import type { Express } from "express";
import request from "supertest";
import { PASSWORD } from "../factories/users";

export type Agent = ReturnType<typeof request.agent>;

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no CSRF token on the page");
  return match[1];
}

export async function tokenFor(agent: Agent, path: string): Promise<string> {
  const page = await agent.get(path);
  return csrfFrom(page.text);
}

export async function login(app: Express, email: string, password = PASSWORD): Promise<Agent> {
  const agent = request.agent(app);
  const token = await tokenFor(agent, "/login");
  const res = await agent.post("/login").type("form").send({ _csrf: token, email, password });
  if (res.status !== 303) throw new Error(`login failed with ${res.status}`);
  return agent;
}

export function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers["set-cookie"] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith("stackprep="))?.split(";")[0];
}
