// A deterministic generator of banks that look like the shipped ones and like what instructors
// bring: the shipped mix of question types plus matching, gap (missing word) and essay
// questions, descriptions introducing some questions, about 30% of stems with a fenced code
// block, two or three sentences of explanation, tags and references, 15 top-level topics.
// With `withRejects`, some questions cannot be imported and a lenient import must leave them
// out and bring in the rest (one bad question never blocks the others): in the native files a
// NUL character in an option and an id that another file already uses; and a GIFT file (a
// Moodle export, 1% of the questions) with weights that are not numbers and answer blocks
// that are never closed, between good questions of every type and descriptions.
export type GeneratedBank = { slug: string; fileName: string; text: string; questions: number };
export type GeneratedStats = {
  banks: number;
  /** Questions in the files, the bad ones included. */
  questions: number;
  /** Of them, the ones a lenient import leaves out. */
  rejected: number;
  bytes: number;
  byType: Record<string, number>;
  withCode: number;
  /** Descriptions: a native question's intro, or a GIFT text block without answers (it introduces the questions after it). */
  descriptions: number;
};

/** One file may hold at most 20,000 questions (formats/native-yaml.ts). */
export const MAX_PER_FILE = 20_000;

const AREAS: [string, string, string[], string[]][] = [
  ["http", "HTTP and the web", ["methods", "status", "caching", "headers", "cookies", "tls"], ["http", "sh"]],
  ["sql", "SQL", ["joins", "aggregation", "window-functions", "indexes", "transactions", "ctes"], ["sql"]],
  ["auth", "Authentication", ["sessions", "passwords", "mfa", "jwt", "oauth", "oidc"], ["http", "js"]],
  ["git", "Git", ["basics", "branching", "rebasing", "remotes", "history", "hooks"], ["sh"]],
  ["testing", "Testing", ["unit", "integration", "mocking", "coverage", "property", "e2e"], ["python", "ts", "java"]],
  ["linux", "Linux and networking", ["processes", "files", "dns", "tcp", "sockets", "shell"], ["sh"]],
  ["nosql", "NoSQL and caching", ["redis", "documents", "wide-column", "eviction", "ttl", "consistency"], ["js", "sh"]],
  [
    "rest",
    "REST API design",
    ["resources", "pagination", "versioning", "errors", "idempotency", "hateoas"],
    ["http", "json"],
  ],
  ["security", "Web security", ["xss", "csrf", "injection", "cors", "headers", "secrets"], ["js", "python", "http"]],
  [
    "cloud",
    "Cloud and deployment",
    ["containers", "kubernetes", "ci", "observability", "iac", "scaling"],
    ["yaml", "sh"],
  ],
  [
    "dsa",
    "Data structures and algorithms",
    ["arrays", "hashing", "trees", "graphs", "sorting", "complexity"],
    ["python", "java"],
  ],
  [
    "languages",
    "Programming languages",
    ["types", "closures", "concurrency", "memory", "errors", "generics"],
    ["ts", "python", "java"],
  ],
  [
    "frameworks",
    "Back-end frameworks",
    ["routing", "middleware", "orm", "validation", "templating", "di"],
    ["ts", "python"],
  ],
  [
    "scalability",
    "Scalability",
    ["queues", "sharding", "replication", "load-balancing", "backpressure", "cdn"],
    ["sh", "yaml"],
  ],
  [
    "design",
    "Database design",
    ["normalisation", "keys", "constraints", "modelling", "migrations", "partitioning"],
    ["sql"],
  ],
];

const WORDS = (
  "request response server client cache header cookie token session query index table row column " +
  "transaction lock commit rollback replica primary shard queue worker thread process socket packet " +
  "latency throughput timeout retry backoff idempotent handler route middleware schema migration " +
  "constraint key value store document collection partition cluster node pod container image volume " +
  "secret certificate origin policy scope claim signature hash salt nonce branch commit merge rebase " +
  "remote tag stash hook test mock stub fixture assertion coverage runner build pipeline deploy " +
  "rollout probe metric trace log alert budget error status method payload body stream buffer " +
  "closure generic interface type compiler runtime garbage allocation pointer reference iterator " +
  "array list map set tree graph heap stack sort search recursion complexity boundary invariant"
).split(" ");
const VERBS =
  "returns keeps sends stores rejects retries validates caches locks commits reads writes blocks drops".split(" ");
