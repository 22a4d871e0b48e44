/**
 * Theme names from the words of the papers.
 *
 * - **Label** (1–4 words): the phrase of the theme's papers that most of them share and the
 *   rest of the listing mostly lacks. Candidates are the theme's 1–3-word phrases; each is
 *   scored by its coverage (share of the theme's papers holding all its words, as
 *   {@link labelCoverage} measures it) times the log of its distinctiveness (coverage inside
 *   ÷ coverage in the rest of the listing, capped at {@link DISTINCTIVENESS_CAP}), with a mild
 *   preference for multi-word phrases over short lower-case words. A phrase that covers a
 *   majority of the theme, at least 3× as often as the rest, always beats one that covers a
 *   minority; below that, a label covering a quarter of the theme beats one covering less.
 *   When no single phrase covers a majority, two may share a label, "a / b", if together they
 *   cover clearly more. Two themes never get the same label: larger themes choose first.
 *   While choosing, words match by their {@link phraseStem} (stricter than the five-letter
 *   prefixes of `labelCoverage`: "tokenizer" is not "token").
 * - **Sub-topics** (up to 3): phrases that each name a visible group inside the theme, chosen
 *   greedily so that each covers mostly papers the previous ones did not.
 * - **Keywords** (5–10): class-based TF-IDF over the phrases (each theme's papers against all
 *   papers), near-duplicates removed, kept diverse by maximal marginal relevance, and none
 *   repeating the label or a sub-topic.
 *
 * Boilerplate never names anything: a fixed list of research stock words (see
 * {@link GENERIC_RESEARCH_WORDS}) plus the phrases the listing itself spreads evenly over all
 * themes ({@link learnBoilerplate}).
 */
import type { Paper } from "../paper.js";
import { learnBoilerplate } from "./boilerplate.js";
import { coverageFigures, CoverageIndex } from "./coverage.js";
import { phraseStem } from "../text/analyze.js";
import { extractPhrases, stemKey } from "./phrases.js";

/** The name of one theme. */
export interface ThemeLabel {
  /** 1–4 words. */
  label: string;
  /** Up to 3 phrases, each naming a group of papers inside the theme, largest group first. */
  subtopics: string[];
  /** Most distinctive first; none repeats the label or a sub-topic. */
  keywords: string[];
}

