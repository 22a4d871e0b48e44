/**
 * The text analyzer: how papermap turns text into words and words into matching keys. Every
 * module that tokenises, drops stopwords or stems asks this one.
 *
 * - Tokens: {@link WORD_PATTERN}, {@link normalizeToken}, {@link tokenize}; stopwords:
 *   {@link ENGLISH_STOPWORDS}.
 * - Three normal forms of a word, each kept because it measurably pays where it is used:
 *   {@link stem} (Porter2; the TF-IDF terms of the lexical embedder), {@link pluralStem}
 *   (plurals only; BM25 keyword search) and {@link phraseStem} (plurals and derivations,
 *   but "token" ≠ "tokenizer"; theme phrases).
 * - {@link analyze}: the TF-IDF terms (stemmed words and word n-grams) of a text.
 */
import { stem as porter2 } from "./stem.js";
import { ENGLISH_STOPWORDS } from "./stopwords.js";

export { ENGLISH_STOPWORDS };

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
const CACHE_LIMIT = 200_000;

function cached(cache: Map<string, string>, word: string, compute: (word: string) => string): string {
  let s = cache.get(word);
  if (s === undefined) {
    s = compute(word);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, s);
  }
  return s;
}

/**
 * The Porter2 (English Snowball) stem of a lower-cased word: "learning", "learned" →
 * "learn"; see src/text/stem.ts for what it leaves alone.
 */
export function stem(word: string): string {
  return cached(STEM_CACHE, word, porter2);
}

/**
 * A light English plural stemmer (in the spirit of Harman's S-stemmer): "tokens" → "token",
 * "queries" → "query", "patches" → "patch", "responses" → "response", while leaving
 * "analysis", "focus", "class", "bias" and words with digits ("gpt-4s") untouched.
 */
export function pluralStem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies") && word.length > 4) {
    return word.slice(0, -3) + "y";
  }
  if (word.endsWith("sses") || word.endsWith("shes") || word.endsWith("ches") || word.endsWith("xes")) {
    return word.slice(0, -2);
  }
  if (word.endsWith("s") && !/(ss|us|is|ys|as|os)$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * The normal form of theme phrases: plural and common derivational endings cut, so that
 * "tokenizer" ~ "tokenizers" ~ "tokenization" and "model" ~ "models" ~ "modeling", while
 * "token" stays apart from "tokenizer" (Porter2 joins them, which merges two topics).
 */
export function phraseStem(word: string): string {
  return cached(PHRASE_CACHE, word, computePhraseStem);
}

const PHRASE_CACHE = new Map<string, string>();

/** Suffix rules of {@link phraseStem}, the first that matches applies. */
const STEM_RULES: readonly [RegExp, string][] = [
  [/izations?$/, "iz"],
  [/isations?$/, "iz"],
  [/izers?$/, "iz"],
  [/isers?$/, "iz"],
  [/ized$/, "iz"],
  [/ised$/, "iz"],
  [/izing$/, "iz"],
  [/ising$/, "iz"],
  [/izes?$/, "iz"],
  [/ises$/, "iz"],
  [/ations?$/, "at"],
  [/ators?$/, "at"],
  [/ies$/, "y"],
  [/(i)(um|a)$/, "$1"],
  [/(ss|us|is)$/, "$1"],
  [/sses$/, "ss"],
  [/([^s])s$/, "$1"],
];

function computePhraseStem(word: string): string {
  let w = word.toLowerCase().replace(/-/g, "");
  if (w.length <= 3) return w;
  for (const [re, rep] of STEM_RULES) {
    if (re.test(w)) {
      w = w.replace(re, rep);
      break;
    }
  }
  // Verb/gerund forms: "modeling" ~ "model", "masked" ~ "masking" ~ "mask", "encoder" ~ "encoding".
  const before = w;
  w = w.replace(/(ing|ed|er|ers)$/, "");
  if (w.length < 3) w = before;
  if (w.length >= 6) w = w.replace(/(ic|al|ical)$/, ""); // "robotic" ~ "robot"
  w = w.replace(/(.)\1$/, "$1"); // "modell" → "model"
  w = w.replace(/e$/, ""); // "encode" → "encod"
  return w;
}

// ---- Tokens ----
export interface TokenizeOptions {
  /** Drop English stopwords (default true). */
  removeStopwords?: boolean;
  /** Drop tokens shorter than this many characters (default 2). */
  minLength?: number;
}

/**
 * A word: letters and digits, with inner hyphens, apostrophes or dots
 * (e.g. "vision-language", "gpt-4o", "v1.5"). Global and Unicode-aware; match it
 * against lower-cased text.
 */
export const WORD_PATTERN = /[\p{L}\p{N}]+(?:[-'’.][\p{L}\p{N}]+)*/gu;

/**
 * One matched word as a token: curly apostrophes straightened, a trailing possessive
 * "'s" removed. `undefined` when it is too short or a pure number.
 */
export function normalizeToken(word: string, minLength = 2): string | undefined {
  let token = word.includes("’") ? word.replace(/’/g, "'") : word;
  if (token.endsWith("'s")) token = token.slice(0, -2);
  if (token.length < minLength) return undefined;
  if (NUMBER_LIKE.test(token)) return undefined;
  return token;
}

const NUMBER_LIKE = /^[\d.\-']+$/;

/**
 * Lower-cased word tokens in text order. Pure numbers are dropped; hyphenated words are
 * kept whole ("vision-language") so that names and compounds survive.
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const removeStopwords = options.removeStopwords ?? true;
  const minLength = options.minLength ?? 2;
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD_PATTERN)) {
    const token = normalizeToken(match[0], minLength);
    if (token === undefined) continue;
    if (removeStopwords && ENGLISH_STOPWORDS.has(token)) continue;
    out.push(token);
  }
  return out;
}

// ---- TF-IDF terms ----

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
  const stemmed = o.stem ? stem : (w: string) => w;
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
