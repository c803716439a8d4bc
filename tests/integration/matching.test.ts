// Matching questions end to end: an instructor uploads them in GIFT (a bad pair is refused at
// its file:line:column), a learner answers with one select per item (no key in the page),
// saved by the plain form and by autosave, graded per pair when the exam gives partial credit,
// reviewed pair by pair, turned into a review card, and counted per pair in the statistics.
import { randomUUID } from "node:crypto";
import { createUser } from "../factories/users";
import { publicModuleOver, publishPreview, uploadForPreview } from "../support/uploads";
import { createTestApp, type TestApp } from "../support/app";
import { startAttempt } from "../support/attempts";
import { csrfFrom, login, tokenFor } from "../support/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const EXPLANATION = "HEAD-ALSO-ONLY-READS";
const gift = (slug: string) => `$CATEGORY: ${slug}

::${slug}-1::Match each HTTP method with what it is.
{
  =GET -> safe and idempotent
  =PUT -> idempotent, not safe
  =HEAD -> safe and idempotent
  = -> safe, not idempotent
  ####GET and ${EXPLANATION}; PUT replaces, so repeating it changes nothing more.
}
`;

/** An instructor's upload, published; the stored ids of the prompts and their answers by text. */
async function publishedBank() {
  const instructor = await createUser(t.prisma, { role: "instructor" });
  const agent = await login(t.app, instructor.email);
  const slug = `m${randomUUID().slice(0, 8)}`;
  const bad = gift(slug).replace("=PUT -> idempotent, not safe", "=PUT idempotent, not safe");
  const refused = await uploadForPreview(agent, `${slug}.gift`, bad);
  expect(refused.status).toBe(400);
  expect(refused.text).toContain(
    `${slug}.gift:6:3: pair &#34;=PUT idempotent, not safe&#34; on line 6 has no &#34;-&gt;&#34;`,
  );
  const preview = await uploadForPreview(agent, `${slug}.gift`, gift(slug));
  expect(preview.status).toBe(200);
  const published = await publishPreview(agent, preview.text);
  expect(published.status).toBe(303);
  const question = await t.prisma.question.findUniqueOrThrow({
    where: { externalId: `${slug}-1` },
    include: { currentVersion: true, bank: true },
  });
  const body = question.currentVersion!.body as {
    prompts: { id: string; md: string; match: string }[];
    matches: { id: string; md: string }[];
  };
  expect(question.currentVersion!.type).toBe("matching");
  const prompt = (md: string) => body.prompts.find((p) => p.md === md)!.id;
  const match = (md: string) => body.matches.find((m) => m.md === md)!.id;
  return { slug, instructor: agent, bankSlug: question.bank.slug, prompt, match, body };
}

async function exam(slug: string, partialCredit: boolean) {
  return publicModuleOver(t.prisma, slug, { title: `Matching ${slug}`, questionCount: 1, partialCredit });
}

