/**
 * The English (Porter2) Snowball stemmer, written from the published algorithm
 * description. It maps inflected and derived forms to a common stem:
 * "learning", "learned", "learns" → "learn"; "generation", "generated" → "generat".
 *
 * Stems are not always words ("efficiency" → "effici"); they are only used as
 * matching keys. Tokens that are not plain lower-case letters (numbers, "gpt-4o",
 * "v1.5", non-Latin script) are returned unchanged, except that a hyphenated
 * compound has each of its parts stemmed ("vision-languages" → "vision-languag").
 */
export function stem(word: string): string {
  if (word.includes("-")) {
    const parts = word.split("-");
    if (parts.every((p) => p.length > 0)) return parts.map(stemWord).join("-");
  }
  return stemWord(word);
}

const SPECIAL: ReadonlyMap<string, string> = new Map(
  Object.entries({
    skis: "ski",
    skies: "sky",
    dying: "die",
    lying: "lie",
    tying: "tie",
    idly: "idl",
    gently: "gentl",
    ugly: "ugli",
    early: "earli",
    only: "onli",
    singly: "singl",
    sky: "sky",
    news: "news",
    howe: "howe",
    atlas: "atlas",
    cosmos: "cosmos",
    bias: "bias",
    andes: "andes",
  }),
);

const AFTER_1A_INVARIANT = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);

