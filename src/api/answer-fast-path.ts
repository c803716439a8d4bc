// The API's answer save in one statement: the token is proved and counted against its rate
// limit inside the save itself (accounts' tokenSaveProof), as the page's autosave proves its
// session. Whatever this cannot settle (a token that proves nothing, a last-used time due, a
// limit reached, input that does not parse) goes on, untouched, to the ordinary route, which
// checks everything again and answers as always. Refusals of a proved save (stale, late,
// submitted) are the use case's own errors, thrown here as there.
import express, { type RequestHandler } from "express";
import type { LimitPolicy } from "../db";
import type { AccountsService } from "../modules/accounts";
import type { AttemptsService } from "../modules/exams";
import { API_JSON_LIMIT_BYTES } from "./body";
import { answerBody, answerParams } from "./learner.schemas";

const BEARER = /^Bearer +(spat_[A-Za-z0-9_-]{43}) *$/;

export function answerFastPath(deps: {
  accounts: AccountsService;
  attempts: AttemptsService;
  limit: LimitPolicy;
}): RequestHandler[] {
  const claims: RequestHandler = (req, res, next) => {
    const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
    if (!token || req.is("application/json") !== "application/json") return next("route");
    res.locals.fastToken = token;
    next();
  };
  const save: RequestHandler = async (req, res, next) => {
    const params = answerParams.safeParse(req.params);
    const body = answerBody.safeParse(req.body);
    if (!params.success || !body.success) return next("route");
    const proof = await deps.accounts.tokenSaveProof({ token: res.locals.fastToken as string, limit: deps.limit });
    if (!proof) return next("route");
    const saved = await deps.attempts.saveAnswerWithProof({
      attemptId: params.data.id,
      position: params.data.position,
      seq: body.data.seq,
      response: body.data.response,
      flagged: body.data.flagged,
      proof,
    });
    if (!saved) return next("route");
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.end(JSON.stringify(saved));
  };
  return [claims, express.json({ limit: API_JSON_LIMIT_BYTES, type: "application/json" }), save];
}
