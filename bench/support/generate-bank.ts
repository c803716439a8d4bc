// A deterministic generator of native-format banks that look like the shipped ones:
// the same mix of question types, about 30% of stems with a fenced code block, two or
// three sentences of explanation, tags and references, 15 top-level topics.
export type GeneratedBank = { slug: string; fileName: string; text: string; questions: number };
export type GeneratedStats = {
  banks: number;
  questions: number;
  bytes: number;
  byType: Record<string, number>;
  withCode: number;
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

const TYPES: [string, number][] = [
  ["single", 0.61],
  ["multiple", 0.09],
  ["truefalse", 0.12],
  ["numeric", 0.09],
  ["short", 0.05],
  ["ordering", 0.04],
];

function chooseType(r: Rand): string {
  let x = r();
  for (const [type, weight] of TYPES) if ((x -= weight) < 0) return type;
  return "single";
}

const quote = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
const block = (text: string, indent: string) => `|\n${text.replace(/^/gm, indent)}\n`;

function question(r: Rand, slug: string, sub: string, langs: string[], n: number, stats: GeneratedStats): string {
  const type = chooseType(r);
  stats.byType[type] = (stats.byType[type] ?? 0) + 1;
  let stem =
    type === "truefalse"
      ? `${sentence(r, 10, 22)} (statement ${n})`
      : `${sentence(r, 10, 24)} Which ${pick(r, WORDS)} ${pick(r, VERBS)} the ${pick(r, WORDS)} in case ${n}?`;
  if (r() < 0.3) {
    const lang = pick(r, langs);
    stem += `\n\n\`\`\`${lang}\n${code(r, lang, n)}\n\`\`\``;
    stats.withCode += 1;
  }
  const explanation = Array.from({ length: int(r, 2, 3) }, () => sentence(r, 10, 22)).join(" ");
  const tags = Array.from({ length: int(r, 1, 3) }, () => pick(r, WORDS));
  let out =
    `  - id: ${slug}-${String(n).padStart(6, "0")}\n` +
    `    topic: ${slug}/${sub}\n` +
    `    type: ${type}\n` +
    `    difficulty: ${int(r, 1, 3)}\n` +
    `    tags: [${[...new Set(tags)].join(", ")}]\n` +
    `    stem: ${block(stem, "      ")}`;
  switch (type) {
    case "single":
    case "multiple": {
      const count = type === "single" ? 4 : int(r, 4, 6);
      const correct = new Set<number>(type === "single" ? [int(r, 0, 3)] : [0, int(r, 1, count - 1)]);
      out += "    options:\n";
      for (let i = 0; i < count; i += 1) {
        out += `      - text: ${quote(`${phrase(r, 5, 12)} (${String.fromCharCode(97 + i)})`)}\n`;
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
  }
  out += `    explanation: ${block(explanation, "      ")}`;
  if (r() < 0.7)
    out += `    references: [${quote(`RFC ${int(r, 1000, 9999)}, section ${int(r, 1, 9)}.${int(r, 1, 9)}`)}]\n`;
  return `${out}\n`;
}

/** `questions` questions over max(15, ceil(questions / 20,000)) banks, one file each. */
export function generateBanks(questions: number, seed = 20261121): { banks: GeneratedBank[]; stats: GeneratedStats } {
  const r = rng(seed);
  const count = Math.max(AREAS.length, Math.ceil(questions / MAX_PER_FILE));
  const stats: GeneratedStats = { banks: count, questions, bytes: 0, byType: {}, withCode: 0 };
  const banks: GeneratedBank[] = [];
  let n = 0;
  for (let b = 0; b < count; b += 1) {
    const [area, title, subs, langs] = AREAS[b % AREAS.length]!;
    const slug = `bench-${area}${b >= AREAS.length ? `-${Math.floor(b / AREAS.length)}` : ""}`;
    const here = Math.floor(questions / count) + (b < questions % count ? 1 : 0);
    const parts = [
      `format: stackprep-bank/1\nbank:\n  slug: ${slug}\n  title: ${quote(`${title} (benchmark)`)}\n` +
        `  description: Generated by bench/import.ts.\n  licence: CC0-1.0\ntopics:\n  ${slug}: ${quote(title)}\n` +
        subs.map((s) => `  ${slug}/${s}: ${quote(s.replace(/-/g, " "))}\n`).join("") +
        (here ? "questions:\n" : "questions: []\n"),
    ];
    for (let i = 0; i < here; i += 1) parts.push(question(r, slug, pick(r, subs), langs, (n += 1), stats));
    parts.push("cards: []\n");
    const text = parts.join("");
    stats.bytes += Buffer.byteLength(text);
    banks.push({ slug, fileName: `${slug}.yaml`, text, questions: here });
  }
  return { banks, stats };
}
