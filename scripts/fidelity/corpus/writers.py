import html as H, re
from spec import *

def gesc(t):
    return re.sub(r"([\\~=#{}:])", r"\\\1", t)

def fmt_num(v):
    return str(v)

def gift_text(t, tag):
    if tag in ("[html]",):
        return "<p>" + gesc(H.escape(t, quote=False)) + "</p>"
    return gesc(t)

def gift_q(q, o, n):
    """o: dict(tag, titles, layout('inline'|'lines'), feedback)"""
    tag = o.get("tag") or ""
    title = f"::{o['title_fmt'].format(n=n)}::" if o.get("title_fmt") else ""
    k = q["kind"]
    stem = gift_text(q["stem"], tag) if k != "gap" else None
    sep = "\n" if o.get("layout") == "lines" else " "
    gen = f"{sep}####{gift_text(q['general'], tag)}" if q.get("general") and k not in ("essay",) else ""
    def ans(text):
        return gesc(text)
    if k == "single":
        items = []
        for t, f, fb in q["options"]:
            mark = "=" if f >= 100 else (f"~%{fmt_pct(f)}%" if f else "~")
            items.append(f"{mark}{ans(t)}" + (f"#{gift_text(fb, tag)}" if fb else ""))
        body = sep.join(items)
    elif k == "multi":
        items = []
        for t, f, fb in q["options"]:
            items.append((f"~%{fmt_pct(f)}%" if f else "~") + f"{ans(t)}" + (f"#{gift_text(fb, tag)}" if fb else ""))
        body = sep.join(items)
    elif k == "tf":
        body = ("TRUE" if q["answer"] else "FALSE") if o.get("tf_long") else ("T" if q["answer"] else "F")
        if q.get("feedback_wrong"): body += f"#{gift_text(q['feedback_wrong'], tag)}"
    elif k == "short":
        body = sep.join((f"=%{fmt_pct(f)}%" if f < 100 else "=") + ans(a) + (f"#{gesc(q['answer_feedback'][a])}" if q.get('answer_feedback', {}).get(a) else "") for a, f in q["answers"])
    elif k == "numeric":
        if len(q["answers"]) == 1 and not q.get("other_feedback") and not q.get("range"):
            v, t, _ = q["answers"][0]
            body = f"#{fmt_num(v)}" + (f":{fmt_num(t)}" if t else "")
        elif q.get("range"):
            v, t, _ = q["answers"][0]
            body = f"#{fmt_num(round(v - t, 6))}..{fmt_num(round(v + t, 6))}"
        else:
            parts = [("=" if f >= 100 else f"=%{fmt_pct(f)}%") + f"{fmt_num(v)}:{fmt_num(t)}" + (f"#{gesc(q['answer_feedback'][str(v)])}" if q.get('answer_feedback', {}).get(str(v)) else "") for v, t, f in q["answers"]]
            if q.get("other_feedback"): parts.append(f"~#{gesc(q['other_feedback'])}")
            body = "#" + sep.join(parts)
    elif k == "matching":
        body = sep.join(f"={ans(p)} -> {ans(m)}" for p, m in q["pairs"])
    elif k == "essay":
        body = f"####{gift_text(q['model'], tag)}" if q.get("model") else ""
    elif k == "gap":
        if "options" in q:
            body = " ".join(("=" if f >= 100 else "~") + ans(t) for t, f, _ in q["options"])
        else:
            body = " ".join("=" + ans(a) for a in q["accept_answers"])
        return f"{title}{tag}{gesc(q['before'])} {{{body}}} {gesc(q['after'])}"
    if o.get("layout") == "lines":
        return f"{title}{tag}{stem} {{\n{body}{gen}\n}}"
    return f"{title}{tag}{stem} {{{body}{gen}}}"

def fmt_pct(f):
    return ("%.5f" % f).rstrip("0").rstrip(".") if f != int(f) else str(int(f))

