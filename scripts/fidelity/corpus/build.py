# Writes the import-fidelity corpus and its manifest (what Moodle imports from each file):
#   python3 scripts/fidelity/corpus/build.py tests/fixtures/real-world
# Seeded, so it writes the same bytes every time. Questions come from the fact tables in
# data.py, written in each format's shapes by writers.py; the awkward cases are written out by
# hand below. See docs/question-bank-format.md, "Import fidelity against Moodle".
import json, os, gzip, base64, struct, zlib, re, sys
from writers import *

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
manifest = []

def line_of(text, needle):
    i = text.index(needle)
    return text.count("\n", 0, i) + 1

def write(name, fmt, text, questions_exp, note, moodle=None, encoding="utf-8", bom=False, crlf=False, refused=(), file_error=None, raw=None, not_ours=0):
    data = raw
    if data is None:
        t = text.replace("\n", "\r\n") if crlf else text
        data = t.encode(encoding)
        if bom: data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding] + data
    os.makedirs(os.path.dirname(os.path.join(OUT, name)), exist_ok=True)
    with open(os.path.join(OUT, name), "wb") as f: f.write(data)
    m = len(questions_exp) + not_ours if moodle is None else moodle
    manifest.append(dict(file=name, format=fmt, note=note, moodle=m, questions=questions_exp,
                         refused=[dict(line=l, message=msg) for l, msg in refused], **({"fileError": file_error} if file_error else {})))

# ---------------- GIFT ----------------
def gift_set(name, qs, o, note, category=None, header="", crlf=False, bom=False, encoding="utf-8", extra=None, tag_visible=None):
    text = gift_file(qs, o, header=header, category=category, extra_blocks=extra)
    write(name, "gift", text, [expect(q) for q in qs], note, crlf=crlf, bom=bom, encoding=encoding)
    return text

gift_set("gift/week01-networking.gift", mixed(14, dict(single=6, tf=3, short=2, numeric=3)), dict(title_fmt="W1-Q{n}"),
         "titles, a category with $course$/top, inline answer blocks", category="$course$/top/Networking",
         header="// Week 1 quiz - networking basics\n// exported for the new platform\n")
gift_set("gift/week02-http.gift", mixed(16, dict(single=7, multi=3, tf=3, numeric=3)), dict(title_fmt="http {n}", layout="lines"),
         "answers on lines of their own, feedback, weights, Windows line endings and a UTF-8 BOM", category="$course$/top/Web/HTTP", crlf=True, bom=True)
gift_set("gift/sql-basics.gift", mixed(18, dict(single=8, short=4, tf=3, multi=3)), dict(),
         "no titles, no category", header="// SQL basics, first half of the term\n")
gift_set("gift/html-tagged.gift", mixed(12, dict(single=6, multi=2, tf=2, essay=2)), dict(tag="[html]", title_fmt="html-{n}"),
         "[html] questions as Moodle's GIFT export writes them", category="$course$/top/Default for Backend 101")
gift_set("gift/moodle-export.gift", mixed(20, dict(single=8, multi=3, tf=3, short=3, numeric=3)), dict(tag="[html]", title_fmt="Question {n}", moodle_comments=True, tf_long=True),
         "Moodle's own GIFT export: // question: comments, [html] text, TRUE/FALSE", category="$course$/top/Default for BE-2023/Week 3",
         header="// question: 0  name: Switch category to $course$/top/Default for BE-2023/Week 3")
gift_set("gift/git-practice.gift", mixed(15, dict(single=6, short=5, gap=4)), dict(title_fmt="git-{n}", layout="lines"),
         "short answers with several accepted texts, missing-word questions", category="Git")
gift_set("gift/matching-and-essays.gift", mixed(10, dict(matching=5, essay=3, single=2)), dict(title_fmt="m{n}"),
         "matching pairs, essays with model answers", category="$course$/top/Review")
gift_set("gift/numeric-drill.gift", mixed(12, dict(numeric=12)), dict(layout="lines"), "numeric answers with tolerances", category="$course$/top/Numbers")
gift_set("gift/markdown-tagged.gift", mixed(10, dict(single=5, tf=3, short=2)), dict(tag="[markdown]", title_fmt="md{n}"), "[markdown] tags", crlf=True)
gift_set("gift/moodle-tagged.gift", mixed(10, dict(single=5, tf=3, numeric=2)), dict(tag="[moodle]"), "[moodle] auto-format tags")

