/**
 * Theme names from the words of the papers: class-based TF-IDF over 1–3-word phrases (each
 * theme's papers against all papers), near-duplicates removed, keywords kept diverse by
 * maximal marginal relevance, and a short label picked from the best of them.
 */
import type { Paper } from "../paper.js";
import { extractPhrases, stemKey } from "./phrases.js";

export interface ThemeLabel {
  /** 1–4 words. */
  label: string;
  /** Most distinctive first. */
  keywords: string[];
}

export interface LabelOptions {
  /** Keywords per theme (default 8; at most 10). */
  keywords?: number;
  /** MMR trade-off between distinctiveness (1) and diversity (0); default 0.7. */
  diversity?: number;
}

interface Candidate {
  key: string;
  stems: string[];
  words: number;
  score: number;
  /** Theme members (indices into the theme) whose text holds the phrase. */
  members: Set<number>;
}

/** Weight of a phrase found in a paper's title, relative to one found only in its abstract. */
const TITLE_WEIGHT = 1.5;

/** Exponent of the log-ratio in the score: above 1 favours terms found mostly in this theme. */
const DISTINCTIVENESS = 2;

/**
 * A label and keywords for each group of papers (`groups[t]` = indices into `papers`).
 * Deterministic: ties are broken alphabetically.
 */
export function labelThemes(
  papers: readonly Paper[],
  groups: readonly (readonly number[])[],
  options: LabelOptions = {},
): ThemeLabel[] {
  const wanted = Math.max(1, Math.min(10, options.keywords ?? 8));
  const lambda = options.diversity ?? 0.7;
  const surfaces = new Map<string, Map<string, number>>();

  // Phrases are counted by their word stems, so "tokenizer", "tokenizers" and "tokenization"
  // are one term; each is shown in its most common spelling.
  const keyCount = new Map<string, number>();
  const keyStem = new Map<string, string>();
  const stemKeys = new Map<string, string | string[]>();
  const stemOf = (key: string) => {
    keyCount.set(key, (keyCount.get(key) ?? 0) + 1);
    let stem = keyStem.get(key);
    if (stem === undefined) {
      stem = stemKey(key);
      keyStem.set(key, stem);
      const known = stemKeys.get(stem);
      if (known === undefined) stemKeys.set(stem, key);
      else if (typeof known === "string") stemKeys.set(stem, [known, key]);
      else known.push(key);
    }
    return stem;
  };
  // Per paper: term → weight (title beats abstract; presence, not repetition, counts).
  const perPaper: Map<string, number>[] = papers.map((p) => {
    const m = new Map<string, number>();
    for (const key of extractPhrases(p.abstract, surfaces)) m.set(stemOf(key), 1);
    for (const key of extractPhrases(p.title, surfaces)) m.set(stemOf(key), TITLE_WEIGHT);
    return m;
  });
  const spellingOf = (stem: string) => {
    const keys = stemKeys.get(stem)!;
    if (typeof keys === "string") return keys;
    let best = "";
    let count = -1;
    for (const key of keys) {
      const c = keyCount.get(key)!;
      if (c > count || (c === count && key < best)) {
        best = key;
        count = c;
      }
    }
    return best;
  };
  const df = new Map<string, number>();
  for (const m of perPaper) for (const [stem, w] of m) df.set(stem, (df.get(stem) ?? 0) + w);

  const total = papers.length;

  return groups.map((members) => {
    const size = members.length;
    // Each paper lists a term once, so member lists hold no repeats.
    const local = new Map<string, { weight: number; members: number[] }>();
    members.forEach((paperIndex, position) => {
      for (const [stem, w] of perPaper[paperIndex]) {
        const e = local.get(stem);
        if (e) {
          e.weight += w;
          e.members.push(position);
        } else {
          local.set(stem, { weight: w, members: [position] });
        }
      }
    });
    const scored: { stem: string; words: number; score: number; members: number[] }[] = [];
    const outside = Math.max(0, total - size);
    for (const [stem, e] of local) {
      let words = 1;
      for (let i = 0; i < stem.length; i++) if (stem.charCodeAt(i) === 32) words++;
      // Class-based TF-IDF, with the theme as the class: how often the term occurs in the
      // theme's papers, times the log-ratio of that rate to its rate in the other papers
      // (smoothed, so a term found only here gets a large but finite weight).
      const inside = e.weight / size;
      const elsewhere = (df.get(stem)! - e.weight + 0.5) / (outside + 1);
      // Multi-word phrases read better as names and are more specific: a mild preference.
      const lengthBoost = 1 + 0.25 * (words - 1);
      const score = inside * Math.pow(Math.log(1 + inside / elsewhere), DISTINCTIVENESS) * lengthBoost;
      scored.push({ stem, words, score, members: e.members });
    }
    const best = (keep: (c: (typeof scored)[number]) => boolean): Candidate[] => {
      const kept = scored.filter(keep);
      // Only the leading 300 matter: cut at the 300th score before sorting.
      if (kept.length > 300) {
        const scores = Float64Array.from(kept, (c) => c.score).sort();
        const floor = scores[scores.length - 300];
        kept.splice(0, kept.length, ...kept.filter((c) => c.score >= floor));
      }
      return kept
        .sort((x, y) => y.score - x.score || (x.stem < y.stem ? -1 : x.stem > y.stem ? 1 : 0))
        .slice(0, 300)
        .map((c) => ({ key: spellingOf(c.stem), stems: c.stem.split(" "), words: c.words, score: c.score, members: new Set(c.members) }));
    };
    // Phrases of at least two papers first; single-paper ones only to fill up.
    const minSupport = size >= 2 ? 2 : 1;
    let chosen = select(best((c) => c.members.length >= minSupport), wanted, lambda, []);
    if (chosen.length < Math.min(wanted, 5)) {
      const single = best((c) => c.members.length < minSupport && c.words <= 2);
      chosen = select(single, Math.min(wanted, 5), lambda, chosen);
    }
    const keywords = chosen.map((c) => display(c.key, surfaces));
    return { label: pickLabel(chosen, surfaces), keywords };
  });
}

