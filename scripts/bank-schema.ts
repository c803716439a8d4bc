// Writes docs/question-bank.schema.json from the zod schema the importer uses, so the two
// cannot drift: `npm run docs:schema`.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { bankFile } from "../src/modules/banks/formats/native-yaml.schema";

const schema = z.toJSONSchema(bankFile, { io: "input", unrepresentable: "any" });
const doc = {
  $id: "https://stackprep.dev/schemas/question-bank-1.json",
  title: "Stackprep question bank (stackprep-bank/1)",
  ...schema,
};
writeFileSync(path.resolve(__dirname, "../docs/question-bank.schema.json"), `${JSON.stringify(doc, null, 2)}\n`);
console.log("wrote docs/question-bank.schema.json");
