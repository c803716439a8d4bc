// The answer key of a stored question as HTML, for results and review cards.
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
  if ("accept" in body) return escapeHtml(body.accept.join(" / ") || `text matching ${body.pattern ?? ""}`);
  const unit = "unit" in body && body.unit ? ` ${body.unit}` : "";
  return escapeHtml(
    body.answers.map((a) => (a.tolerance ? `${a.value} ± ${a.tolerance}` : String(a.value))).join(" or ") + unit,
  );
}