function overlaps(a: Candidate, b: Candidate): boolean {
  return containsRun(a.stems, b.stems) || containsRun(b.stems, a.stems);
}

/**
 * Keywords by maximal marginal relevance: each step takes the phrase with the best balance
 * of distinctiveness and dissimilarity to those already taken. A phrase is never taken next
 * to one that contains it or that it contains ("token pruning" / "token pruning method");
 * and a taken phrase is replaced by a longer one that contains it when that longer phrase
 * is nearly as common in the theme ("token pruning" → "visual token pruning").
 */
function select(pool: Candidate[], wanted: number, lambda: number, already: Candidate[]): Candidate[] {
  const chosen: Candidate[] = [...already];
  let rest = pool.filter((c) => !chosen.some((s) => overlaps(s, c)));
  if (rest.length === 0) return chosen;
  const top = chosen[0]?.score ?? rest[0].score;
  while (chosen.length < wanted && rest.length > 0) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i];
      let maxSim = 0;
      for (const s of chosen) maxSim = Math.max(maxSim, similarity(c, s));
      const value = lambda * (c.score / top) - (1 - lambda) * maxSim;
      if (value > bestValue + 1e-12) {
        bestValue = value;
        best = i;
      }
    }
    let pick = rest[best];
    let upgrade: Candidate | undefined;
    for (const c of rest) {
      if (c.words <= pick.words || !containsRun(c.stems, pick.stems)) continue;
      if (c.members.size < 0.6 * pick.members.size) continue;
      if (chosen.some((s) => overlaps(s, c))) continue;
      if (
        !upgrade ||
        c.members.size > upgrade.members.size ||
        (c.members.size === upgrade.members.size && c.score > upgrade.score)
      ) {
        upgrade = c;
      }
    }
    if (upgrade) pick = { ...upgrade, score: Math.max(upgrade.score, pick.score) };
    const taken = pick;
    chosen.push(taken);
    rest = rest.filter((c) => !overlaps(c, taken));
  }
  return chosen;
}

/** Whether `inner` appears as a contiguous run of `outer`. */
function containsRun(outer: readonly string[], inner: readonly string[]): boolean {
  if (inner.length > outer.length) return false;
  for (let s = 0; s + inner.length <= outer.length; s++) {
    let ok = true;
    for (let j = 0; j < inner.length; j++) if (outer[s + j] !== inner[j]) ok = false;
    if (ok) return true;
  }
  return false;
}

/** Similarity of two phrases: shared word stems, or appearing in the same papers. */
function similarity(a: Candidate, b: Candidate): number {
  const sa = new Set(a.stems);
  let shared = 0;
  for (const s of new Set(b.stems)) if (sa.has(s)) shared++;
  const wordOverlap = shared / Math.min(sa.size, new Set(b.stems).size);
  let both = 0;
  for (const m of a.members) if (b.members.has(m)) both++;
  const cooccurrence = both / (a.members.size + b.members.size - both);
  return Math.max(wordOverlap * 0.8, cooccurrence);
}

/**
 * The label: the best keyword, preferring a multi-word phrase among the leaders; when the best
 * is a single word, a second distinct leader may join it ("speech / audio").
 */
function pickLabel(chosen: Candidate[], surfaces: Map<string, Map<string, number>>): string {
  if (chosen.length === 0) return "miscellaneous";
  const top = chosen[0];
  let best = top;
  if (top.words === 1) {
    const phrase = chosen
      .slice(0, 4)
      .find((c) => c !== top && c.words > 1 && c.score >= 0.85 * top.score && c.members.size >= 0.6 * top.members.size);
    if (phrase) best = phrase;
  }
  if (best.words === 1) {
    const second = chosen
      .slice(0, 3)
      .find((c) => c !== best && c.words <= 2 && c.score >= 0.75 * best.score && c.members.size >= 0.4 * best.members.size);
    if (second && best.words + second.words <= 4) {
      return `${display(best.key, surfaces)} / ${display(second.key, surfaces)}`;
    }
  }
  return display(best.key, surfaces);
}

/**
 * A phrase as people write it: each word in its most common spelling when that spelling has
 * capitals beyond the first letter ("LLMs", "ViT", "BERT"), lower case otherwise.
 */
export function display(key: string, surfaces: Map<string, Map<string, number>>): string {
  return key
    .split(" ")
    .map((word) => {
      const forms = surfaces.get(word);
      if (!forms) return word;
      let bestForm = word;
      let bestCount = -1;
      for (const [form, count] of [...forms].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        if (count > bestCount) {
          bestCount = count;
          bestForm = form;
        }
      }
      return bestForm
        .split("-")
        .map((part) => (/^.+\p{Lu}/u.test(part) ? part : part.toLowerCase()))
        .join("-");
    })
    .join(" ");
}
