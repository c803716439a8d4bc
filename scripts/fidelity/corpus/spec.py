import random, html as H, re
from data import *

rng = random.Random(20261206)

def visible(html_text):
    t = re.sub(r"</?(p|br|div|li|ul|ol|tr|td|th|table|thead|tbody|pre|h\d|blockquote|hr)\b[^>]*>", " ", html_text, flags=re.I)
    t = re.sub(r"<[^>]+>", "", t)
    t = H.unescape(t)
    return re.sub(r"\s+", " ", t).strip()

def norm(t):
    return re.sub(r"\s+", " ", t).strip()

class Pool:
    """Hands out table rows in turn, so files do not repeat each other's stems too often."""
    def __init__(self, rows):
        self.rows = list(rows); rng.shuffle(self.rows); self.i = 0
    def take(self):
        r = self.rows[self.i % len(self.rows)]; self.i += 1; return r, self.i // len(self.rows)

pools = {k: Pool(v) for k, v in dict(ports=PORTS, status=STATUS, git=GIT, linux=LINUX, sql=SQL, cx=COMPLEXITY,
        tf=TF, multi=MULTI, matching=MATCHING, essay=ESSAYS, numeric=NUMERIC).items()}

def others(table, right, n, key=lambda r: r[1]):
    cands = [key(r) for r in table if key(r) != right]
    rng.shuffle(cands)
    out = []
    for c in cands:
        if c not in out: out.append(c)
        if len(out) == n: break
    return out

ROUND_WORDS = ["", " (revision)", " (recap)", " (exam style)", " (again)"]

def single_q(feedback=True):
    kind = rng.choice(["ports", "status", "git", "linux", "sql", "cx"])
    (row, rnd) = pools[kind].take()
    sfx = ROUND_WORDS[rnd % len(ROUND_WORDS)]
    if kind == "ports":
        stem = f"Which TCP port does {row[0]} use by default?{sfx}"; right = str(row[1]); wrong = [str(x) for x in others(PORTS, row[1], 3)]
    elif kind == "status":
        stem = f"Which HTTP status code means that {row[0]}?{sfx}"; right = str(row[1]); wrong = [str(x) for x in others(STATUS, row[1], 3)]
    elif kind == "git":
        stem = f"Which command would you use to {row[0]}?{sfx}"; right = row[1]; wrong = others(GIT, row[1], 3)
    elif kind == "linux":
        stem = f"On Linux, which command can {row[0]}?{sfx}"; right = row[1]; wrong = others(LINUX, row[1], 3)
    elif kind == "sql":
        stem = f"Which SQL clause {row[0]}?{sfx}"; right = row[1]; wrong = others(SQL, row[1], 3)
    else:
        stem = f"What is the time complexity of {row[0]}?{sfx}"; right = row[1]; wrong = others(COMPLEXITY, row[1], 3)
    opts = [(right, 100, "Correct." if feedback else "")] + [(w, 0, (f"No, {w} is something else." if feedback and i == 0 else "")) for i, w in enumerate(wrong)]
    rng.shuffle(opts)
    return dict(kind="single", stem=stem, options=opts, general="" if rng.random() < 0.5 else f"The answer is {right}.")

def multi_q(style="equal"):
    (row, rnd) = pools["multi"].take()
    stem, rights, wrongs = row[0] + ROUND_WORDS[rnd % len(ROUND_WORDS)], row[1], row[2]
    n = len(rights)
    w = {2: 50, 3: 33.33333, 4: 25}[n]
    opts = [(r, w, "") for r in rights]
    neg = -100 if style == "harsh" else (-50 if style == "half" else 0)
    opts += [(x, neg, "Not this one." if i == 0 else "") for i, x in enumerate(wrongs)]
    rng.shuffle(opts)
    return dict(kind="multi", stem=stem, options=opts, general="Select every correct option.")

def tf_q():
    (row, rnd) = pools["tf"].take()
    return dict(kind="tf", stem=row[0] + ROUND_WORDS[rnd % len(ROUND_WORDS)], answer=row[1], feedback_wrong=row[2], general="")

def short_q():
    kind = rng.choice(["git", "linux", "sql", "ports"])
    (row, rnd) = pools[kind].take(); sfx = ROUND_WORDS[rnd % len(ROUND_WORDS)]
    if kind == "ports":
        return dict(kind="short", stem=f"Type the default port number of {row[0]}.{sfx}", answers=[(str(row[1]), 100)],
                    accept=[str(row[1])], reject=[str(row[1] + 1)], general="")
    if kind == "sql":
        kw = row[1]
        return dict(kind="short", stem=f"Name the SQL clause that {row[0]}.{sfx}", answers=[(kw, 100)], accept=[kw, kw.lower()], reject=["SELECT"], general="")
    cmd = row[1]; first = cmd.split()[0] if not cmd.startswith("git ") else " ".join(cmd.split()[:2])
    answers = [(cmd, 100)]
    if first != cmd: answers.append((first, 100))
    what = "Git command" if kind == "git" else "command"
    return dict(kind="short", stem=f"Which {what} would you type to {row[0]}?{sfx}", answers=answers,
                accept=[a for a, _ in answers], reject=["echo"], general="")