# Hand-written GIFT with the escapes, tags and block shapes instructors use.
hand = r"""// Mixed bag of questions from several years of the course.
// Note: some of these were pasted from the old Moodle site.

$CATEGORY: $course$/top/Mixed/Escapes

::esc-css::In CSS, what does the rule a \{ color\: red; \} change?{
=The text colour of links#Right: it sets the colour of every a element.
~The background of links#No, that would be background-color.
~The border of links
}

::esc-url::The URL http\://localhost\:8080/api uses which port?{#8080}

::esc-hash::Which of these languages has "\#" in its name?{=C\# ~Go ~Rust ~Kotlin}

::esc-eq::In most languages, what does a \=\= b compare?{=The values of a and b ~Their memory addresses only ~Nothing: it assigns b to a}

::esc-tilde::In a shell, what does \~ stand for?{=The home directory ~The root directory ~The previous directory}

::esc-newline::Read the two lines:\nfirst line\nsecond line\nHow many lines are there?{#3}

::plain-init::[plain]In Python, what is the method __init__ for?{=Initialising a new object ~Deleting an object ~Comparing two objects}

::plain-xsd::[plain]Which XML Schema element requires child elements in a fixed order: <xs:sequence> or <xs:all>?{=<xs:sequence> ~<xs:all> ~<xs:choice>}

::plain-star::[plain]In Python, what does *args collect in def f(*args)?{=Extra positional arguments ~Extra keyword arguments ~Nothing: it is a pointer}

::markdown-code::[markdown]What does this Python code print?
```python
print(len("abc"))
```
{#3}

::moodle-breaks::[moodle]Look at the request line:
GET /users/42 HTTP/1.1
Which HTTP method is used?{=GET ~POST ~PUT}

::missing-1::The {=DELETE ~DROP ~REMOVE} statement removes rows from a table.

::missing-2::The HTTP header {=Content-Type ~Content-Length ~Accept} tells the server how the body is encoded.

::missing-3::Port {=443} is the default port for HTTPS.

::num-range::What is the value of pi (between 3.14 and 3.15)?{#3.14..3.15}

::num-several::In which year was the first version of HTTP/1.1 published (RFC 2068)?{#
=1997:0#Correct, January 1997.
=%50%1999:0#That is RFC 2616, the revised version.
~#Look up RFC 2068.
}

::partial-multi::Which of these are HTTP methods?{
~%33.33333%GET
~%33.33333%HEAD
~%33.33333%OPTIONS
~%-100%FETCH#No: FETCH is not a method.
}

::half-credit::Which command shows the last commits of a repository?{
=git log
~%50%git show#Shows only one commit by default.
~git status
~git init
}

::all-above::Which of these are valid HTTP status classes?{
~2xx
~3xx
~5xx
=All of the above
}

::colours::Which colour does a terminal usually use for errors?{=Red ~Green ~Blue}

// The next one was never finished by its author:
::broken-1::Which command lists files?{=ls ~dir ~list

::after-broken::Which command prints the working directory?{=pwd ~cwd ~where}
"""
hand_exp = [
 dict(type="single", stem="In CSS, what does the rule a { color: red; } change?", options=[dict(text="The text colour of links", correct=True, feedback="Right: it sets the colour of every a element."), dict(text="The background of links", correct=False, feedback="No, that would be background-color."), dict(text="The border of links", correct=False)]),
 dict(type="numeric", stem="The URL http://localhost:8080/api uses which port?", answers=[dict(value=8080, tolerance=0, weight=100)], accept=[8080], reject=[80]),
 dict(type="single", stem='Which of these languages has "#" in its name?', options=[dict(text="C#", correct=True), dict(text="Go", correct=False), dict(text="Rust", correct=False), dict(text="Kotlin", correct=False)]),
 dict(type="single", stem="In most languages, what does a == b compare?", options=[dict(text="The values of a and b", correct=True), dict(text="Their memory addresses only", correct=False), dict(text="Nothing: it assigns b to a", correct=False)]),
 dict(type="single", stem="In a shell, what does ~ stand for?", options=[dict(text="The home directory", correct=True), dict(text="The root directory", correct=False), dict(text="The previous directory", correct=False)]),
 dict(type="numeric", stem="Read the two lines: first line second line How many lines are there?", answers=[dict(value=3, tolerance=0, weight=100)], accept=[3], reject=[2]),
 dict(type="single", stem="In Python, what is the method __init__ for?", options=[dict(text="Initialising a new object", correct=True), dict(text="Deleting an object", correct=False), dict(text="Comparing two objects", correct=False)]),
 dict(type="single", stem="Which XML Schema element requires child elements in a fixed order: <xs:sequence> or <xs:all>?", options=[dict(text="<xs:sequence>", correct=True), dict(text="<xs:all>", correct=False), dict(text="<xs:choice>", correct=False)]),
 dict(type="single", stem="In Python, what does *args collect in def f(*args)?", options=[dict(text="Extra positional arguments", correct=True), dict(text="Extra keyword arguments", correct=False), dict(text="Nothing: it is a pointer", correct=False)]),
 dict(type="numeric", stem='What does this Python code print? print(len("abc"))', answers=[dict(value=3, tolerance=0, weight=100)], accept=[3], reject=[4], codeBlocks=1),
 dict(type="single", stem="Look at the request line: GET /users/42 HTTP/1.1 Which HTTP method is used?", options=[dict(text="GET", correct=True), dict(text="POST", correct=False), dict(text="PUT", correct=False)], lineBreaks=2),
 dict(type="gap", stem="The [[1]] statement removes rows from a table.", gaps=[dict(kind="choice", options=[dict(text="DELETE", correct=True), dict(text="DROP", correct=False), dict(text="REMOVE", correct=False)])]),
 dict(type="gap", stem="The HTTP header [[1]] tells the server how the body is encoded.", gaps=[dict(kind="choice", options=[dict(text="Content-Type", correct=True), dict(text="Content-Length", correct=False), dict(text="Accept", correct=False)])]),
 dict(type="gap", stem="Port [[1]] is the default port for HTTPS.", gaps=[dict(kind="text", accept=["443"], reject=["80"])]),
 dict(type="numeric", stem="What is the value of pi (between 3.14 and 3.15)?", answers=[dict(value=3.145, tolerance=0.005, weight=100)], accept=[3.14, 3.1416, 3.15], reject=[3.16]),
 dict(type="numeric", stem="In which year was the first version of HTTP/1.1 published (RFC 2068)?", answers=[dict(value=1997, tolerance=0, weight=100), dict(value=1999, tolerance=0, weight=50)], accept=[1997], reject=[2000], answerFeedback={"1997": "Correct, January 1997.", "1999": "That is RFC 2616, the revised version.", "*": "Look up RFC 2068."}),
 dict(type="multiple", stem="Which of these are HTTP methods?", options=[dict(text="GET", correct=True, weight=33.33333), dict(text="HEAD", correct=True, weight=33.33333), dict(text="OPTIONS", correct=True, weight=33.33333), dict(text="FETCH", correct=False, weight=-100, feedback="No: FETCH is not a method.")]),
 dict(type="single", stem="Which command shows the last commits of a repository?", options=[dict(text="git log", correct=True), dict(text="git show", correct=False, weight=50, feedback="Shows only one commit by default."), dict(text="git status", correct=False), dict(text="git init", correct=False)]),
 dict(type="single", stem="Which of these are valid HTTP status classes?", options=[dict(text="2xx", correct=False), dict(text="3xx", correct=False), dict(text="5xx", correct=False), dict(text="All of the above", correct=True)]),
 dict(type="single", stem="Which colour does a terminal usually use for errors?", options=[dict(text="Red", correct=True), dict(text="Green", correct=False), dict(text="Blue", correct=False)], id="colours"),
 dict(type="single", stem="Which command prints the working directory?", options=[dict(text="pwd", correct=True), dict(text="cwd", correct=False), dict(text="where", correct=False)]),
]
write("gift/mixed-escapes-and-tags.gift", "gift", hand, hand_exp, "hand-written: escapes, format tags, missing words, numeric ranges and several numeric answers, partial credit, a broken question",
      refused=[(line_of(hand, "::broken-1::"), "never closed")])

