import { stem as porter2 } from "./stem.js";
import { ENGLISH_STOPWORDS } from "./stopwords.js";
import { WORD_PATTERN, normalizeToken } from "./tokenize.js";

/** How a text becomes the terms (words and word n-grams) that TF-IDF counts. */
export interface AnalyzerOptions {
  /** Reduce words to their Porter2 stem ("models" → "model"); default true. */
  stem?: boolean;
  /** Longest word n-gram: 1 (words only), 2 (words and pairs, the default) or 3. */
  maxNgram?: number;
  /**
   * Whether n-grams may span a removed stopword or punctuation ("learning of
   * representations" → "learn represent"). Default false: n-grams only join words that
   * are adjacent in the text, within one clause, which keeps them phrase-like.
   */
  ngramsAcrossGaps?: boolean;
  /**
   * What to do with hyphenated words such as "vision-language": keep the compound only
   * ("keep"), use the parts only ("split"), or both (the default "both").
   */
  hyphens?: "keep" | "split" | "both";
  /** Drop words shorter than this (default 2). */
  minLength?: number;
}

export const DEFAULT_ANALYZER: Required<AnalyzerOptions> = {
  stem: true,
  maxNgram: 2,
  ngramsAcrossGaps: false,
  hyphens: "both",
  minLength: 2,
};

// Characters between two words that end a phrase.
const CLAUSE_BREAK = /[.,;:!?()[\]{}"“”|/\\<>=+*&%$#@~^]/;

// Stemming the same words again and again dominates analysis time: remember recent stems.
const STEM_CACHE = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

function cachedStem(word: string): string {
  let s = STEM_CACHE.get(word);
  if (s === undefined) {
    s = porter2(word);
    if (STEM_CACHE.size >= STEM_CACHE_LIMIT) STEM_CACHE.clear();
    STEM_CACHE.set(word, s);
  }
  return s;
}

/**
 * The terms of a text: lower-cased, stopword-free (optionally stemmed) words followed by
 * their n-grams joined with a space ("vision transform"). The same text always gives the
 * same terms.
 */
export function analyze(text: string, options: AnalyzerOptions = {}): string[] {
  const o = { ...DEFAULT_ANALYZER, ...options };
  const words: string[] = [];
  const extra: string[] = [];
  // Each run is a sequence of words adjacent in the text (for n-grams).
  const runs: string[][] = [];
  let run: string[] = [];
  let lastEnd = 0;
  const stemmed = o.stem ? cachedStem : (w: string) => w;
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(WORD_PATTERN)) {
    const start = m.index ?? 0;
    const gap = lower.slice(lastEnd, start);
    lastEnd = start + m[0].length;
    if (CLAUSE_BREAK.test(gap) && !o.ngramsAcrossGaps) {
      if (run.length > 0) runs.push(run);
      run = [];
    }
    const token = normalizeToken(m[0], o.minLength);
    if (token === undefined || ENGLISH_STOPWORDS.has(token)) {
      if (!o.ngramsAcrossGaps && run.length > 0) {
        runs.push(run);
        run = [];
      }
      continue;
    }
    let main: string;
    if (token.includes("-") && o.hyphens !== "keep") {
      const parts = token
        .split("-")
        .filter((p) => p.length >= o.minLength && !ENGLISH_STOPWORDS.has(p) && !/^[\d.']+$/.test(p))
        .map(stemmed);
      if (o.hyphens === "split") {
        // The parts stand in for the compound, in order.
        for (const p of parts) {
          words.push(p);
          run.push(p);
        }
        continue;
      }
      main = stemmed(token);
      for (const p of parts) extra.push(p);
    } else {
      main = stemmed(token);
    }
    words.push(main);
    run.push(main);
  }
  if (run.length > 0) runs.push(run);

  const out = words.concat(extra);
  if (o.maxNgram >= 2) {
    const seq = o.ngramsAcrossGaps ? [runs.flat()] : runs;
    for (let n = 2; n <= o.maxNgram; n++) {
      for (const r of seq) {
        for (let i = 0; i + n <= r.length; i++) out.push(n === 2 ? r[i] + " " + r[i + 1] : r.slice(i, i + n).join(" "));
      }
    }
  }
  return out;
}