def numeric_q():
    (row, rnd) = pools["numeric"].take(); sfx = ROUND_WORDS[rnd % len(ROUND_WORDS)]
    v, tol = row[1], row[2]
    rej = v + max(1, tol * 3) if isinstance(v, int) else round(v + tol * 3 + 0.1, 3)
    return dict(kind="numeric", stem=row[0] + sfx, answers=[(v, tol, 100)], accept=[v, v + tol], reject=[rej], general="")

def matching_q():
    (row, rnd) = pools["matching"].take()
    return dict(kind="matching", stem=row[0] + ROUND_WORDS[rnd % len(ROUND_WORDS)], pairs=list(row[1]), general="")

def essay_q():
    (row, rnd) = pools["essay"].take()
    return dict(kind="essay", stem=row[0] + ROUND_WORDS[rnd % len(ROUND_WORDS)], model=row[1], general="")

def gap_q(choice=True):
    kind = rng.choice(["git", "sql"])
    (row, rnd) = pools[kind].take(); sfx = ROUND_WORDS[rnd % len(ROUND_WORDS)].strip()
    if kind == "git":
        before, after = "The command", f"is how you {row[0]}.{(' ' + sfx) if sfx else ''}"
        wrong = others(GIT, row[1], 2)
    else:
        before, after = "The SQL clause", f"{row[0]}.{(' ' + sfx) if sfx else ''}"
        wrong = others(SQL, row[1], 2)
    if choice:
        return dict(kind="gap", stem=f"{before} [[1]] {after}", before=before, after=after, options=[(row[1], 100, "")] + [(w, 0, "") for w in wrong], general="")
    return dict(kind="gap", stem=f"{before} [[1]] {after}", before=before, after=after, accept_answers=[row[1]], accept=[row[1]], reject=["nothing"], general="")

def mixed(n, weights=None):
    weights = weights or dict(single=40, multi=12, tf=15, short=12, numeric=10, matching=4, essay=3, gap=4)
    makers = dict(single=single_q, multi=multi_q, tf=tf_q, short=short_q, numeric=numeric_q, matching=matching_q, essay=essay_q, gap=gap_q)
    kinds = list(weights); ws = [weights[k] for k in kinds]
    return [makers[rng.choices(kinds, ws)[0]]() for _ in range(n)]

# ---- expectations (what Moodle imports, as a learner would see it) ----
def expect(q, stem_visible=None, images=0):
    e = dict(type=q["kind"], stem=norm(stem_visible if stem_visible is not None else q["stem"]))
    k = q["kind"]
    if k in ("single", "multi"):
        e["type"] = "single" if k == "single" else "multiple"
        e["options"] = []
        for (t, f, fb) in q["options"]:
            o = dict(text=norm(t), correct=(f >= 100) if k == "single" else f > 0)
            if k == "multi" or (0 < f < 100): o["weight"] = f
            if fb: o["feedback"] = norm(fb)
            e["options"].append(o)
    elif k == "tf":
        e["type"] = "truefalse"; e["answer"] = q["answer"]
        if q.get("general") or q.get("feedback_wrong"): e["explanation"] = norm(q.get("general") or q["feedback_wrong"])
    elif k == "short":
        e["accept"] = q["accept"]; e["reject"] = q["reject"]
        e["answers"] = [dict(text=a, weight=f) for a, f in q["answers"]]
        if q.get("answer_feedback"): e["answerFeedback"] = q["answer_feedback"]
    elif k == "numeric":
        e["answers"] = [dict(value=v, tolerance=t, weight=f) for v, t, f in q["answers"]]
        e["accept"] = q["accept"]; e["reject"] = q["reject"]
        if q.get("answer_feedback"): e["answerFeedback"] = q["answer_feedback"]
    elif k == "matching":
        e["pairs"] = [dict(prompt=p, match=m) for p, m in q["pairs"]]
    elif k == "essay":
        e["modelAnswer"] = norm(q["model"])
    elif k == "gap":
        e["stem"] = norm(f"{q['before']} [[1]] {q['after']}")
        if "options" in q:
            e["gaps"] = [dict(kind="choice", options=[dict(text=t, correct=f >= 100) for t, f, _ in q["options"]])]
        else:
            e["gaps"] = [dict(kind="text", accept=q["accept"], reject=q["reject"])]
    if q.get("general") and k != "tf": e["explanation"] = norm(q["general"])
    if images: e["images"] = images
    return e