const PLAIN = /^[a-z']+$/;

function isVowel(c: string): boolean {
  return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
}

const DOUBLES = new Set(["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]);
const LI_ENDING = new Set(["c", "d", "e", "g", "h", "k", "m", "n", "r", "t"]);

/** Start of R1 and R2 (indices; word.length when the region is empty). */
function regions(w: string): [number, number] {
  let r1 = w.length;
  const prefix = /^(gener|commun|arsen)/.exec(w);
  if (prefix) {
    r1 = prefix[0].length;
  } else {
    for (let i = 1; i < w.length; i++) {
      if (!isVowel(w[i]) && isVowel(w[i - 1])) {
        r1 = i + 1;
        break;
      }
    }
  }
  let r2 = w.length;
  for (let i = r1 + 1; i < w.length; i++) {
    if (!isVowel(w[i]) && isVowel(w[i - 1])) {
      r2 = i + 1;
      break;
    }
  }
  return [r1, r2];
}

/** Vowels here are lower-case a e i o u y; an upper-case Y is a consonant. */
function endsWithShortSyllable(w: string): boolean {
  const n = w.length;
  if (n === 2) return isVowel(w[0]) && !isVowel(w[1]);
  if (n < 2) return false;
  const c = w[n - 1];
  return !isVowel(c) && c !== "w" && c !== "x" && c !== "Y" && isVowel(w[n - 2]) && !isVowel(w[n - 3]);
}

function isShort(w: string, r1: number): boolean {
  return r1 >= w.length && endsWithShortSyllable(w);
}

function hasVowel(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isVowel(s[i])) return true;
  return false;
}

function stemWord(input: string): string {
  if (input.length <= 2 || !PLAIN.test(input)) return input;
  let w = input;
  if (w.startsWith("'")) w = w.slice(1);
  const special = SPECIAL.get(w);
  if (special !== undefined) return special;
  if (w.length <= 2) return w;

  // Mark consonant y: at the start, or after a vowel.
  if (w[0] === "y") w = "Y" + w.slice(1);
  for (let i = 1; i < w.length; i++) {
    if (w[i] === "y" && isVowel(w[i - 1])) w = w.slice(0, i) + "Y" + w.slice(i + 1);
  }
  const [r1, r2] = regions(w);

  // Step 0: possessive apostrophes.
  for (const suf of ["'s'", "'s", "'"]) {
    if (w.endsWith(suf)) {
      w = w.slice(0, -suf.length);
      break;
    }
  }

  // Step 1a: plurals.
  if (w.endsWith("sses")) {
    w = w.slice(0, -2);
  } else if (w.endsWith("ied") || w.endsWith("ies")) {
    w = w.length > 4 ? w.slice(0, -2) : w.slice(0, -1);
  } else if (w.endsWith("us") || w.endsWith("ss")) {
    // unchanged
  } else if (w.endsWith("s")) {
    if (hasVowel(w.slice(0, -2))) w = w.slice(0, -1);
  }
  if (AFTER_1A_INVARIANT.has(w)) return w;

  // Step 1b: past tense and progressive forms.
  const step1b = longestSuffix(w, ["eedly", "ingly", "edly", "eed", "ing", "ed"]);
  if (step1b === "eed" || step1b === "eedly") {
    if (w.length - step1b.length >= r1) w = w.slice(0, -step1b.length) + "ee";
  } else if (step1b !== undefined) {
    const stemPart = w.slice(0, -step1b.length);
    if (hasVowel(stemPart)) {
      w = stemPart;
      if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) {
        w += "e";
      } else if (DOUBLES.has(w.slice(-2))) {
        w = w.slice(0, -1);
      } else if (isShort(w, r1)) {
        w += "e";
      }
    }
  }

  // Step 1c: final y after a consonant that is not the first letter.
  if (w.length > 2 && (w.endsWith("y") || w.endsWith("Y")) && !isVowel(w[w.length - 2])) {
    w = w.slice(0, -1) + "i";
  }

  // Step 2.
  const step2 = longestSuffix(w, STEP2_SUFFIXES);
  if (step2 !== undefined && w.length - step2.length >= r1) {
    const base = w.slice(0, -step2.length);
    if (step2 === "ogi") {
      if (base.endsWith("l")) w = base + "og";
    } else if (step2 === "li") {
      if (base.length > 0 && LI_ENDING.has(base[base.length - 1])) w = base;
    } else {
      w = base + STEP2[step2];
    }
  }

  // Step 3.
  const step3 = longestSuffix(w, STEP3_SUFFIXES);
  if (step3 !== undefined && w.length - step3.length >= r1) {
    const base = w.slice(0, -step3.length);
    if (step3 === "ative") {
      if (w.length - step3.length >= r2) w = base;
    } else {
      w = base + STEP3[step3];
    }
  }

  // Step 4.
  const step4 = longestSuffix(w, STEP4_SUFFIXES);
  if (step4 !== undefined && w.length - step4.length >= r2) {
    const base = w.slice(0, -step4.length);
    if (step4 === "ion") {
      if (base.endsWith("s") || base.endsWith("t")) w = base;
    } else {
      w = base;
    }
  }

  // Step 5.
  if (w.endsWith("e")) {
    const base = w.slice(0, -1);
    if (base.length >= r2 || (base.length >= r1 && !endsWithShortSyllable(base))) w = base;
  } else if (w.endsWith("ll") && w.length - 1 >= r2) {
    w = w.slice(0, -1);
  }

  return w.replace(/Y/g, "y");
}

const STEP2: Readonly<Record<string, string>> = {
  tional: "tion",
  enci: "ence",
  anci: "ance",
  abli: "able",
  entli: "ent",
  izer: "ize",
  ization: "ize",
  ational: "ate",
  ation: "ate",
  ator: "ate",
  alism: "al",
  aliti: "al",
  alli: "al",
  fulness: "ful",
  ousli: "ous",
  ousness: "ous",
  iveness: "ive",
  iviti: "ive",
  biliti: "ble",
  bli: "ble",
  fulli: "ful",
  lessli: "less",
  ogi: "og",
  li: "",
};
const STEP2_SUFFIXES = Object.keys(STEP2);

const STEP3: Readonly<Record<string, string>> = {
  tional: "tion",
  ational: "ate",
  alize: "al",
  icate: "ic",
  iciti: "ic",
  ical: "ic",
  ful: "",
  ness: "",
  ative: "",
};
const STEP3_SUFFIXES = Object.keys(STEP3);

const STEP4_SUFFIXES = [
  "al",
  "ance",
  "ence",
  "er",
  "ic",
  "able",
  "ible",
  "ant",
  "ement",
  "ment",
  "ent",
  "ism",
  "ate",
  "iti",
  "ous",
  "ive",
  "ize",
  "ion",
];

function longestSuffix(w: string, suffixes: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const s of suffixes) {
    if (w.endsWith(s) && (best === undefined || s.length > best.length)) best = s;
  }
  return best;
}