def gift_file(questions, o, header="", category=None, extra_blocks=None):
    out = []
    if header: out.append(header)
    if category: out.append(f"$CATEGORY: {category}\n")
    for i, q in enumerate(questions, 1):
        if o.get("moodle_comments"):
            out.append(f"// question: {1000 + i}  name: {o['title_fmt'].format(n=i) if o.get('title_fmt') else 'q'}")
        if extra_blocks and i in extra_blocks: out.append(extra_blocks[i] + "\n")
        out.append(gift_q(q, o, i) + "\n")
    text = "\n".join(out)
    return text

# ---- Moodle XML ----
def cdata(t):
    return f"<![CDATA[{t}]]>"

def xtext(t, fmt="html", wrap=True):
    if fmt == "html":
        inner = f"<p>{H.escape(t, quote=False)}</p>" if wrap else H.escape(t, quote=False)
        return f'<text>{cdata(inner)}</text>'
    return f"<text>{H.escape(t, quote=False)}</text>"

def xml_q(q, o, n):
    k = q["kind"]
    mtype = dict(single="multichoice", multi="multichoice", tf="truefalse", short="shortanswer", numeric="numerical",
                 matching="matching", essay="essay", gap=o.get("gaptype", "gapselect"))[k]
    name = o.get("name_fmt", "Q{n}").format(n=n)
    fmt = o.get("textformat", "html")
    stem_html = q.get("stem_html")
    if k == "gap":
        stem_html = H.escape(f"{q['before']} [[1]] {q['after']}", quote=False)
    qt = f'<text>{cdata(stem_html if stem_html else "<p>" + H.escape(q["stem"], quote=False) + "</p>")}</text>' if fmt == "html" else f"<text>{H.escape(q['stem'], quote=False)}</text>"
    lines = [f'  <question type="{mtype}">', f"    <name>\n      <text>{H.escape(name, quote=False)}</text>\n    </name>",
             f'    <questiontext format="{fmt}">\n      {qt}\n{q.get("files","")}    </questiontext>',
             f'    <generalfeedback format="html">\n      <text>{cdata("<p>"+H.escape(q["general"], quote=False)+"</p>") if q.get("general") else ""}</text>\n    </generalfeedback>',
             f"    <defaultgrade>1.0000000</defaultgrade>", f"    <penalty>{'0.3333333' if k in ('single','multi') else '1.0000000' if k=='tf' else '0.3333333'}</penalty>",
             "    <hidden>0</hidden>"]
    if o.get("idnumber"): lines.append(f"    <idnumber>{H.escape(o['idnumber'](n, q), quote=False)}</idnumber>")
    def answer(text, frac, fb="", fmt_a="html", extra=""):
        t = f"<text>{cdata('<p>'+H.escape(text, quote=False)+'</p>')}</text>" if fmt_a == "html" else f"<text>{H.escape(text, quote=False)}</text>"
        f = f"<text>{cdata('<p>'+H.escape(fb, quote=False)+'</p>')}</text>" if fb else "<text></text>"
        return f'    <answer fraction="{frac}" format="{fmt_a}">\n      {t}\n      <feedback format="html">\n        {f}\n      </feedback>{extra}\n    </answer>'
    if k in ("single", "multi"):
        lines += [f"    <single>{'true' if k=='single' else 'false'}</single>", "    <shuffleanswers>true</shuffleanswers>", "    <answernumbering>abc</answernumbering>"]
        if o.get("v4"): lines.append("    <showstandardinstruction>0</showstandardinstruction>")
        lines += ['    <correctfeedback format="html">\n      <text>Your answer is correct.</text>\n    </correctfeedback>',
                  '    <partiallycorrectfeedback format="html">\n      <text>Your answer is partially correct.</text>\n    </partiallycorrectfeedback>',
                  '    <incorrectfeedback format="html">\n      <text>Your answer is incorrect.</text>\n    </incorrectfeedback>', "    <shownumcorrect/>"]
        for t, f, fb in q["options"]:
            lines.append(answer(t, fmt_frac(f), fb, o.get("answerformat", "html")))
    elif k == "tf":
        lines.append(answer("true", "100" if q["answer"] else "0", "" if q["answer"] else q.get("feedback_wrong", ""), "moodle_auto_format"))
        lines.append(answer("false", "0" if q["answer"] else "100", q.get("feedback_wrong", "") if q["answer"] else "", "moodle_auto_format"))
    elif k == "short":
        lines.append(f"    <usecase>{1 if q.get('usecase') else 0}</usecase>")
        for a, f in q["answers"]:
            lines.append(answer(a, fmt_frac(f), q.get("answer_feedback", {}).get(a, ""), "moodle_auto_format"))
    elif k == "numeric":
        for v, t, f in q["answers"]:
            lines.append(answer(str(v), fmt_frac(f), q.get("answer_feedback", {}).get(str(v), ""), "moodle_auto_format", f"\n      <tolerance>{t}</tolerance>"))
        if q.get("other_feedback"): lines.append(answer("*", "0", q["other_feedback"], "moodle_auto_format", "\n      <tolerance>0</tolerance>"))
        if q.get("unit"):
            lines.append(f"    <units>\n      <unit>\n        <multiplier>1</multiplier>\n        <unit_name>{q['unit']}</unit_name>\n      </unit>\n    </units>")
            lines.append("    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1000000</unitpenalty>\n    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>")
    elif k == "matching":
        lines.append("    <shuffleanswers>true</shuffleanswers>")
        for p, m in q["pairs"]:
            lines.append(f'    <subquestion format="html">\n      <text>{cdata("<p>"+H.escape(p, quote=False)+"</p>")}</text>\n      <answer>\n        <text>{H.escape(m, quote=False)}</text>\n      </answer>\n    </subquestion>')
    elif k == "essay":
        lines += ["    <responseformat>editor</responseformat>", "    <responserequired>1</responserequired>", "    <responsefieldlines>15</responsefieldlines>",
                  "    <attachments>0</attachments>", "    <attachmentsrequired>0</attachmentsrequired>",
                  f'    <graderinfo format="html">\n      <text>{cdata("<p>"+H.escape(q["model"], quote=False)+"</p>")}</text>\n    </graderinfo>',
                  '    <responsetemplate format="html">\n      <text></text>\n    </responsetemplate>']
    elif k == "gap":
        lines.append("    <shuffleanswers>0</shuffleanswers>")
        tagname = "selectoption" if mtype == "gapselect" else "dragbox"
        for t, f, _ in q["options"]:
            lines.append(f"    <{tagname}>\n      <text>{H.escape(t, quote=False)}</text>\n      <group>1</group>\n    </{tagname}>")
    if o.get("tags"):
        lines.append("    <tags>\n" + "".join(f"      <tag><text>{t}</text>\n      </tag>\n" for t in o["tags"]) + "    </tags>")
    lines.append("  </question>")
    return "\n".join(lines)