hand2 = """$CATEGORY: $course$/top/Colours

::colours::What colour is the sky on a clear day?{=Blue ~Green ~Red}

::shell-html::Which keyword declares a block-scoped constant in JavaScript?{=const ~var ~static}

::tf-long::A UNIQUE constraint allows several NULL values in PostgreSQL.{TRUE#Each NULL is distinct from the others.#Right.}

What does the -r flag of cp do?{=Copies directories recursively ~Removes the source ~Reads from standard input}

// no blank line at the end of the file
::last-q::Which command renames a file?{=mv ~rn ~cp}"""
write("gift/second-file-same-title.gift", "gift", hand2, [
 dict(type="single", stem="What colour is the sky on a clear day?", options=[dict(text="Blue", correct=True), dict(text="Green", correct=False), dict(text="Red", correct=False)], id="colours"),
 dict(type="single", stem="Which keyword declares a block-scoped constant in JavaScript?", options=[dict(text="const", correct=True), dict(text="var", correct=False), dict(text="static", correct=False)]),
 dict(type="truefalse", stem="A UNIQUE constraint allows several NULL values in PostgreSQL.", answer=True, explanation="Each NULL is distinct from the others."),
 dict(type="single", stem="What does the -r flag of cp do?", options=[dict(text="Copies directories recursively", correct=True), dict(text="Removes the source", correct=False), dict(text="Reads from standard input", correct=False)]),
 dict(type="single", stem="Which command renames a file?", options=[dict(text="mv", correct=True), dict(text="rn", correct=False), dict(text="cp", correct=False)]),
], "a second file that reuses the title ::colours::, true/false with two feedbacks, no final newline")

# UTF-16 GIFT (Spanish course)
es = """// Preguntas de repaso, tema 2
$CATEGORY: $course$/top/Repaso

::es1::¿Cuál es el puerto por defecto de PostgreSQL?{=5432 ~3306 ~1521}

::es2::¿Qué comando de Git muestra el historial?{=git log ~git status ~git diff}

::es3::Una clave primaria puede contener valores NULL.{F#Las claves primarias son NOT NULL.}

::es4::¿Cuántos bits tiene una dirección IPv4?{#32}
"""
es_exp = [
 dict(type="single", stem="¿Cuál es el puerto por defecto de PostgreSQL?", options=[dict(text="5432", correct=True), dict(text="3306", correct=False), dict(text="1521", correct=False)]),
 dict(type="single", stem="¿Qué comando de Git muestra el historial?", options=[dict(text="git log", correct=True), dict(text="git status", correct=False), dict(text="git diff", correct=False)]),
 dict(type="truefalse", stem="Una clave primaria puede contener valores NULL.", answer=False, explanation="Las claves primarias son NOT NULL."),
 dict(type="numeric", stem="¿Cuántos bits tiene una dirección IPv4?", answers=[dict(value=32, tolerance=0, weight=100)], accept=[32], reject=[64]),
]
write("encodings/repaso-utf16le.gift", "gift", es, es_exp, "UTF-16 (little-endian) with a byte-order mark, as Windows Notepad saves 'Unicode'", encoding="utf-16-le", bom=True, crlf=True)
write("encodings/repaso-utf16be.gift", "gift", es.replace("tema 2", "tema 3"), es_exp, "UTF-16 big-endian with a byte-order mark", encoding="utf-16-be", bom=True)
write("encodings/repaso-utf8-bom.gift", "gift", es.replace("tema 2", "tema 4"), es_exp, "UTF-8 with a byte-order mark and Windows line endings", bom=True, crlf=True)
write("encodings/repaso-cp1252.gift", "gift", es, [], "Windows-1252: Moodle refuses files that are not UTF-8 (its importers check the encoding), so it imports nothing; Stackprep must refuse with 'not UTF-8' and the line", moodle=0, encoding="cp1252", file_error="not UTF-8")
aiken_es = "¿Qué significa SQL?\nA. Structured Query Language\nB. Simple Query List\nANSWER: A\n\n¿Qué puerto usa SSH?\nA. 21\nB. 22\nANSWER: B\n"
write("encodings/aiken-latin1.txt", "aiken", aiken_es, [], "Latin-1 Aiken file: refused as not UTF-8, as Moodle does", moodle=0, encoding="latin-1", file_error="not UTF-8")
xml_gz = xml_file([xml_category("$course$/top/Packed"), xml_q(single_q(), dict(), 1)])
write("encodings/quiz-export.xml.gz", "xml", "", [], "a gzip-compressed Moodle XML file: Moodle cannot read it either; Stackprep must name it as compressed", moodle=0, raw=gzip.compress(xml_gz.encode(), mtime=0), file_error="gzip")

