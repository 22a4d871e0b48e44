import { ENGLISH_STOPWORDS } from "./stopwords.js";

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