const ADJ = "stale fresh safe unsafe idempotent concurrent durable eventual strict lenient partial atomic".split(" ");

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

function phrase(r: Rand, min: number, max: number): string {
  const n = int(r, min, max);
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const w = i % 4 === 1 ? pick(r, VERBS) : i % 5 === 3 ? pick(r, ADJ) : pick(r, WORDS);
    const roll = r();
    out.push(roll < 0.06 ? `\`${w}\`` : roll < 0.08 ? `**${w}**` : roll < 0.09 ? `*${w}*` : w);
  }
  return out.join(" ");
}

const sentence = (r: Rand, min = 8, max = 18) => {
  const p = phrase(r, min, max);
  return `${p[0] === "`" || p[0] === "*" ? p : p[0]!.toUpperCase() + p.slice(1)}.`;
};

function code(r: Rand, lang: string, n: number): string {
  const id = pick(r, WORDS);
  const other = pick(r, WORDS);
  switch (lang) {
    case "sql":
      return `SELECT ${id}.id, ${id}.total, ${other}.name\nFROM ${id}s ${id}\nJOIN ${other}s ${other} ON ${other}.id = ${id}.${other}_id\nWHERE ${id}.status = 'paid' AND ${id}.total > ${n % 997}\nGROUP BY ${id}.id, ${other}.name\nORDER BY ${id}.created_at DESC\nLIMIT ${int(r, 5, 50)};`;
    case "python":
      return `def ${id}_${other}(items, limit=${n % 97}):\n    seen = {}\n    for i, item in enumerate(items):\n        if item in seen and i - seen[item] <= limit:\n            return True\n        seen[item] = i\n    return False\n\nprint(${id}_${other}([1, 2, 3, 1], ${int(r, 1, 9)}))`;
    case "http":
      return `GET /api/${id}s/${n}?expand=${other} HTTP/1.1\nHost: api.example.com\nAccept: application/json\nIf-None-Match: "${(n * 2654435761) % 1e8}"\nCache-Control: max-age=${int(r, 0, 3600)}`;
    case "sh":
      return `set -euo pipefail\nfor f in ./${id}/*.log; do\n  grep -c "${other}" "$f" | sort -n | tail -${int(r, 1, 9)}\ndone\ngit log --oneline -n ${n % 50} -- src/${id}`;
    case "js":
      return `const ${id} = new Map();\nasync function ${other}(key) {\n  if (${id}.has(key)) return ${id}.get(key);\n  const value = await fetch(\`/api/\${key}\`).then((r) => r.json());\n  ${id}.set(key, value);\n  setTimeout(() => ${id}.delete(key), ${n % 10_000});\n  return value;\n}`;
    case "ts":
      return `interface ${id[0]!.toUpperCase()}${id.slice(1)} {\n  id: string;\n  ${other}: number;\n}\n\nexport function total(xs: readonly ${id[0]!.toUpperCase()}${id.slice(1)}[]): number {\n  return xs.reduce((sum, x) => sum + x.${other} * ${n % 13}, 0);\n}`;
    case "java":
      return `public final class ${id[0]!.toUpperCase()}${id.slice(1)}Service {\n  private final Map<String, Integer> ${other} = new ConcurrentHashMap<>();\n\n  public int next(String key) {\n    return ${other}.merge(key, ${(n % 7) + 1}, Integer::sum);\n  }\n}`;
    case "yaml":
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${id}-${other}\nspec:\n  replicas: ${int(r, 1, 9)}\n  template:\n    spec:\n      containers:\n        - name: ${id}\n          image: registry.example.com/${id}:${n % 100}`;
    default:
      return `{\n  "${id}": ${n},\n  "${other}": [${int(r, 1, 9)}, ${int(r, 1, 9)}],\n  "status": "ok"\n}`;
  }
}

// The shipped banks' mix, with room made for the types Moodle exports carry (matching,
// missing word, essay): what an instructor's bank looks like once imported.
const TYPES: [string, number][] = [
  ["single", 0.55],
  ["multiple", 0.08],
  ["truefalse", 0.11],
  ["numeric", 0.08],
  ["short", 0.05],
  ["ordering", 0.04],
  ["matching", 0.04],
  ["gap", 0.04],
  ["essay", 0.01],
];
/** Questions introduced by a description. */
const INTRO_SHARE = 0.02;

function chooseType(r: Rand): string {
  let x = r();
  for (const [type, weight] of TYPES) if ((x -= weight) < 0) return type;
  return "single";
}

const quote = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
const block = (text: string, indent: string) => `|\n${text.replace(/^/gm, indent)}\n`;

type Bad = "nul" | "duplicate-id";

function question(
  r: Rand,
  slug: string,
  sub: string,
  langs: string[],
  n: number,
  stats: GeneratedStats,
  bad?: { kind: Bad; id?: string },
): string {
  const type = bad ? "single" : chooseType(r);
  stats.byType[type] = (stats.byType[type] ?? 0) + 1;
  let stem =
    type === "truefalse"
      ? `${sentence(r, 10, 22)} (statement ${n})`
      : type === "gap"
        ? `${sentence(r, 8, 16)} In case ${n} the ${pick(r, WORDS)} [[1]] the ${pick(r, WORDS)}` +
          (r() < 0.3 ? `, and the ${pick(r, WORDS)} [[2]] it.` : ".")
        : type === "essay"
          ? `${sentence(r, 10, 24)} Explain how the ${pick(r, WORDS)} ${pick(r, VERBS)} the ${pick(r, WORDS)} in case ${n}.`
          : `${sentence(r, 10, 24)} Which ${pick(r, WORDS)} ${pick(r, VERBS)} the ${pick(r, WORDS)} in case ${n}?`;
  if (r() < 0.3) {
    const lang = pick(r, langs);
    stem += `\n\n\`\`\`${lang}\n${code(r, lang, n)}\n\`\`\``;
    stats.withCode += 1;
  }
  const explanation = Array.from({ length: int(r, 2, 3) }, () => sentence(r, 10, 22)).join(" ");
  const tags = Array.from({ length: int(r, 1, 3) }, () => pick(r, WORDS));
  const intro = r() < INTRO_SHARE ? `${sentence(r, 12, 30)} ${sentence(r, 8, 20)}` : undefined;
  if (intro) stats.descriptions += 1;
  let out =
    `  - id: ${bad?.id ?? `${slug}-${String(n).padStart(6, "0")}`}\n` +
    `    topic: ${slug}/${sub}\n` +
    `    type: ${type}\n` +
    `    difficulty: ${int(r, 1, 3)}\n` +
    `    tags: [${[...new Set(tags)].join(", ")}]\n` +
    (intro ? `    intro: ${quote(intro)}\n` : "") +
    `    stem: ${block(stem, "      ")}`;
  switch (type) {
    case "single":
    case "multiple": {
      const count = type === "single" ? 4 : int(r, 4, 6);
      const correct = new Set<number>(type === "single" ? [int(r, 0, 3)] : [0, int(r, 1, count - 1)]);
      out += "    options:\n";
      for (let i = 0; i < count; i += 1) {
        // A NUL (written "\0" in a double-quoted scalar): PostgreSQL text cannot hold it.
        const nul = bad?.kind === "nul" && i === 1 ? "\\0" : "";
        out += `      - text: ${quote(`${phrase(r, 5, 12)} (${String.fromCharCode(97 + i)})`).slice(0, -1)}${nul}"\n`;
        if (correct.has(i)) out += "        correct: true\n";
        if (r() < 0.05) out += `        feedback: ${quote(sentence(r, 6, 12))}\n`;
      }
      break;
    }
    case "truefalse":
      out += `    answer: ${r() < 0.5}\n`;
      break;
    case "numeric":
      out += `    answer: { value: ${int(r, 1, 65_535)}, tolerance: ${pick(r, [0, 0, 0, 1, 5])} }\n`;
      if (r() < 0.3) out += `    unit: ${pick(r, ["ms", "bytes", "seconds", "requests"])}\n`;
      break;
    case "short":
      out += `    accept: [${quote(pick(r, WORDS).toUpperCase())}, ${quote(pick(r, WORDS))}]\n`;
      break;
    case "ordering":
      out += "    items:\n";
      for (let i = 0, k = int(r, 3, 6); i < k; i += 1) out += `      - ${quote(`${phrase(r, 4, 9)} (${i + 1})`)}\n`;
      break;
    case "matching": {
      out += "    pairs:\n";
      const k = int(r, 3, 6);
      for (let i = 0; i < k; i += 1)
        out +=
          `      - prompt: ${quote(`${phrase(r, 3, 8)} (${i + 1})`)}\n` +
          `        match: ${quote(`${pick(r, WORDS)} ${pick(r, ADJ)} ${i + 1}`)}\n`;
      if (r() < 0.4) out += `    distractors: [${quote(`${pick(r, WORDS)} ${pick(r, ADJ)} 0`)}]\n`;
      break;
    }
    case "gap": {
      out += "    gaps:\n";
      for (let g = 0, k = stem.includes("[[2]]") ? 2 : 1; g < k; g += 1) {
        if (r() < 0.6) {
          out += "      - options:\n";
          const right = int(r, 0, 2);
          for (let i = 0; i < 3; i += 1)
            out += `          - text: ${quote(`${pick(r, VERBS)} ${i}`)}\n${i === right ? "            correct: true\n" : ""}`;
        } else out += `      - accept: [${quote(pick(r, VERBS))}, ${quote(pick(r, VERBS).toUpperCase())}]\n`;
      }
      break;
    }
    case "essay":
      out += `    modelAnswer: ${block(`${sentence(r, 12, 24)} ${sentence(r, 12, 24)}\n\n- ${phrase(r, 4, 9)}\n- ${phrase(r, 4, 9)}`, "      ")}`;
      break;
  }
  out += `    explanation: ${block(explanation, "      ")}`;
  if (r() < 0.7)
    out += `    references: [${quote(`RFC ${int(r, 1000, 9999)}, section ${int(r, 1, 9)}.${int(r, 1, 9)}`)}]\n`;
  return `${out}\n`;
}