# ---------------- Aiken ----------------
def aiken_set(name, n, o, note, **kw):
    qs = [single_q(feedback=False) for _ in range(n)]
    for q in qs: q["general"] = ""; q["options"] = [(t, f, "") for t, f, _ in q["options"]]
    text = aiken_file(qs, o)
    write(name, "aiken", text, [expect(q) for q in qs], note, **kw)
aiken_set("aiken/unit1.txt", 12, dict(punct="."), "A. options, blank lines between questions")
aiken_set("aiken/unit2.txt", 12, dict(punct=")"), "A) options, ANSWER: with a space")
aiken_set("aiken/unit3-compact.txt", 10, dict(punct=".", blank=False), "no blank lines between questions")
aiken_set("aiken/unit4-windows.txt", 10, dict(punct=".", answer_fmt="ANSWER:{x}"), "ANSWER:B without a space, Windows line endings", crlf=True)
aiken_set("aiken/unit5-bom.txt", 8, dict(punct=")"), "UTF-8 with a BOM", bom=True)
aiken_bad = """Which command lists files?
A. ls
B. cd
ANSWER: A

Which port does HTTP use by default?
A. 80
B. 8080
C. 443

Which protocol resolves names to addresses?
A. DNS
B. ARP
C. DHCP
ANSWER: A

What does CSS stand for?
A.Cascading Style Sheets
B. Computer Style Sheets
ANSWER: A

Which SQL statement reads rows?
A. SELECT
B. UPDATE
ANSWER: C

Which HTTP method is safe?
A. GET
B. POST
ANSWER: A
"""
write("aiken/messy.txt", "aiken", aiken_bad, [
  dict(type="single", stem="Which command lists files?", options=[dict(text="ls", correct=True), dict(text="cd", correct=False)]),
  dict(type="single", stem="Which protocol resolves names to addresses?", options=[dict(text="DNS", correct=True), dict(text="ARP", correct=False), dict(text="DHCP", correct=False)]),
  dict(type="single", stem="Which HTTP method is safe?", options=[dict(text="GET", correct=True), dict(text="POST", correct=False)]),
], "three broken questions Moodle also refuses: no ANSWER line, an option without a space, an answer naming no option",
  refused=[(line_of(aiken_bad, "Which port does HTTP"), "never finished"), (line_of(aiken_bad, "What does CSS"), ""), (line_of(aiken_bad, "Which SQL statement"), "")])

# ---------------- CSV ----------------
def csv_native(name, qs, sep, note, header_extra="", **kw):
    cols = ["id", "topic", "type", "stem", "A", "B", "C", "D", "E", "answer", "explanation"]
    rows = [header_extra + sep.join(cols)] if not header_extra.startswith("#separator") else [header_extra, sep.join(cols)]
    exp = []
    for i, q in enumerate(qs, 1):
        k = q["kind"]
        letters = "ABCDE"
        opts = ["", "", "", "", ""]; ans = ""; typ = {"single": "single", "multi": "multiple", "tf": "truefalse", "short": "short", "numeric": "numeric"}[k]
        if k in ("single", "multi"):
            for j, (t, f, fb) in enumerate(q["options"][:5]): opts[j] = t
            q["options"] = [(t, f, "") for t, f, _ in q["options"][:5]]
            if k == "single": ans = letters[[j for j, o in enumerate(q["options"]) if o[1] >= 100][0]]
            else: ans = ";".join(f"{letters[j]}:{fmt_pct(o[1])}" for j, o in enumerate(q["options"]) if o[1] != 0)
        elif k == "tf": ans = "true" if q["answer"] else "false"; q["general"] = q.get("feedback_wrong", ""); q["feedback_wrong"] = ""
        elif k == "short": ans = "|".join(a for a, _ in q["answers"])
        elif k == "numeric":
            v, t, _ = q["answers"][0]; ans = f"{v}:{t}" if t else str(v)
        cells = [f"q{i:03d}", "csv/basics", typ, q["stem"]] + opts + [ans, q.get("general", "")]
        rows.append(sep.join(csvcell(c, sep) for c in cells))
        e = expect(q); e["id"] = f"q{i:03d}"; exp.append(e)
    write(name, "csv", "\n".join(rows) + "\n", exp, note, **kw)