export interface LabelOptions {
  /** Keywords per theme (default 8; at most 10). */
  keywords?: number;
  /** MMR trade-off between distinctiveness (1) and diversity (0); default 0.7. */
  diversity?: number;
  /** Sub-topics per theme (default 3; 0 for none). */
  subtopics?: number;
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

/** Exponent of the log-ratio in the keyword score: above 1 favours terms found mostly in this theme. */
const DISTINCTIVENESS = 2;

/** Distinctiveness beyond this ratio earns a label nothing more: past it, coverage decides. */
const DISTINCTIVENESS_CAP = 12;

/** A label covering at least this share of its theme (and distinctive enough) is a majority label. */
const MAJORITY = 0.5;

/** Labels covering less of their theme come last. */
const MINIMUM_COVERAGE = 0.25;

/** Label candidates per theme (by number of papers holding the phrase). */
const LABEL_POOL = 150;

/** What a listing's phrases look like, shared by all themes. */
interface Vocabulary {
  /** Per paper: phrase stem key → weight (title beats abstract). */
  perPaper: Map<string, number>[];
  /** Weighted document frequency of each stem key. */
  df: Map<string, number>;
  /** Surface spellings of each lower-cased word. */
  surfaces: Map<string, Map<string, number>>;
  /** The most common spelling of a stem key's phrase. */
  spellingOf(stem: string): string;
}

/** A phrase of one theme with its c-TF-IDF score and the members holding it. */
interface LocalTerm {
  stem: string;
  words: number;
  score: number;
  members: number[];
}

/** A possible label or sub-topic, with how much of the theme (and of the rest) it covers. */
interface Named {
  text: string;
  /** Stem keys of its phrases (two for "a / b"). */
  stems: string[][];
  words: number;
  /** Papers of the listing it covers (indices into `papers`). */
  covered: Int32Array;
  inside: number;
  coverage: number;
  distinctiveness: number;
  value: number;
}

/**
 * A label, sub-topics and keywords for each group of papers (`groups[t]` = indices into
 * `papers`). Deterministic, and independent of the order of the groups: ties are broken
 * alphabetically, and larger themes choose their label first.
 */
export function labelThemes(papers: readonly Paper[], groups: readonly (readonly number[])[], options: LabelOptions = {}): ThemeLabel[] {
  const wanted = Math.max(1, Math.min(10, options.keywords ?? 8));
  const lambda = options.diversity ?? 0.7;
  const maxSubtopics = Math.max(0, Math.min(3, options.subtopics ?? 3));
  const vocabulary = buildVocabulary(papers);
  const boilerplate = learnBoilerplate({ perPaper: vocabulary.perPaper, groups });
  // Coverage while choosing counts whole word stems ("tokenizer" is not "token"), stricter
  // than the five-letter prefixes of labelCoverage.
  const index = new CoverageIndex(papers, phraseStem);
  const themeOf = new Int32Array(papers.length).fill(-1);
  groups.forEach((g, t) => g.forEach((i) => (themeOf[i] = t)));

  const terms = groups.map((members) => localTerms(vocabulary, members, papers.length).filter((e) => !boilerplate.has(e.stem)));
  const context = { vocabulary, index, themeOf, total: papers.length };
  const labelChoices = groups.map((members, t) => labelCandidates(context, t, members.length, terms[t]));
  const labels = distinctLabels(groups, labelChoices);

  return groups.map((members, t) => {
    const label = labels[t];
    const subtopics = label && members.length >= 4 ? chooseSubtopics(context, t, members.length, terms[t], label, maxSubtopics) : [];
    const taken = [...(label?.stems ?? []), ...subtopics.flatMap((s) => s.stems)];
    const keywords = chooseKeywords(vocabulary, terms[t], members.length, wanted, lambda, taken);
    return {
      label: label?.text ?? (keywords[0] || "miscellaneous"),
      subtopics: subtopics.map((s) => s.text),
      keywords,
    };
  });
}

function buildVocabulary(papers: readonly Paper[]): Vocabulary {
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
  return { perPaper, df, surfaces, spellingOf };
}

/**
 * The phrases of one theme with their class-based TF-IDF score (the theme as the class): how
 * often the phrase occurs in the theme's papers, times the log-ratio of that rate to its rate
 * in the other papers (smoothed, so a phrase found only here gets a large but finite weight).
 */
function localTerms(vocabulary: Vocabulary, members: readonly number[], total: number): LocalTerm[] {
  const size = members.length;
  // Each paper lists a term once, so member lists hold no repeats.
  const local = new Map<string, { weight: number; members: number[] }>();
  members.forEach((paperIndex, position) => {
    for (const [stem, w] of vocabulary.perPaper[paperIndex]) {
      const e = local.get(stem);
      if (e) {
        e.weight += w;
        e.members.push(position);
      } else {
        local.set(stem, { weight: w, members: [position] });
      }
    }
  });
  const out: LocalTerm[] = [];
  const outside = Math.max(0, total - size);
  for (const [stem, e] of local) {
    let words = 1;
    for (let i = 0; i < stem.length; i++) if (stem.charCodeAt(i) === 32) words++;
    const inside = e.weight / size;
    const elsewhere = (vocabulary.df.get(stem)! - e.weight + 0.5) / (outside + 1);
    // Multi-word phrases read better as names and are more specific: a mild preference.
    const lengthBoost = 1 + 0.25 * (words - 1);
    const score = inside * Math.log(1 + inside / elsewhere) ** DISTINCTIVENESS * lengthBoost;
    out.push({ stem, words, score, members: e.members });
  }
  return out;
}

interface NamingContext {
  vocabulary: Vocabulary;
  index: CoverageIndex;
  themeOf: Int32Array;
  total: number;
}

const byText = (a: { text: string }, b: { text: string }) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

/** Coverage figures of a text for theme `t`, and its value as a name. */
function measure(context: NamingContext, t: number, size: number, text: string, stems: string[][], words: number): Named {
  const covered = context.index.covered(text);
  let inside = 0;
  for (const i of covered) if (context.themeOf[i] === t) inside++;
  const f = coverageFigures(inside, size, covered.length - inside, context.total - size);
  return {
    text,
    stems,
    words,
    covered,
    inside,
    coverage: f.coverage,
    distinctiveness: f.distinctiveness,
    value: nameValue(f.coverage, f.distinctiveness, words),
  };
}

/** Coverage × log(distinctiveness), distinctiveness capped; multi-word names mildly preferred. */
function nameValue(coverage: number, distinctiveness: number, words: number): number {
  const d = Math.min(DISTINCTIVENESS_CAP, Number.isFinite(distinctiveness) ? distinctiveness : DISTINCTIVENESS_CAP);
  return d <= 1 ? 0 : coverage * Math.log(d) * (1 + 0.15 * (Math.min(words, 3) - 1));
}

/**
 * The label candidates of theme `t`, best first: majority phrases (and "a / b" pairs) first
 * when there are any, each group ordered by value.
 */
function labelCandidates(context: NamingContext, t: number, size: number, terms: readonly LocalTerm[]): Named[] {
  if (size === 0) return [];
  const minSupport = size >= 2 ? Math.max(2, Math.ceil(0.1 * size)) : 1;
  const pool = terms
    .filter((e) => e.members.length >= minSupport)
    .sort((a, b) => b.members.length - a.members.length || b.score - a.score || (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0))
    .slice(0, LABEL_POOL);
  const { vocabulary } = context;
  const singles = pool.map((e) => {
    const named = measure(context, t, size, display(vocabulary.spellingOf(e.stem), vocabulary.surfaces), [e.stem.split(" ")], e.words);
    // A short lower-case word ("image", "text") names a theme only when nothing better does.
    if (e.words === 1 && !specificWord(named.text)) named.value *= 0.8;
    return named;
  });
  const order = (a: Named, b: Named) => b.value - a.value || b.inside - a.inside || byText(a, b);
  const majority = singles.filter((c) => c.coverage >= MAJORITY && c.distinctiveness >= 3).sort(order);
  // Two phrases share a label only when no single phrase names a majority of the theme.
  const pairs = majority.length > 0 ? [] : labelPairs(context, t, size, singles);
  const others = [...singles, ...pairs].filter((c) => c.value > 0 && c.distinctiveness >= 2 && !majority.includes(c));
  // A label covering under a quarter of its theme only when nothing covers more.
  const broad = others.filter((c) => c.coverage >= MINIMUM_COVERAGE).sort(order);
  const narrow = others.filter((c) => c.coverage < MINIMUM_COVERAGE).sort(order);
  return [...majority, ...broad, ...narrow];
}

/**
 * "a / b" labels: two short phrases that together cover clearly more of the theme than
 * either alone (at least 0.2 more), valued a fifth lower than a single phrase.
 */
function labelPairs(context: NamingContext, t: number, size: number, singles: readonly Named[]): Named[] {
  const top = singles
    .filter((c) => c.words <= 2 && c.coverage >= 0.2 && c.distinctiveness >= 3)
    .sort((a, b) => b.value - a.value || byText(a, b))
    .slice(0, 12);
  const out: Named[] = [];
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      const [a, b] = top[i].coverage >= top[j].coverage ? [top[i], top[j]] : [top[j], top[i]];
      if (a.words + b.words > 4 || sharesStem(a.stems[0], b.stems[0])) continue;
      const covered = mergeSorted(a.covered, b.covered);
      let inside = 0;
      for (const p of covered) if (context.themeOf[p] === t) inside++;
      const f = coverageFigures(inside, size, covered.length - inside, context.total - size);
      if (f.coverage < Math.max(a.coverage, b.coverage) + 0.2) continue;
      const value = 0.8 * nameValue(f.coverage, f.distinctiveness, a.words + b.words);
      out.push({
        text: `${a.text} / ${b.text}`,
        stems: [a.stems[0], b.stems[0]],
        words: a.words + b.words,
        covered,
        inside,
        coverage: f.coverage,
        distinctiveness: f.distinctiveness,
        value,
      });
    }
  }
  return out;
}

