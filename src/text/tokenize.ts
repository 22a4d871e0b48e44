import { ENGLISH_STOPWORDS } from "./stopwords.js";

export interface TokenizeOptions {
  /** Drop English stopwords (default true). */
  removeStopwords?: boolean;
  /** Drop tokens shorter than this many characters (default 2). */
  minLength?: number;
}

// Words with inner hyphens, apostrophes or dots (e.g. "vision-language", "gpt-4o", "v1.5").
const WORD = /[\p{L}\p{N}]+(?:[-'’.][\p{L}\p{N}]+)*/gu;

/**
 * Lower-cased word tokens in text order. Pure numbers are dropped; hyphenated words are
 * kept whole ("vision-language") so that names and compounds survive.
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const removeStopwords = options.removeStopwords ?? true;
  const minLength = options.minLength ?? 2;
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const token = match[0].replace(/’/g, "'").replace(/'s$/, "");
    if (token.length < minLength) continue;
    if (/^[\d.\-']+$/.test(token)) continue;
    if (removeStopwords && ENGLISH_STOPWORDS.has(token)) continue;
    out.push(token);
  }
  return out;
}