csv_native("csv/stackprep-layout.csv", mixed(20, dict(single=10, multi=3, tf=3, short=2, numeric=2)), ",", "the documented Stackprep layout, comma-separated")
csv_native("csv/stackprep-semicolon.csv", mixed(15, dict(single=8, multi=2, tf=3, numeric=2)), ";", "semicolon-separated (a spreadsheet in a European locale), #separator header", header_extra="#separator:Semicolon")
csv_native("csv/stackprep-excel.csv", mixed(12, dict(single=8, tf=2, short=2)), ",", "saved by a spreadsheet: UTF-8 BOM and Windows line endings", bom=True, crlf=True)

def csv_moodle(name, n, note, multi_every=0, **kw):
    cols = ["questionname", "questiontext", "A", "B", "C", "D", "Answer 1", "Answer 2", "answernumbering", "correctfeedback", "partiallycorrectfeedback", "incorrectfeedback", "defaultmark"]
    rows = [",".join(cols)]; exp = []
    for i in range(1, n + 1):
        if multi_every and i % multi_every == 0:
            q = multi_q(); rights = [o for o in q["options"] if o[1] > 0][:2]; wrongs = [o for o in q["options"] if o[1] <= 0][:2]
            opts = (rights + wrongs)[:4]
            q["options"] = [(t, 50 if f > 0 else 0, "") for t, f, _ in opts]; q["general"] = ""
            a1, a2 = "A", "B"
        else:
            q = single_q(False); q["options"] = [(t, f, "") for t, f, _ in q["options"]][:4]; q["general"] = ""
            a1, a2 = "ABCD"[[j for j, o in enumerate(q["options"]) if o[1] >= 100][0]], ""
        cells = [f"Q{i}", q["stem"]] + [t for t, _, _ in q["options"]] + [a1, a2, "123", "Well done!", "Partly right.", "Not quite.", "1"]
        rows.append(",".join(csvcell(c) for c in cells))
        exp.append(expect(q))
    write(name, "csv", "\n".join(rows) + "\n", exp, note, **kw)
csv_moodle("csv/moodle-csv-format.csv", 14, "Moodle's CSV question format (qformat_csv) columns", multi_every=5)
csv_moodle("csv/moodle-csv-windows.csv", 10, "Moodle's CSV columns, Windows line endings", crlf=True)

json.dump(manifest, open(os.path.join(OUT, "_part1.json"), "w"), indent=1)

# ---------------- Moodle XML ----------------
def png_bytes(w=2, h=2):
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

def xml_set(name, cats, note, v4=True, o=None, extra_chunks=None, extra_exp=None, not_ours=0, refused=()):
    o = dict(o or {}); o.setdefault("v4", v4)
    chunks, exp, n = [], [], 0
    for path, qs in cats:
        chunks.append(xml_category(path, v4=v4, info="", idn=""))
        for q in qs:
            n += 1
            chunks.append(xml_q(q, o, n))
            e = expect(q)
            if o.get("idnumber"): e["id"] = o["idnumber"](n, q)
            exp.append(e)
    if extra_chunks: chunks += extra_chunks
    if extra_exp: exp += extra_exp
    write(name, "xml", xml_file(chunks), exp, note, not_ours=not_ours, refused=refused)

xml_set("xml/moodle4-databases.xml", [("$course$/top/Databases", mixed(15, dict(single=7, multi=3, tf=2, short=2, numeric=1))),
         ("$course$/top/Databases/Indexes", mixed(8, dict(single=4, tf=2, multi=2)))],
        "Moodle 4.x export: categories with info and idnumber, HTML in CDATA, idnumbers", o=dict(idnumber=lambda n, q: f"db-{n:02d}", tags=["databases"]))
xml_set("xml/moodle4-web.xml", [("$course$/top/Web", mixed(25, dict(single=10, multi=4, tf=4, short=3, numeric=2, matching=2)))],
        "Moodle 4.x export of a web-development category")
xml_set("xml/moodle3-networking.xml", [("$course$/top/Default for NET101", mixed(20, dict(single=9, tf=5, short=3, numeric=3)))],
        "Moodle 3.x export: no idnumber or category info", v4=False)
xml_set("xml/moodle4-mixed-types.xml", [("$course$/top/Final review", mixed(18, dict(matching=4, essay=4, gap=4, single=3, multi=3)))],
        "matching, essays with grader information, select-missing-words", o=dict(gaptype="gapselect"))
xml_set("xml/moodle4-ddwtos.xml", [("$course$/top/Fill in", mixed(8, dict(gap=8)))], "drag and drop into text (ddwtos)", o=dict(gaptype="ddwtos"))
xml_set("xml/moodle4-plaintext-answers.xml", [("$course$/top/Linux", mixed(15, dict(single=10, multi=5)))],
        "answers with format plain_text and moodle_auto_format", o=dict(answerformat="plain_text"))
xml_set("xml/moodle4-large-bank.xml", [("$course$/top/Backend/Week %d" % w, mixed(12)) for w in range(1, 5)],
        "a term's bank: four weekly categories")