def fmt_frac(f):
    if f == int(f): return str(int(f))
    return "%.5f" % f

def xml_category(path, v4=True, info="", idn=""):
    s = f'  <question type="category">\n    <category>\n      <text>{path}</text>\n    </category>\n'
    if v4:
        s += f'    <info format="moodle_auto_format">\n      <text>{info}</text>\n    </info>\n    <idnumber>{idn}</idnumber>\n'
    return s + "  </question>"

def xml_file(chunks):
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n\n".join(chunks) + "\n\n</quiz>\n"

def xml_header_comment(n):
    return f"<!-- question: {n}  -->"

# ---- Aiken ----
def aiken_q(q, o):
    opts = q["options"]
    letters = "ABCDEFGH"
    right = [i for i, (_, f, _) in enumerate(opts) if f >= 100][0]
    punct = o.get("punct", ".")
    lines = [q["stem"]] + [f"{letters[i]}{punct} {t}" for i, (t, _, _) in enumerate(opts)]
    lines.append(o.get("answer_fmt", "ANSWER: {x}").format(x=letters[right]))
    return "\n".join(lines)

def aiken_file(questions, o):
    sep = "\n\n" if o.get("blank", True) else "\n"
    return sep.join(aiken_q(q, o) for q in questions) + "\n"

# ---- CSV ----
def csvcell(t, sep=","):
    if any(c in t for c in [sep, '"', "\n"]) or t != t.strip():
        return '"' + t.replace('"', '""') + '"'
    return t