function sharesStem(a: readonly string[], b: readonly string[]): boolean {
  return a.some((s) => b.includes(s));
}

function mergeSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) out.push(b[j++]);
    else {
      out.push(a[i++]);
      j++;
    }
  }
  return Int32Array.from(out);
}

/** Identity of a label for duplicate checks: its sorted word stems. */
function labelIdentity(named: Named): string {
  return named.stems
    .map((s) => [...s].sort().join(" "))
    .sort()
    .join(" / ");
}

/**
 * One label per theme, never the same for two themes: themes choose in order of size (ties:
 * the theme whose first paper comes first), each taking its best candidate not yet taken.
 */
function distinctLabels(groups: readonly (readonly number[])[], choices: readonly Named[][]): (Named | undefined)[] {
  const order = groups
    .map((g, t) => ({ t, size: g.length, first: g.length > 0 ? Math.min(...g) : Infinity }))
    .sort((a, b) => b.size - a.size || a.first - b.first || a.t - b.t);
  const taken = new Set<string>();
  const out: (Named | undefined)[] = groups.map(() => undefined);
  for (const { t } of order) {
    const pick = choices[t].find((c) => !taken.has(labelIdentity(c)) && !taken.has(c.text.toLowerCase()));
    if (!pick) continue;
    taken.add(labelIdentity(pick));
    taken.add(pick.text.toLowerCase());
    out[t] = pick;
  }
  return out;
}

/**
 * Up to `max` sub-topics of theme `t`: phrases of at least 2 of its papers and at most 3/4 of
 * them, at least twice as frequent in the theme as in the rest of the listing, not repeating
 * the label; chosen greedily by the papers they add (each must add mostly new papers) times
 * the log of their distinctiveness.
 */
