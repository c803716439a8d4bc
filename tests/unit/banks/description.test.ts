// Descriptions (text without an answer block) are no questions: their text is the intro of
// the questions after it, up to the next description or category, and it survives the YAML
// and GIFT exports and a version's stored body.
import { exportNativeYaml } from "../../../src/modules/banks/export";
import { exportGift, parseGift } from "../../../src/modules/banks/formats/gift";
import { parseNativeYaml } from "../../../src/modules/banks/formats/native-yaml";
import type { ParseResult } from "../../../src/modules/banks/model";
import { questionContentHash, versionContent } from "../../../src/modules/banks/normalise";

const options = (file: string) => ({ file, slug: "ds", title: "Descriptions", defaultTopic: "general" });
const ok = (result: ParseResult) => {
  if (!result.ok) throw new Error(`expected a bank, got ${JSON.stringify(result.errors)}`);
  return result;
};
const strip = (bank: { questions: { position: unknown }[] }) => bank.questions.map(({ position: _p, ...q }) => q);

const GIFT = `$CATEGORY: sql

::users-table::[markdown]The next questions use the table \`users(id, email)\`.

::ds-1::Is id a key? {T}

::ds-2::Can two users share an email? {F}

The orders questions follow.

::ds-3::Is an order a user? {F}

$CATEGORY: sql

::ds-4::Does SQL have NULL? {T}
`;

describe("descriptions", () => {
  it("introduce the questions after them and are never counted as questions", () => {
    const { bank, warnings } = ok(parseGift(GIFT, options("d.gift")));
    expect(warnings).toEqual([]);
    expect(bank.questions.map((q) => [q.externalId, q.intro])).toEqual([
      ["ds-1", "The next questions use the table `users(id, email)`."],
      ["ds-2", "The next questions use the table `users(id, email)`."],
      ["ds-3", "The orders questions follow."],
      ["ds-4", undefined],
    ]);
  });

  it("are stored with the question, rendered, and change its hash only when present", () => {
    const { bank } = ok(parseGift(GIFT, options("d.gift")));
    const [q1, , , q4] = bank.questions;
    const content = versionContent(q1!, []);
    expect(content.body).toMatchObject({
      answer: true,
      intro: {
        md: "The next questions use the table `users(id, email)`.",
        html: expect.stringContaining("<code>users(id, email)</code>"),
      },
    });
    expect(versionContent(q4!, []).body).toEqual({ answer: true });
    expect(questionContentHash({ ...q1!, intro: undefined })).not.toBe(questionContentHash(q1!));
  });

  it("survive the GIFT and YAML exports", () => {
    const { bank } = ok(parseGift(GIFT, options("d.gift")));
    const gift = exportGift(bank);
    expect(gift.match(/users\\\(id, email\)|users\(id, email\)/g)).toHaveLength(1);
    expect(strip(ok(parseGift(gift, options("again.gift"))).bank)).toEqual(strip(bank));
    const yaml = exportNativeYaml({
      ...bank,
      slug: "sql",
      topics: [{ path: "sql", title: "SQL" }],
      questions: bank.questions.map((q) => ({ ...q, explanation: "Because." })),
    });
    expect(yaml).toContain("intro: The next questions use the table `users(id, email)`.");
    const again = ok(parseNativeYaml(yaml, { file: "again.yaml" })).bank;
    expect(again.questions.map((q) => q.intro)).toEqual(bank.questions.map((q) => q.intro));
  });
});
