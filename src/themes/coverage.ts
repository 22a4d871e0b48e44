/**
 * How well a theme's label describes its papers: **coverage** (the share of the theme's papers
 * whose title and abstract contain every content word of the label) and **distinctiveness**
 * (that share inside the theme divided by the same share in the rest of the listing).
 *
 * Words match loosely, by the first five letters of their stem ("pruning" matches "prune",
 * "models" matches "modeling"; a stem shorter than five letters must match whole, a final "s"
 * aside: "LLM" matches "LLMs"). Hyphenated words count as their parts ("text-to-speech" → "text",
 * "speech"). Stopwords in a label are ignored. A label made of alternatives, "a / b", covers
 * a paper when either side does.
 */
import type { Paper } from "../paper.js";
import { ENGLISH_STOPWORDS, stem, WORD_PATTERN } from "../text/analyze.js";

/** Coverage and distinctiveness of one label (see {@link labelCoverage}). */
export interface LabelCoverage {
  /** Share of the theme's papers the label covers, in [0, 1] (0 for an empty theme). */
  coverage: number;
  /** Share of the other papers of the listing the label covers, in [0, 1] (0 when there are none). */
  restCoverage: number;
  /**
   * `coverage / restCoverage`, with `restCoverage` taken as at least half a paper
   * (`0.5 / rest.length`) so that it stays finite; `Infinity` when there is no rest and
   * the label covers something, 0 when it covers nothing.
   */
  distinctiveness: number;
  /** Number of the theme's papers the label covers. */
  covered: number;
}

/**
 * Matching key of one lower-cased word: the first five letters of its Porter2 stem ("pruning"
 * and "prune" → "prune"); a shorter stem whole, without a final "s" ("llms" → "llm").
 */
export function wordKey(word: string): string {
  const s = stem(word);
  return s.length >= 5 ? s.slice(0, 5) : s.length > 2 && s.endsWith("s") ? s.slice(0, -1) : s;
}

/** The word keys of a text (title + abstract for a paper), for {@link coversKeys}. */
export function textKeys(text: string, keyOf: (word: string) => string = wordKey): Set<string> {
  const keys = new Set<string>();
  for (const m of text.toLowerCase().matchAll(WORD_PATTERN)) {
    const token = m[0].replace(/’/g, "'").replace(/'s$/, "");
    keys.add(keyOf(token));
    if (/[-'.]/.test(token)) for (const part of token.split(/[-'.]+/)) if (part) keys.add(keyOf(part));
  }
  return keys;
}

/** The word keys of a paper's title and abstract. */
export function paperKeys(paper: Paper, keyOf: (word: string) => string = wordKey): Set<string> {
  return textKeys(`${paper.title}\n${paper.abstract}`, keyOf);
}

/**
 * The content-word keys of a label, one list per alternative ("a / b" → two lists). Stopwords
 * and pure numbers are dropped; an alternative with no content word is dropped.
 */
export function labelKeys(label: string, keyOf: (word: string) => string = wordKey): string[][] {
  const out: string[][] = [];
  for (const side of label.split(/\s*\/\s*/)) {
    const keys: string[] = [];
    for (const m of side.toLowerCase().matchAll(WORD_PATTERN)) {
      const token = m[0].replace(/’/g, "'").replace(/'s$/, "");
      for (const part of token.split(/[-'.]+/)) {
        if (!part || ENGLISH_STOPWORDS.has(part) || /^\d+$/.test(part)) continue;
        keys.push(keyOf(part));
      }
    }
    if (keys.length > 0) out.push([...new Set(keys)]);
  }
  return out;
}

/** Whether a text's keys (from {@link textKeys}) satisfy a label's keys (from {@link labelKeys}). */
export function coversKeys(text: ReadonlySet<string>, label: readonly (readonly string[])[]): boolean {
  return label.some((side) => side.every((k) => text.has(k)));
}

/**
 * Coverage and distinctiveness of `label` for a theme of `members`, against the `rest` of the
 * listing (the papers of the other themes).
 *
 * @example
 * ```ts
 * const { themes } = (await buildThemes(papers, vectors)).result;
 * for (const t of themes) {
 *   const rest = papers.filter((p) => !t.papers.includes(p));
 *   const { coverage, distinctiveness } = labelCoverage(t.label, t.papers, rest);
 *   console.log(`${t.label}: covers ${(100 * coverage).toFixed(0)}% of its papers, ${distinctiveness.toFixed(1)}× the rest`);
 * }
 * ```
 */
export function labelCoverage(label: string, members: readonly Paper[], rest: readonly Paper[]): LabelCoverage {
  const keys = labelKeys(label);
  const count = (ps: readonly Paper[]) => ps.reduce((s, p) => s + (coversKeys(paperKeys(p), keys) ? 1 : 0), 0);
  const covered = count(members);
  const outside = count(rest);
  return coverageFigures(covered, members.length, outside, rest.length);
}

/** The figures of {@link LabelCoverage} from counts. */
export function coverageFigures(covered: number, size: number, outside: number, restSize: number): LabelCoverage {
  const coverage = size > 0 ? covered / size : 0;
  const restCoverage = restSize > 0 ? outside / restSize : 0;
  const distinctiveness = coverage === 0 ? 0 : restSize === 0 ? Infinity : coverage / Math.max(restCoverage, 0.5 / restSize);
  return { coverage, restCoverage, distinctiveness, covered };
}

/**
 * The papers of a listing indexed by word key, to find quickly which papers a label covers
 * (the rule of {@link labelCoverage}, or the same rule with another word key `keyOf`).
 * Results are remembered per label.
 */
export class CoverageIndex {
  private readonly postings = new Map<string, number[]>();
  private readonly memo = new Map<string, Int32Array>();
  readonly size: number;

  constructor(
    papers: readonly Paper[],
    private readonly keyOf: (word: string) => string = wordKey,
  ) {
    this.size = papers.length;
    papers.forEach((p, i) => {
      for (const key of paperKeys(p, keyOf)) {
        const list = this.postings.get(key);
        if (list) list.push(i);
        else this.postings.set(key, [i]);
      }
    });
  }

  /** Indices (ascending) of the papers `label` covers. */
  covered(label: string): Int32Array {
    const known = this.memo.get(label);
    if (known) return known;
    const union = new Set<number>();
    for (const side of labelKeys(label, this.keyOf)) {
      const lists = side.map((k) => this.postings.get(k) ?? []).sort((a, b) => a.length - b.length);
      let acc = lists[0];
      for (let j = 1; j < lists.length && acc.length > 0; j++) acc = intersect(acc, lists[j]);
      for (const i of acc) union.add(i);
    }
    const out = Int32Array.from(union).sort();
    if (this.memo.size > 100_000) this.memo.clear();
    this.memo.set(label, out);
    return out;
  }
}

function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out;
}