describe("a matching question", () => {
  it("is delivered as a select per item without the key, saved by form and autosave, and graded per pair", async () => {
    const bank = await publishedBank();
    const { prompt, match } = bank;
    const partial = await exam(bank.slug, true);
    const learner = await createUser(t.prisma);
    const agent = await login(t.app, learner.email);
    const attemptId = await startAttempt(agent, partial.slug);

    const page = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(page.status).toBe(200);
    const selects = [...page.text.matchAll(/<select id="match_([a-z]+)" name="match_\1"/g)].map((m) => m[1]);
    expect(selects.sort()).toEqual([prompt("GET"), prompt("PUT"), prompt("HEAD")].sort());
    // Every select offers the same four answers in the same (shuffled) order: nothing ties an answer to an item.
    const lists = page.text
      .split('class="match-select"')
      .slice(1)
      .map((s) => [...s.split("</select>")[0]!.matchAll(/<option value="([a-z]*)"/g)].map((m) => m[1]));
    expect(new Set(lists.map((l) => l.join(","))).size).toBe(1);
    expect(lists[0]!.slice(1).sort()).toEqual(bank.body.matches.map((m) => m.id).sort());
    expect(page.text).not.toContain(EXPLANATION);
    expect(page.text).not.toContain(" selected");

    // Without JavaScript: the form posts each select.
    const saved = await agent
      .post(`/attempts/${attemptId}/answers`)
      .type("form")
      .send({
        _csrf: csrfFrom(page.text),
        position: 1,
        seq: 1,
        type: "matching",
        [`match_${prompt("GET")}`]: match("safe and idempotent"),
        [`match_${prompt("PUT")}`]: "",
        go: "stay",
      });
    expect(saved.status).toBe(303);
    const again = await agent.get(`/attempts/${attemptId}?q=1`);
    expect(again.text).toContain(`<option value="${match("safe and idempotent")}" selected>`);
    const stored = await t.prisma.attemptItem.findFirstOrThrow({ where: { attemptId } });
    expect(stored.response).toEqual({
      type: "matching",
      pairs: [{ prompt: prompt("GET"), match: match("safe and idempotent") }],
    });

    // Autosave: two prompts may share an answer; a prompt twice or an id not shown is refused.
    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    const save = (seq: number, pairs: { prompt: string; match: string }[]) =>
      agent
        .post(`/attempts/${attemptId}/answers`)
        .set("x-csrf-token", token)
        .send({ position: 1, seq, flagged: false, response: { type: "matching", pairs } });
    const twice = await save(5, [
      { prompt: prompt("GET"), match: match("safe and idempotent") },
      { prompt: prompt("GET"), match: match("idempotent, not safe") },
    ]);
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe("Choose one answer per prompt.");
    expect((await save(6, [{ prompt: prompt("GET"), match: "zzzzzz" }])).status).toBe(400);
    const ok = await save(7, [
      { prompt: prompt("GET"), match: match("safe and idempotent") },
      { prompt: prompt("HEAD"), match: match("safe and idempotent") },
      { prompt: prompt("PUT"), match: match("safe, not idempotent") },
    ]);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ saved: true });

    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    const result = await agent.get(`/attempts/${attemptId}/result`);
    expect(result.text).toContain("66.7%");
    expect(result.text).toContain('class="reviewed-pairs"');
    expect(result.text).toMatch(
      /<th scope="row">PUT<\/th>\s*<td>safe, not idempotent <span class="mark mark-wrong">wrong<\/span><\/td>\s*<td>idempotent, not safe<\/td>/,
    );
    expect(result.text).toContain(EXPLANATION);

    // Not fully right: a card of the missed question, whose back is the pairs.
    const question = await t.prisma.question.findUniqueOrThrow({ where: { externalId: `${bank.slug}-1` } });
    const card = await t.prisma.reviewItem.findFirstOrThrow({ where: { userId: learner.id, questionId: question.id } });
    expect(card.origin).toBe("missed");
    const review = await agent.get(`/review?topic=${bank.slug}`);
    expect(review.text).toContain("GET → safe and idempotent; PUT → idempotent, not safe; HEAD → safe and idempotent");

    // Statistics count each pair matched right.
    const stats = await bank.instructor.get(`/teach/banks/${bank.bankSlug}`);
    expect(stats.status).toBe(200);
    expect(stats.text).toContain("Matched right");
    expect(stats.text).toMatch(/<td>PUT → idempotent, not safe<\/td><td>correct<\/td><td>0<\/td>/);
    expect(stats.text).toMatch(/<td>GET → safe and idempotent<\/td><td>correct<\/td><td>1<\/td>/);
  });

  it("is right or wrong as a whole when the exam gives no partial credit", async () => {
    const { slug, prompt, match } = await publishedBank();
    const strict = await exam(slug, false);
    const learner = await createUser(t.prisma);
    const agent = await login(t.app, learner.email);
    const attemptId = await startAttempt(agent, strict.slug);
    const token = await tokenFor(agent, `/attempts/${attemptId}`);
    const answer = (pairs: [string, string][]) =>
      agent
        .post(`/attempts/${attemptId}/answers`)
        .set("x-csrf-token", token)
        .send({
          position: 1,
          seq: 2,
          flagged: false,
          response: { type: "matching", pairs: pairs.map(([p, m]) => ({ prompt: prompt(p), match: match(m) })) },
        });
    expect(
      (
        await answer([
          ["GET", "safe and idempotent"],
          ["PUT", "idempotent, not safe"],
          ["HEAD", "safe, not idempotent"],
        ])
      ).status,
    ).toBe(200);
    await agent.post(`/attempts/${attemptId}/submission`).type("form").send({ _csrf: token });
    expect((await agent.get(`/attempts/${attemptId}/result`)).text).toContain("0.0%");

    const second = await startAttempt(agent, strict.slug);
    const token2 = await tokenFor(agent, `/attempts/${second}`);
    const all = [
      ["GET", "safe and idempotent"],
      ["PUT", "idempotent, not safe"],
      ["HEAD", "safe and idempotent"],
    ].map(([p, m]) => ({ prompt: prompt(p!), match: match(m!) }));
    const saved = await agent
      .post(`/attempts/${second}/answers`)
      .set("x-csrf-token", token2)
      .send({ position: 1, seq: 2, flagged: false, response: { type: "matching", pairs: all } });
    expect(saved.status).toBe(200);
    await agent.post(`/attempts/${second}/submission`).type("form").send({ _csrf: token2 });
    expect((await agent.get(`/attempts/${second}/result`)).text).toContain("100.0%");
  });
});