function chooseSubtopics(context: NamingContext, t: number, size: number, terms: readonly LocalTerm[], label: Named, max: number): Named[] {
  if (max === 0) return [];
  const { vocabulary, themeOf } = context;
  const labelStems = label.stems;
  const pool = terms
    .filter((e) => e.members.length >= 2 && e.members.length <= 0.75 * size)
    .filter((e) => {
      const stems = e.stem.split(" ");
      return !labelStems.some((l) => containsRun(l, stems) || containsRun(stems, l) || stems.every((s) => l.includes(s)));
    })
    .sort((a, b) => b.members.length - a.members.length || b.score - a.score || (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0))
    .slice(0, LABEL_POOL)
    .map((e) => {
      const named = measure(context, t, size, display(vocabulary.spellingOf(e.stem), vocabulary.surfaces), [e.stem.split(" ")], e.words);
      const inside = new Set<number>();
      for (const i of named.covered) if (themeOf[i] === t) inside.add(i);
      return { named, inside };
    })
    .filter(
      ({ named }) =>
        named.inside >= 2 && named.coverage <= 0.75 && named.distinctiveness >= 3 && (named.words > 1 || specificWord(named.text)),
    );
  const chosen: { named: Named; inside: Set<number> }[] = [];
  const seen = new Set<number>();
  while (chosen.length < max) {
    let best: (typeof pool)[number] | undefined;
    let bestValue = 0;
    for (const c of pool) {
      if (chosen.some((s) => overlapsStems(s.named.stems[0], c.named.stems[0]))) continue;
      let fresh = 0;
      for (const i of c.inside) if (!seen.has(i)) fresh++;
      if (fresh < Math.max(2, 0.6 * c.inside.size)) continue;
      const value = nameValue(fresh / size, c.named.distinctiveness, c.named.words) * (1 + 0.15 * (Math.min(c.named.words, 3) - 1));
      if (value > bestValue + 1e-12 || (best && Math.abs(value - bestValue) <= 1e-12 && c.named.text < best.named.text)) {
        best = c;
        bestValue = value;
      }
    }
    if (!best) break;
    chosen.push(best);
    for (const i of best.inside) seen.add(i);
  }
  return chosen.map((c) => c.named);
}

/**
 * Whether a single word is specific enough to name a sub-topic on its own: an acronym or a
 * name with capitals ("CLIP", "CoT"), a compound ("zero-shot"), or a long word
 * ("segmentation"); short lower-case words ("longer", "block", "hidden") are too vague.
 */
function specificWord(text: string): boolean {
  return /\p{Lu}|-|\d/u.test(text) || text.length >= 8;
}

function overlapsStems(a: readonly string[], b: readonly string[]): boolean {
  return containsRun(a, b) || containsRun(b, a);
}

/** Keywords by c-TF-IDF and MMR, none repeating (or contained in) the label or a sub-topic. */
function chooseKeywords(
  vocabulary: Vocabulary,
  terms: readonly LocalTerm[],
  size: number,
  wanted: number,
  lambda: number,
  taken: readonly string[][],
): string[] {
  const best = (keep: (c: LocalTerm) => boolean): Candidate[] => {
    const kept = terms.filter((c) => keep(c) && !taken.some((s) => overlapsStems(s, c.stem.split(" "))));
    // Only the leading 300 matter: cut at the 300th score before sorting.
    if (kept.length > 300) {
      const scores = Float64Array.from(kept, (c) => c.score).sort();
      const floor = scores[scores.length - 300];
      kept.splice(0, kept.length, ...kept.filter((c) => c.score >= floor));
    }
    return kept
      .sort((x, y) => y.score - x.score || (x.stem < y.stem ? -1 : x.stem > y.stem ? 1 : 0))
      .slice(0, 300)
      .map((c) => ({
        key: vocabulary.spellingOf(c.stem),
        stems: c.stem.split(" "),
        words: c.words,
        score: c.score,
        members: new Set(c.members),
      }));
  };
  // Phrases of at least two papers first; single-paper ones only to fill up.
  const minSupport = size >= 2 ? 2 : 1;
  let chosen = select(
    best((c) => c.members.length >= minSupport),
    wanted,
    lambda,
    [],
  );
  if (chosen.length < Math.min(wanted, 5)) {
    const single = best((c) => c.members.length < minSupport && c.words <= 2);
    chosen = select(single, Math.min(wanted, 5), lambda, chosen);
  }
  return chosen.map((c) => display(c.key, vocabulary.surfaces));
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
      if (!upgrade || c.members.size > upgrade.members.size || (c.members.size === upgrade.members.size && c.score > upgrade.score)) {
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
