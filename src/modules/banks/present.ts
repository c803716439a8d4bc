// The answer key of a stored question as HTML, for results and review cards.
import { numericAnswerText, numericWeight } from "./model";
import type { StoredBody, StoredGap } from "./normalise";

/** Escapes text for HTML (attributes included). */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A blank's key: its right option, or the texts it accepts. */
export const gapKeyHtml = (gap: StoredGap): string =>
  gap.kind === "choice"
    ? gap.options
        .filter((o) => o.correct)
        .map((o) => o.html)
        .join(" / ")
    : escapeHtml(gap.accept.join(" / "));

export function keyHtml(body: StoredBody): string {
  if ("options" in body)
    return body.options
      .filter((o) => o.correct)
      .map((o) => o.html)
      .join("; ");
  if ("items" in body) return body.items.map((o) => o.html).join(" → ");
  if ("modelAnswer" in body) return body.modelAnswer.html || "(no model answer)";
  if ("gaps" in body) return body.gaps.map((g, i) => `(${i + 1}) ${gapKeyHtml(g)}`).join("; ");
  if ("prompts" in body) {
    const matches = new Map(body.matches.map((m) => [m.id, m.html]));
    return body.prompts.map((p) => `${p.html} → ${matches.get(p.match) ?? ""}`).join("; ");
  }
  if ("answer" in body) return body.answer ? "True" : "False";
  if ("exercise" in body) return `<pre><code>${escapeHtml(body.exercise.reference)}</code></pre>`;
  if ("accept" in body) {
    const partial = (body.weighted ?? []).filter((a) => a.weight > 0 && a.weight < 100);
    return escapeHtml(
      (body.accept.join(" / ") || `text matching ${body.pattern ?? ""}`) +
        partMarks(partial.map((a) => ({ text: a.text, weight: a.weight }))),
    );
  }
  const unit = "unit" in body && body.unit ? ` ${body.unit}` : "";
  const number = (a: { value: number; tolerance: number }) => numericAnswerText(a) + unit;
  const full = body.answers.filter((a) => numericWeight(a) >= 100);
  const partial = body.answers.filter((a) => numericWeight(a) > 0 && numericWeight(a) < 100);
  return escapeHtml(
    full.map(number).join(" or ") + partMarks(partial.map((a) => ({ text: number(a), weight: numericWeight(a) }))),
  );
}

/** Answers worth part of the mark, after the key: "; part marks: Set-Cookie (50%)". */
const partMarks = (answers: { text: string; weight: number }[]) =>
  answers.length ? `; part marks: ${answers.map((a) => `${a.text} (${Number(a.weight.toFixed(2))}%)`).join(", ")}` : "";
