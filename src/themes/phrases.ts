/**
 * Candidate key phrases of a text: word 1–3-grams inside one clause, in their surface
 * spelling, that neither start nor end with a stopword or a generic research word.
 */
import { ENGLISH_STOPWORDS, phraseStem } from "../text/analyze.js";

/**
 * Words that say nothing about a paper's topic: they may not be a keyword on their own,
 * nor start or end a phrase ("token pruning method" → no).
 */
export const GENERIC_RESEARCH_WORDS: ReadonlySet<string> = new Set(
  `abilities ability able accuracy accurate achieve achieved achieves achieving across additional additionally
  address addresses addressing advance advanced advances advantage advantages aid aim aims alleviate alleviates
  allow allowing allows analyses applicable application applications applied applies apply approach approaches
  article aspect aspects assess assessed assesses assessing attempt attempts available away base based baseline
  baselines benefit benefits best better boost boosted boosts broad calculate calculated calculates called
  capabilities capability capable carried carry case cases certain challenge challenges challenging characterize
  characterized choice choices closely code combine combined combines combining common comparable compare compared
  comparison competitive component components comprehensive compress compresses compute computed computes
  concerning conflate consider considered consistent consistently consisting consists contain containing contains
  contribute contributes contribution contributions conventional core correspond corresponding corresponds crucial
  current currently demonstrate demonstrated demonstrates demonstrating depend dependent depends derive derived
  derives describe described describes describing detailed determine determined determines develop developed
  development different directly discuss discussed discusses diverse due easily easy effect effective effectively
  effectiveness effects efficiency efficient efficiently emerging empirical empirically employ employed employs
  enable enabled enables enabling end encourage encouraged encourages enhance enhanced enhances enhancing ensure
  entire especially essential establish evaluate evaluated evaluates evidence examine examined examines examining
  exclude excludes excluding exhibit exhibits exist existing exists expected experiment experimental experiments
  explain explained explains explore explored explores exploring extend extended extends extensive extensively
  extra fail fails far fast faster feasible fewer finally find finding findings finds first focus focused focuses
  follow followed following follows found four framework frameworks full fully further furthermore gain gains gave
  general generalizable generally generate generated generates generating github give given gives giving goal good
  great greater greatly guide guided guides guiding hard heavily help helped helps highly hold holds http https
  huge human-level idea ideal impact impacts importance important improve improved improvement improvements
  improves improving include includes including incorporate incorporates incorporating increase increased
  increasing increasingly individual inherent inside insight insights instead integrate integrated integrates
  introduce introduced introduces introducing investigate investigated investigates involve involved involving
  issue issues key kind known lack large-scale largely larger latter lead leading leads led length less let
  leverage leverages leveraging like likely limitation limitations limited little made magnitude main mainly
  maintain maintaining make makes making manner meaning means method methodology methods metric metrics minimal
  mitigate mitigates moreover mostly motivated namely near nearly need needed needs new newly notably novel number
  numerous obtain obtained obtains occur occurs offer offering offers often one ones open open-source orders
  original otherwise outperform outperforming outperforms outside overall paper papers parallel particular
  particularly parts past pave paves perform performance performed performing performs perhaps play plays pose
  poses possible possibly potential powerful practical pre present presented presents preserve preserves
  preserving prevalent previous previously primarily principle prior problem problems process produce produced
  produces promising propose proposed proposes proposing prove proved proven proves provide provided provides
  providing publicly question questions quite range rapidly rather readily real-world recent recently reconstruct
  reconstructs reduce reduced reduces reducing reflect reflects regarding related relevant relies rely relying
  remain remaining remains remarkable remove removed removes removing report reported represent represented
  represents require required requires research researchers respect respectively result resulting results retain
  retained retains reveal reveals rich robust scenario scenarios seamlessly second sense serve serves set setting settings
  shed sheds show showcase showcases showed showing shown shows significant significantly similar similarly simple
  simpler simply simultaneously slower smaller solution solutions specific specifically state-of-the-art step
  steps strategies strategy strong strongly studies study substantial substantially successfully suggest suggests
  suitable suited summarize superior support supports surpass surpasses tackle tackles taking task tasks technique
  techniques terms thereby third thorough three thus together total toward towards truly two type types typical
  typically undergo underlying understand unified unifies unify unifying unique unlike upon usage use used useful
  uses using usually utilize utilizes utilizing validate validated variety various verified verify versus via way
  ways well whereas whether whole wide widely widespread work works yet yield yields
  et al etc arxiv preprint doi url www com org html pdf appendix supplementary`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Words too broad to be a keyword on their own or to start a phrase, but fine as the head of
 * one: "language models", "reinforcement learning", "image generation".
 */
export const WEAK_HEAD_WORDS: ReadonlySet<string> = new Set(
  `model models modeling modelling learning network networks generation training data dataset datasets system systems
  architecture architectures representation representations algorithm algorithms inference prediction predictions
  test tests tool tools agent agents understanding analysis evaluation benchmark benchmarks design mechanism robustness content information feature features input inputs output outputs quality level levels
  module modules pipeline pipelines process processes processing scale structure structures signal signals value values`
    .split(/\s+/)
    .filter(Boolean),
);

/** Stopwords that may sit inside a 3-gram ("mixture of experts", "understanding and generation"). */
const INNER_CONNECTORS: ReadonlySet<string> = new Set(["of", "and"]);

const WORD = /[\p{L}\p{N}]+(?:[-'’.][\p{L}\p{N}]+)*/gu;

/**
 * Stock sentences of abstracts, cut out before phrases are taken (they would otherwise leave
 * words such as "art" or "knowledge" behind): "state of the art", "et al.", "to the best of
 * our knowledge", "in this paper", "code is (publicly) available at", "results show".
 */
const BOILERPLATE_RUNS =
  /\bstate[- ]of[- ]the[- ]arts?\b|\bet\s+al\b\.?|\bto the best of (?:our|my) knowledge\b|\bin this (?:paper|work|study|article|letter)\b|\b(?:code|data|models?|datasets?)(?: and (?:code|data|models?|datasets?))? (?:is|are|will be) (?:publicly |freely |made )*available\b|\bresults (?:show|demonstrate|indicate|suggest)\b/gi;
/** Clause boundaries: phrases never cross them. */
const CLAUSE_BREAK = /[.,;:!?()[\]{}"“”‘’/\\|<>=+*~^$%&#@]|\s[-–—]\s|--|—|–/;

export interface PhraseOccurrence {
  /** Lower-cased tokens joined by single spaces: the identity of the phrase. */
  key: string;
  /** Number of words. */
  length: number;
}

function isNumberLike(token: string): boolean {
  if (/^[1-4]d$/.test(token)) return false; // "2D", "3D": topical
  return /^[\d.\-']+$/.test(token) || (/^\d/.test(token) && /^[\d.]+[a-z]{0,2}$/.test(token));
}

/** Lower-cased words of a clause, with their surface spelling. */
function words(clause: string): { lower: string; surface: string }[] {
  const out: { lower: string; surface: string }[] = [];
  for (const m of clause.matchAll(WORD)) {
    const surface = m[0].replace(/’/g, "'").replace(/'s$/i, "");
    out.push({ lower: surface.toLowerCase(), surface });
  }
  return out;
}

/**
 * Words that end like adjectives or participles ("generative", "semantic", "masked") but are
 * nouns, so may end a phrase.
 */
const NOUN_EXCEPTIONS: ReadonlySet<string> = new Set(
  `retrieval signal proposal objective incentive perspective narrative alternative archive traffic material terminal
  interval journal manual portal arrival trial tutorial removal rival animal hospital capital clinic mechanic critic
  metric music logic topic arithmetic rhetoric mosaic epidemic pandemic heuristic relative initiative derivative
  representative directive detective explosive adhesive drive seed speed feed embed bed red bleed breed need
  chemical radical potential integral residual goal deal appeal metal crystal canal pedal survival festival approval
  disposal reversal renewal withdrawal denial library boundary summary vocabulary dictionary glossary binary
  adversary itinerary salary diary table variable cable wireless`
    .split(/\s+/)
    .filter(Boolean),
);

/** Adjectives that may start a phrase ("large language models") but not end one. */
const SIZE_ADJECTIVES: ReadonlySet<string> = new Set(
  `large small big tiny huge long short deep wide high higher low lower redundant dominant abundant sufficient
  coherent frequent salient latent transparent apparent independent fine coarse`
    .split(/\s+/)
    .filter(Boolean),
);

/** Whether a word looks like an adjective or a participle (a poor end for a name). */
export function isAdjectiveLike(token: string): boolean {
  if (SIZE_ADJECTIVES.has(token)) return true;
  if (NOUN_EXCEPTIONS.has(token)) return false;
  const last = token.split("-").pop()!;
  if (NOUN_EXCEPTIONS.has(last)) return false;
  return /(ive|ous|ful|able|ible|ical|al|ic|ary|less|ed)$/.test(last) && last.length > 3;
}

/** Adverbs ("accurately", "highly") end no phrase and start none. */
function isAdverb(token: string): boolean {
  return /ly$/.test(token) && token.length > 4 && !/(family|anomaly|assembly|supply|monopoly|butterfly|italy|reply)$/.test(token);
}

function usableEdge(token: string): boolean {
  return (
    !isAdverb(token) &&
    token.length >= 2 &&
    !ENGLISH_STOPWORDS.has(token) &&
    !GENERIC_RESEARCH_WORDS.has(token) &&
    !isNumberLike(token) &&
    !/^[a-z]$/.test(token)
  );
}

/**
 * Every candidate phrase of a text (with repeats), and each word's surface spellings seen
 * (so a phrase can later be shown as "LLMs" rather than "llms").
 */
export function extractPhrases(text: string, surfaces?: Map<string, Map<string, number>>, maxLength = 3): string[] {
  const out: string[] = [];
  for (const clause of text.replace(BOILERPLATE_RUNS, " . ").split(CLAUSE_BREAK)) {
    const ws = words(clause);
    if (ws.length === 0) continue;
    if (surfaces) {
      for (let i = 0; i < ws.length; i++) {
        const w = ws[i];
        // Sentence-initial capitals say nothing about how a word is written.
        if (i === 0 && /^\p{Lu}\p{Ll}+$/u.test(w.surface)) continue;
        let m = surfaces.get(w.lower);
        if (!m) surfaces.set(w.lower, (m = new Map()));
        m.set(w.surface, (m.get(w.surface) ?? 0) + 1);
      }
    }
    const flags = ws.map((w) => roleOf(w.lower));
    for (let i = 0; i < ws.length; i++) {
      if (!(flags[i] & CAN_START)) continue;
      for (let len = 1; len <= maxLength && i + len <= ws.length; len++) {
        const j = i + len - 1;
        // Inner words (of a 3-gram): content words or a connector.
        if (len === 3 && !(flags[i + 1] & CAN_BE_INNER)) break;
        const f = flags[j];
        if (!(f & CAN_END)) {
          if (f & BREAKS) break;
          continue;
        }
        if (len === 1 && !(f & CAN_STAND_ALONE)) continue;
        let key = ws[i].lower;
        for (let t = i + 1; t <= j; t++) key += " " + ws[t].lower;
        out.push(key);
      }
    }
  }
  return out;
}

const CAN_START = 1;
const CAN_END = 2;
const CAN_STAND_ALONE = 4;
const CAN_BE_INNER = 8;
/** A stopword that is not a connector: no phrase continues across it. */
const BREAKS = 16;

const roles = new Map<string, number>();

/** What a (lower-cased) word may do in a phrase; memoised, the vocabulary is small. */
function roleOf(token: string): number {
  let r = roles.get(token);
  if (r !== undefined) return r;
  const edge = usableEdge(token);
  const weak = WEAK_HEAD_WORDS.has(token);
  const adjective = isAdjectiveLike(token);
  const stop = ENGLISH_STOPWORDS.has(token);
  r = 0;
  if (edge && !weak) r |= CAN_START;
  if (edge && !adjective) r |= CAN_END;
  if (edge && !weak && !adjective) r |= CAN_STAND_ALONE;
  if (!isNumberLike(token) && (!stop || INNER_CONNECTORS.has(token))) r |= CAN_BE_INNER;
  if (stop && !INNER_CONNECTORS.has(token)) r |= BREAKS;
  if (roles.size > 200_000) roles.clear();
  roles.set(token, r);
  return r;
}

/** The stem key of a phrase: its words' phrase stems ({@link phraseStem}). */
export function stemKey(phrase: string): string {
  return phrase.split(" ").map(phraseStem).join(" ");
}
