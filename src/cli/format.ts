import type { Paper } from "../paper.js";
import type { SearchHit } from "../search/types.js";
import type { ThemeResult } from "../themes/types.js";

/** Cuts text to `max` characters (an ellipsis marks the cut) and collapses whitespace. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/** "2025-02-11 · 12 upvotes" (the parts a paper has). */
export function paperMeta(paper: Paper): string {
  const parts: string[] = [];
  if (paper.published) parts.push(paper.published);
  if (paper.upvotes !== undefined) parts.push(`${paper.upvotes} ${plural(paper.upvotes, "upvote")}`);
  return parts.join(" · ");
}

/** The themes as a readable list: label, size, keywords, representative titles. */
export function formatThemes(result: ThemeResult, width: number): string {
  const total = result.themes.reduce((s, t) => s + t.size, 0);
  const lines: string[] = [`${result.themes.length} ${plural(result.themes.length, "theme")} in ${total} ${plural(total, "paper")}`, ""];
  const num = String(result.themes.length).length;
  result.themes.forEach((t, i) => {
    const head = `${String(i + 1).padStart(num)}. ${t.label}`;
    const size = `${t.size} ${plural(t.size, "paper")}`;
    lines.push(`${head}${" ".repeat(Math.max(2, Math.min(width, 60) - head.length - size.length))}${size}`);
    const indent = " ".repeat(num + 2);
    if (t.subtopics && t.subtopics.length > 0) lines.push(`${indent}— ${shorten(t.subtopics.join(" · "), width - indent.length - 2)}`);
    if (t.keywords.length > 0) lines.push(`${indent}keywords: ${shorten(t.keywords.join(", "), width - indent.length - 10)}`);
    for (const p of t.representative.slice(0, 3)) lines.push(`${indent}· ${shorten(p.title, width - indent.length - 2)}`);
    lines.push("");
  });
  return lines.join("\n");
}

/** Ranked hits with their score and why they matched. */
export function formatHits(hits: readonly SearchHit[], width: number): string {
  if (hits.length === 0) return "  (no results)\n";
  const num = String(hits.length).length;
  const lines: string[] = [];
  hits.forEach((h, i) => {
    const prefix = `${String(i + 1).padStart(num + 1)}. ${h.score.toFixed(2)}  `;
    lines.push(`${prefix}${shorten(h.paper.title, width - prefix.length)}`);
    const why: string[] = [];
    const meta = paperMeta(h.paper);
    if (meta) why.push(meta);
    why.push(`similarity ${h.similarity.toFixed(2)}`);
    if (h.keywordScore !== undefined) why.push(`keywords ${h.keywordScore.toFixed(2)}`);
    if (h.matchedTerms.length > 0) why.push(`matched: ${h.matchedTerms.join(", ")}`);
    const indent = " ".repeat(prefix.length);
    lines.push(`${indent}${shorten(why.join(" · "), width - indent.length)}`);
    lines.push(`${indent}id ${h.paper.id}`);
  });
  return `${lines.join("\n")}\n`;
}

/** Hits as plain JSON records. */
export function hitsToJson(hits: readonly SearchHit[]): object[] {
  return hits.map((h) => ({
    id: h.paper.id,
    title: h.paper.title,
    score: round(h.score),
    similarity: round(h.similarity),
    ...(h.keywordScore !== undefined ? { keywordScore: round(h.keywordScore) } : {}),
    matchedTerms: h.matchedTerms,
    ...(h.paper.published ? { published: h.paper.published } : {}),
    ...(h.paper.upvotes !== undefined ? { upvotes: h.paper.upvotes } : {}),
    ...(h.paper.url ? { url: h.paper.url } : {}),
  }));
}

/** Themes as plain JSON: each theme with its paper ids, and every paper's assignment. */
export function themesToJson(result: ThemeResult): object {
  return {
    themes: result.themes.map((t) => ({
      id: t.id,
      label: t.label,
      keywords: t.keywords,
      size: t.size,
      representative: t.representative.map((p) => ({ id: p.id, title: p.title })),
      papers: t.papers.map((p) => p.id),
    })),
    assignments: Object.fromEntries(
      [...result.assignments].map(([id, a]) => [id, { themeId: a.themeId, confidence: round(a.confidence) }]),
    ),
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