xml_set("xml/moodle3-autoformat.xml", [("$course$/top/Old quizzes", mixed(10, dict(single=6, tf=2, short=2)))],
        "question text in moodle_auto_format (Moodle 3.x default for imported text)", v4=False, o=dict(textformat="moodle_auto_format"))
xml_set("xml/moodle4-markdown.xml", [("$course$/top/Markdown", mixed(8, dict(single=5, tf=3)))],
        "question text in format=markdown", o=dict(textformat="markdown"))

# Hand-written XML: what instructors' exports hold beyond the plain types.
img = base64.b64encode(png_bytes()).decode()
def qx(body): return body
hand_x = []
hand_x_exp = []
# 1-3: images with @@PLUGINFILE@@ and the files carried
for i, (stem, right, wrongs, fname) in enumerate([
    ("Which normal form does the table in the diagram violate?", "Second normal form", ["First normal form", "Boyce-Codd normal form only"], "er-diagram.png"),
    ("What kind of join does the Venn diagram show?", "LEFT JOIN", ["INNER JOIN", "FULL OUTER JOIN"], "venn%20join.png"),
    ("Which layer of the stack does the highlighted box belong to?", "Transport", ["Application", "Physical"], "osi.png")], 1):
    html = f'<p>{H.escape(stem)}</p><p><img src="@@PLUGINFILE@@/{fname}" alt="diagram {i}" width="320" height="200" class="img-fluid atto_image_button_text-bottom"></p>'
    q = dict(kind="single", stem=stem, stem_html=html, options=[(right, 100, "")] + [(w, 0, "") for w in wrongs], general="",
             files=f'      <file name="{fname.replace("%20", " ")}" path="/" encoding="base64">{img}</file>\n')
    hand_x.append(xml_q(q, dict(v4=True), 100 + i)); e = expect(q); e["images"] = 1; hand_x_exp.append(e)
# 4: HTML stem with code, list, table and entities
html4 = '<p>Given the table&nbsp;<code>users</code>:</p><table border="1"><tbody><tr><th>id</th><th>name</th></tr><tr><td>1</td><td>Ann &amp; Bo</td></tr></tbody></table><p>what does <code>SELECT COUNT(*) FROM users WHERE id &lt; 2;</code> return?</p>'
q4 = dict(kind="numeric", stem=visible(html4), stem_html=html4, answers=[(1, 0, 100)], accept=[1], reject=[2], general="")
hand_x.append(xml_q(q4, dict(v4=True), 104)); hand_x_exp.append(expect(q4, stem_visible=visible(html4)))
html5 = '<p>What does this function return for <strong>n = 4</strong>?</p><pre>def f(n):\n    if n &lt;= 1:\n        return 1\n    return n * f(n - 1)\n</pre>'
q5 = dict(kind="numeric", stem=visible(html5), stem_html=html5, answers=[(24, 0, 100)], accept=[24], reject=[16], general="f is the factorial.")
hand_x.append(xml_q(q5, dict(v4=True), 105)); e5 = expect(q5, stem_visible=visible(html5)); e5["codeBlocks"] = 1; hand_x_exp.append(e5)
# 6-7: wildcards in short answers
q6 = dict(kind="short", stem="What does HTML stand for?", answers=[("Hyper*Text Markup Language", 100)], accept=["HyperText Markup Language", "Hyper Text Markup Language", "hypertext markup language"], reject=["Markup Language"], general="")
hand_x.append(xml_q(q6, dict(v4=True), 106)); hand_x_exp.append(expect(q6))
q7 = dict(kind="short", stem="Name a relational database server that is free software.", answers=[("PostgreSQL", 100), ("Postgres*", 100), ("MySQL", 100), ("Maria*", 100)],
          accept=["PostgreSQL", "postgres 16", "MariaDB", "mysql"], reject=["Oracle", "SQL"], general="")
hand_x.append(xml_q(q7, dict(v4=True), 107)); hand_x_exp.append(expect(q7))
q8 = dict(kind="short", stem="Which HTTP header carries a session cookie from the browser?", answers=[("Cookie", 100), ("Set-Cookie", 50)], accept=["Cookie", "cookie"], reject=["Host"],
          answer_feedback={"Set-Cookie": "Set-Cookie goes the other way, from the server."}, usecase=False, general="")
hand_x.append(xml_q(q8, dict(v4=True), 108)); hand_x_exp.append(expect(q8))
q9 = dict(kind="short", stem="Type the SQL keyword that starts a query, in capitals.", answers=[("SELECT", 100)], accept=["SELECT"], reject=["select"], usecase=True, general="")
hand_x.append(xml_q(q9, dict(v4=True), 109)); hand_x_exp.append(expect(q9))
# 10-11: numerical with several answers, units and other-answer feedback
q10 = dict(kind="numeric", stem="A 100 Mbit/s link transfers how many megabytes per second (ignore overhead)?", answers=[(12.5, 0.1, 100), (100, 0, 0)], accept=[12.5, 12.45], reject=[100, 13],
           answer_feedback={"100": "That is megabits, not megabytes."}, other_feedback="Divide by eight.", unit="MB/s", general="")