/** One native question in this many is bad (NUL) in a `withRejects` run; and one per file after the first reuses an id. */
const NUL_EVERY = 1_000;
/** A GIFT question in this many is bad (alternately a weight that is not a number, an answer block never closed). */
const GIFT_BAD_EVERY = 40;

const gift = (text: string) => text.replace(/[~=#{}:]/g, "\\$&");

/** One GIFT question (a Moodle export's), or a bad one; sometimes after a description. */
function giftQuestion(r: Rand, n: number, stats: GeneratedStats, bad: "weight" | "unclosed" | undefined): string {
  const type = bad ? "single" : chooseType(r);
  stats.byType[type] = (stats.byType[type] ?? 0) + 1;
  const title = `::q${String(n).padStart(6, "0")}::`;
  const lead = gift(`${sentence(r, 10, 22)} Which ${pick(r, WORDS)} ${pick(r, VERBS)} in case ${n}?`);
  const feedback = ` ####${gift(sentence(r, 10, 20))}`;
  let out = "";
  if (r() < INTRO_SHARE) {
    out += `${gift(`${sentence(r, 12, 30)} ${sentence(r, 8, 20)}`)}\n\n`;
    stats.descriptions += 1;
  }
  const option = () => gift(`${phrase(r, 3, 8)}`);
  switch (type) {
    case "single": {
      const wrong = bad === "weight" ? `~%abc%${option()}` : `~${option()}`;
      const body = `{=${option()} (a) ${wrong} (b) ~${option()} (c) ~${option()} (d)${feedback}`;
      return `${out}${title}${lead} ${bad === "unclosed" ? body.replace(/ ####.*$/, "") : `${body}}`}\n\n`;
    }
    case "multiple":
      return `${out}${title}${lead} {~%50%${option()} (a) ~%50%${option()} (b) ~%-100%${option()} (c) ~%-100%${option()} (d)${feedback}}\n\n`;
    case "truefalse":
      return `${out}${title}${gift(sentence(r, 10, 22))} (statement ${n}) {${r() < 0.5 ? "T" : "F"}${feedback}}\n\n`;
    case "numeric":
      return `${out}${title}${lead} {#${int(r, 1, 65_535)}:${pick(r, [0, 1, 5])}${feedback}}\n\n`;
    case "short":
    case "ordering": // GIFT has no ordering: an instructor's export holds short answers there
      return `${out}${title}${lead} {=${pick(r, WORDS)} =${pick(r, WORDS).toUpperCase()}${feedback}}\n\n`;
    case "matching": {
      const k = int(r, 3, 5);
      const pairs = Array.from(
        { length: k },
        (_, i) => `=${gift(phrase(r, 3, 6))} (${i + 1}) -> ${pick(r, WORDS)} ${i + 1}`,
      );
      return `${out}${title}${gift(sentence(r, 8, 16))} Match each item in case ${n}. {${pairs.join(" ")}${feedback}}\n\n`;
    }
    case "gap":
      return `${out}${title}${gift(sentence(r, 8, 16))} In case ${n} the ${pick(r, WORDS)} {=${pick(r, VERBS)} ~${pick(r, ADJ)} ~${pick(r, WORDS)}${feedback}} the ${pick(r, WORDS)}.\n\n`;
    default: // essay: the general feedback is the model answer
      return `${out}${title}${gift(sentence(r, 10, 22))} Explain case ${n}. {####${gift(`${sentence(r, 12, 24)} ${sentence(r, 12, 24)}`)}}\n\n`;
  }
}

/**
 * `questions` questions over max(15, ceil(questions / 20,000)) native banks, one file each;
 * with `withRejects`, 1% of them in a GIFT file instead, and some bad (see the top of the file).
 */
export function generateBanks(
  questions: number,
  options: { seed?: number; withRejects?: boolean } = {},
): { banks: GeneratedBank[]; stats: GeneratedStats } {
  const { seed = 20261121, withRejects = false } = options;
  const r = rng(seed);
  const inGift = withRejects ? Math.floor(questions / 100) : 0;
  const native = questions - inGift;
  const count = Math.max(AREAS.length, Math.ceil(native / MAX_PER_FILE));
  const stats: GeneratedStats = {
    banks: count + (inGift ? 1 : 0),
    questions,
    rejected: 0,
    bytes: 0,
    byType: {},
    withCode: 0,
    descriptions: 0,
  };
  const banks: GeneratedBank[] = [];
  let n = 0;
  let firstId: string | undefined; // of the bank before: the next one reuses it
  for (let b = 0; b < count; b += 1) {
    const [area, title, subs, langs] = AREAS[b % AREAS.length]!;
    const slug = `bench-${area}${b >= AREAS.length ? `-${Math.floor(b / AREAS.length)}` : ""}`;
    const here = Math.floor(native / count) + (b < native % count ? 1 : 0);
    const parts = [
      `format: stackprep-bank/1\nbank:\n  slug: ${slug}\n  title: ${quote(`${title} (benchmark)`)}\n` +
        `  description: Generated by bench/import.ts.\n  licence: CC0-1.0\ntopics:\n  ${slug}: ${quote(title)}\n` +
        subs.map((s) => `  ${slug}/${s}: ${quote(s.replace(/-/g, " "))}\n`).join("") +
        (here ? "questions:\n" : "questions: []\n"),
    ];
    const reuse = withRejects && firstId && here > 1 ? firstId : undefined;
    firstId = undefined;
    for (let i = 0; i < here; i += 1) {
      n += 1;
      const bad =
        reuse && i === here - 1
          ? { kind: "duplicate-id" as const, id: reuse }
          : withRejects && n % NUL_EVERY === 0
            ? { kind: "nul" as const }
            : undefined;
      if (bad) stats.rejected += 1;
      else firstId ??= `${slug}-${String(n).padStart(6, "0")}`;
      parts.push(question(r, slug, pick(r, subs), langs, n, stats, bad));
    }
    parts.push("cards: []\n");
    const text = parts.join("");
    stats.bytes += Buffer.byteLength(text);
    banks.push({ slug, fileName: `${slug}.yaml`, text, questions: here });
  }
  if (inGift) {
    const parts = ["// A Moodle export (generated by bench/import.ts).\n$CATEGORY: $course$/top/Moodle export\n\n"];
    for (let i = 1; i <= inGift; i += 1) {
      const bad = i % GIFT_BAD_EVERY === 0 ? (i % (2 * GIFT_BAD_EVERY) === 0 ? "unclosed" : "weight") : undefined;
      if (bad) stats.rejected += 1;
      parts.push(giftQuestion(r, (n += 1), stats, bad));
    }
    const text = parts.join("");
    stats.bytes += Buffer.byteLength(text);
    banks.push({ slug: "bench-moodle", fileName: "bench-moodle.gift", text, questions: inGift });
  }
  return { banks, stats };
}