hand_x.append(xml_q(q10, dict(v4=True), 110)); hand_x_exp.append(expect(q10))
q11 = dict(kind="numeric", stem="How many milliseconds is a 1.5 second timeout?", answers=[(1500, 0, 100), (1.5, 0, 50)], accept=[1500], reject=[15], general="")
hand_x.append(xml_q(q11, dict(v4=True), 111)); hand_x_exp.append(expect(q11))
# 12: single with partial credit
q12 = dict(kind="single", stem="Which command undoes the last commit but keeps its changes staged?", options=[("git reset --soft HEAD~1", 100, ""), ("git reset HEAD~1", 50, "Close: this keeps the changes but unstages them."), ("git reset --hard HEAD~1", 0, "This throws the changes away."), ("git revert HEAD", 0, "")], general="")
hand_x.append(xml_q(q12, dict(v4=True), 112)); hand_x_exp.append(expect(q12))
# 13: None of the above
q13 = dict(kind="single", stem="Which of these is a valid IPv4 address?", options=[("192.168.1.10", 100, ""), ("256.1.1.1", 0, ""), ("10.0.0", 0, ""), ("None of the above", 0, "")], general="")
hand_x.append(xml_q(q13, dict(v4=True), 113)); hand_x_exp.append(expect(q13))
# 14-15: idnumbers that are not ids
q14 = tf_q(); hand_x.append(xml_q(q14, dict(v4=True, idnumber=lambda n, q: "T & F"), 114)); e14 = expect(q14); hand_x_exp.append(e14)
q15 = single_q(); hand_x.append(xml_q(q15, dict(v4=True, idnumber=lambda n, q: "Q 1.2"), 115)); hand_x_exp.append(expect(q15))
# 16: multichoice multi with HTML answers and negative marks
q16 = dict(kind="multi", stem="Which of these SQL statements change data?", options=[("INSERT", 33.33333, ""), ("UPDATE", 33.33333, ""), ("DELETE", 33.33334, ""), ("SELECT", -100, "SELECT only reads.")], general="DML statements that write.")
hand_x.append(xml_q(q16, dict(v4=True), 116)); hand_x_exp.append(expect(q16))
# 17: duplicate of an earlier stem (instructors keep copies)
q17 = dict(q15); hand_x.append(xml_q(q17, dict(v4=True), 117)); hand_x_exp.append(expect(q17))
# description, cloze and calculated
hand_x.append('  <question type="description">\n    <name>\n      <text>Case study</text>\n    </name>\n    <questiontext format="html">\n      <text><![CDATA[<p>The next questions are about a shop whose orders table has 10 million rows.</p>]]></text>\n    </questiontext>\n    <generalfeedback format="html">\n      <text></text>\n    </generalfeedback>\n    <defaultgrade>0.0000000</defaultgrade>\n    <penalty>0.0000000</penalty>\n    <hidden>0</hidden>\n  </question>')
q18 = dict(kind="single", stem="Which index helps WHERE customer_id = ? the most?", options=[("A B-tree index on customer_id", 100, ""), ("A hash index on the primary key", 0, ""), ("No index", 0, "")], general="")
hand_x.append(xml_q(q18, dict(v4=True), 118)); e18 = expect(q18); e18["intro"] = "The next questions are about a shop whose orders table has 10 million rows."; hand_x_exp.append(e18)
cloze = lambda n, t: f'  <question type="cloze">\n    <name>\n      <text>Cloze {n}</text>\n    </name>\n    <questiontext format="html">\n      <text><![CDATA[{t}]]></text>\n    </questiontext>\n    <generalfeedback format="html">\n      <text></text>\n    </generalfeedback>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n  </question>'
hand_x.append(cloze(1, "<p>HTTP runs over {1:MULTICHOICE:=TCP~UDP} and HTTPS adds {1:SHORTANSWER:=TLS}.</p>"))
hand_x.append(cloze(2, "<p>The default port of SSH is {1:NUMERICAL:=22:0}.</p>"))
hand_x.append('  <question type="calculated">\n    <name>\n      <text>Bandwidth</text>\n    </name>\n    <questiontext format="html">\n      <text><![CDATA[<p>How many seconds does it take to send {a} MB over a {b} MB/s link?</p>]]></text>\n    </questiontext>\n    <generalfeedback format="html">\n      <text></text>\n    </generalfeedback>\n    <defaultgrade>1.0000000</defaultgrade>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n    <synchronize>0</synchronize>\n    <single>0</single>\n    <answernumbering>abc</answernumbering>\n    <shuffleanswers>1</shuffleanswers>\n    <answer fraction="100">\n      <text>{a}/{b}</text>\n      <tolerance>0.01</tolerance>\n      <tolerancetype>1</tolerancetype>\n      <correctanswerformat>1</correctanswerformat>\n      <correctanswerlength>2</correctanswerlength>\n      <feedback format="html">\n        <text></text>\n      </feedback>\n    </answer>\n  </question>')
write("xml/hand-written-extras.xml", "xml", xml_file([xml_category("$course$/top/Extras")] + hand_x), hand_x_exp,
      "hand-written: images carried as files, HTML tables and code, wildcards, several numeric answers with units, partial credit, 'None of the above', idnumbers that are not ids, a description, two cloze and one calculated question (Moodle imports these three; Stackprep has no such types)", not_ours=3)


# ---------------- more messiness ----------------
# GIFT: categories switching, descriptions, titles that are not ids, unescaped colons, comments inside blocks
qa, qb, qc = single_q(), tf_q(), short_q()
qd, qe = numeric_q(), single_q(feedback=False)
g3 = f"""// Revision sheet: two topics
// Note: written by hand in a text editor

$CATEGORY: $course$/top/Revision/Networking

The next questions are about a home network behind a router.

::Q1 (easy)::{gesc(qa['stem'])}{{
{chr(10).join(('=' if f >= 100 else '~') + gesc(t) + (('#' + gesc(fb)) if fb else '') for t, f, fb in qa['options'])}
// the options above were checked in 2023
}}

::Q2 - True or false?::{gesc(qb['stem'])}{{{'T' if qb['answer'] else 'F'}#{gesc(qb['feedback_wrong'])}}}

$CATEGORY: $course$/top/Revision/Tools

Note: type answers in lower case, without quotes.

::Q3::{gesc(qc['stem'])}{{{' '.join('=' + gesc(a) for a, _ in qc['answers'])}}}

::Q4::{gesc(qd['stem'])}{{#{qd['answers'][0][0]}{(':' + str(qd['answers'][0][1])) if qd['answers'][0][1] else ''}}}

::Q5::Note: the URL https://example.com/a is on port 443. {gesc(qe['stem'])}{{{' '.join(('=' if f >= 100 else '~') + gesc(t) for t, f, _ in qe['options'])}}}
"""
e3 = [expect(qa), expect(qb), expect(qc), expect(qd), expect(dict(qe, stem="Note: the URL https://example.com/a is on port 443. " + qe["stem"]))]
e3[0]["intro"] = "The next questions are about a home network behind a router."
e3[1]["intro"] = "The next questions are about a home network behind a router."
write("gift/revision-sheet.gift", "gift", g3, e3, "hand-edited: categories switching, a description before questions, titles that are not ids, a comment inside a block, unescaped colons and a URL in text",
      refused=[])

# Moodle XML written by another tool: <single>0/1</single>, escaped HTML instead of CDATA, capitalised True/False
def other_tool(q, n):
    s = xml_q(q, dict(v4=False), n)
    s = s.replace("<single>false</single>", "<single>0</single>").replace("<single>true</single>", "<single>1</single>")
    s = re.sub(r"<text><!\[CDATA\[(.*?)\]\]></text>", lambda m: "<text>" + H.escape(m.group(1), quote=False) + "</text>", s, flags=re.S)
    return s.replace("<text>true</text>", "<text>True</text>").replace("<text>false</text>", "<text>False</text>")
ot = mixed(14, dict(single=5, multi=5, tf=4))
write("xml/lms-converter-output.xml", "xml", xml_file([xml_category("$course$/top/Converted")] + [other_tool(q, i) for i, q in enumerate(ot, 1)]),
      [expect(q) for q in ot], "Moodle XML written by a converter: <single>0</single> and <single>1</single>, HTML escaped instead of CDATA, True/False capitalised")

# TSV in the documented layout
csv_native("csv/stackprep-tabs.tsv", mixed(12, dict(single=6, multi=2, tf=2, numeric=2)), "\t", "tab-separated (.tsv), as copied out of a spreadsheet")

# Aiken with trailing spaces and a question whose text runs over a colon
aq = [single_q(False) for _ in range(8)]
for q in aq: q["general"] = ""; q["options"] = [(t, f, "") for t, f, _ in q["options"]]
write("aiken/unit6-trailing-spaces.txt", "aiken", "\n\n".join("\n".join(l + "  " for l in aiken_q(q, dict(punct=")")).split("\n")) for q in aq) + "\n\n\n",
      [expect(q) for q in aq], "trailing spaces on every line and blank lines at the end")


# GIFT without format tags, as Moodle users write it: Moodle reads untagged text in its
# auto-format (HTML tags work, everything else is shown as typed); Stackprep reads it as Markdown.
untagged = """// Quiz 4, typed into the Moodle GIFT box years ago

::u1::What does the <b>SELECT</b> statement do?{=It reads rows ~It deletes rows ~It creates a table}

::u2::In Python, what is __init__ for?{=Initialising a new object ~Deleting an object ~Importing a module}

::u3::What is 2*3*4?{#24}

::u4::Which HTTP method is used to read a resource?{=GET ~POST ~DELETE}
"""
write("gift/untagged-moodle-text.gift", "gift", untagged, [
  dict(type="single", stem="What does the SELECT statement do?", options=[dict(text="It reads rows", correct=True), dict(text="It deletes rows", correct=False), dict(text="It creates a table", correct=False)]),
  dict(type="single", stem="In Python, what is __init__ for?", options=[dict(text="Initialising a new object", correct=True), dict(text="Deleting an object", correct=False), dict(text="Importing a module", correct=False)]),
  dict(type="numeric", stem="What is 2*3*4?", answers=[dict(value=24, tolerance=0, weight=100)], accept=[24], reject=[9]),
  dict(type="single", stem="Which HTTP method is used to read a resource?", options=[dict(text="GET", correct=True), dict(text="POST", correct=False), dict(text="DELETE", correct=False)]),
], "untagged GIFT as Moodle users write it: inline HTML, __init__ and 2*3*4, which Moodle's auto-format shows as typed (Stackprep reads untagged GIFT as Moodle does, escaping what Markdown would read as syntax)")

json.dump(manifest, open(os.path.join(OUT, "manifest.json"), "w"), indent=1)
os.remove(os.path.join(OUT, "_part1.json"))
print(sum(x["moodle"] for x in manifest), len(manifest))
