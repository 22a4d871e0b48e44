import { checkEmbeddings } from "../embed/check.js";
import type { Embedder } from "../embed/types.js";
import { InvalidArgumentError, UnknownPaperError } from "../errors.js";
import { arxivIdFrom, type Paper } from "../paper.js";
import type { ProgressCallback } from "../progress.js";
import { analyzeForBm25, Bm25Index, type Bm25Hit, type Bm25Query, strongestTerms } from "../text/bm25.js";
import { clamp01, cosine, isZero, normalize } from "../vector-math.js";
import type { VectorIndex } from "../vector-index/types.js";
import { compileFilter, describeValue } from "./filter.js";
import { reciprocalRankFusion, scoreFusion, type RankedList } from "./fusion.js";
import { ExactLookup } from "./lookup.js";
import { mmrSelect, type MmrCandidate } from "./mmr.js";
import { SEARCH_MODES, type RelatedOptions, type SearchHit, type SearchMode, type SearchOptions } from "./types.js";

/**
 * Knobs of the ranking. The defaults are the values measured best in `bench/library.ts`
 * (label agreement of related papers on labelled arXiv corpora, known-item search);
 * they are exposed for benchmarks and experiments, not as a stable API.
 */
export interface SearchTuning {
  /** How hybrid mode fuses the vector and keyword signals. */
  fusion: "score" | "rrf";
  /** Damping constant of reciprocal-rank fusion. */
  rrfK: number;
  /** Weight of the vector signal in hybrid `search` (keywords get 1 − this). */
  searchVectorWeight: number;
  /** Weight of the vector signal in hybrid `related` (keywords get 1 − this). */
  relatedVectorWeight: number;
  /** Hybrid `search`: how many of the best fused hits pull the query vector towards them (0 = off). */
  searchFeedback: number;
  /** Hybrid `search`: how far they pull it (their mean, weighted by fused score, times this). */
  searchFeedbackWeight: number;
  /** Weight of an exact name match (rare, name-like query word in a title) in the final score. */
  nameWeight: number;
  /** A name must occur in at most max(nameMinDf, nameDfFraction · N) papers. */
  nameMinDf: number;
  nameDfFraction: number;
  /** Candidates taken from each signal before fusion: max(candidatePool, candidateFactor · k). */
  candidatePool: number;
  candidateFactor: number;
  /**
   * `related`: neighbours averaged into the query vector (alpha query expansion); 0 = off.
   * At most one per 20 papers, so that a small listing is not blurred.
   */
  expansionNeighbours: number;
  /** `related`: neighbour j weighs expansionWeight · max(0, similarity_j)^expansionAlpha. */
  expansionAlpha: number;
  expansionWeight: number;
  /** `related`: how many characteristic terms of the source paper form its keyword query. */
  relatedQueryTerms: number;
  /** `related`: terms found in more than this fraction of the papers are left out of that query. */
  relatedMaxDf: number;
}

export const DEFAULT_TUNING: SearchTuning = {
  fusion: "score",
  rrfK: 60,
  searchVectorWeight: 0.5,
  relatedVectorWeight: 0.7,
  searchFeedback: 3,
  searchFeedbackWeight: 1,
  nameWeight: 0.5,
  nameMinDf: 5,
  nameDfFraction: 0.001,
  candidatePool: 50,
  candidateFactor: 4,
  expansionNeighbours: 10,
  expansionAlpha: 1,
  expansionWeight: 1,
  relatedQueryTerms: 30,
  relatedMaxDf: 0.1,
};

/** A paper being ranked, with the signals found for it so far. */
interface Candidate {
  id: string;
  /** Cosine to the original query / source vector (set by `completeScores`). */
  similarity: number;
  /** Vector score used for ranking: cosine to the (expanded or moved) query vector. */
  vectorScore: number;
  /** Keyword score on [0, 1]; undefined until computed (the keyword search did not reach it). */
  keywordScore: number | undefined;
  matchedTerms: string[];
}

/** One ordinary ranking to compute: a query and the checked options of `search`. */
interface RankRequest {
  query: string;
  /** Papers the query names exactly: they come first. */
  exact: readonly string[];
  k: number;
  mode: SearchMode;
  diversity: number;
  /** The user's filter, if any. */
  accept: ((id: string) => boolean) | undefined;
  /** Throws if the filter predicate failed during the last step. */
  check: () => void;
}

/** The candidates as ranked by one pass of fusion. */
interface Ranking {
  list: Candidate[];
  scores: Map<string, number>;
}

/**
 * The search half of a paper library: papers, their vectors (in a {@link VectorIndex}),
 * a BM25 keyword index and exact-name lookup, kept in step by {@link add} and
 * {@link remove}, and the ranking logic of `search` and `related`.
 */
export class SearchEngine {
  readonly tuning: SearchTuning;
  private readonly byId = new Map<string, Paper>();
  readonly lookup = new ExactLookup();
  /** {@link memo} values; cleared by every change of the papers. */
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly embedder: Embedder,
    readonly index: VectorIndex,
    readonly keywords: Bm25Index = new Bm25Index(),
    tuning: Partial<SearchTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Paper | undefined {
    return this.byId.get(id);
  }

  papers(): Paper[] {
    return [...this.byId.values()];
  }

  vector(id: string): Float32Array | undefined {
    return this.byId.has(id) ? this.index.get(id) : undefined;
  }

  /**
   * A value computed from the held papers (e.g. their mean vector), computed once and kept
   * until the papers change (any `add`, `restore` or `remove`).
   */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /**
   * Embeds document texts with the library's embedder and checks what comes back (one
   * vector of the embedder's dimension, finite numbers, per text).
   */
  async embedDocuments(texts: readonly string[], onProgress?: ProgressCallback): Promise<Float32Array[]> {
    const vectors = await this.embedder.embed(texts, { kind: "document", onProgress });
    return checkEmbeddings(this.embedder, vectors, texts.length, "document");
  }

  /**
   * Adds papers with their vectors (same order), replacing papers whose id exists.
   * `indexKeywords: false` leaves the BM25 index as it is (it already holds these papers:
   * re-embedding them into a new vector index).
   */
  add(papers: readonly Paper[], vectors: readonly Float32Array[], indexKeywords = true): void {
    if (papers.length !== vectors.length) {
      throw new InvalidArgumentError(`add: ${papers.length} papers but ${vectors.length} vectors.`);
    }
    const items: Array<readonly [string, Float32Array]> = [];
    papers.forEach((p, i) => items.push([p.id, vectors[i]] as const));
    this.memos.clear();
    this.index.addMany(items);
    for (const p of papers) {
      this.byId.set(p.id, p);
      this.lookup.add(p);
      if (indexKeywords) this.keywords.add(p.id, { title: p.title, abstract: p.abstract });
    }
  }

  /** Registers papers whose vectors and keywords are already in the (restored) indexes. */
  restore(papers: readonly Paper[]): void {
    this.memos.clear();
    for (const p of papers) {
      this.byId.set(p.id, p);
      this.lookup.add(p);
    }
  }

  /** Removes a paper; {@link UnknownPaperError} when the id is not held. */
  remove(id: string): void {
    if (!this.byId.has(id)) throw new UnknownPaperError(id, "Nothing was removed; list ids with papers().");
    this.memos.clear();
    this.index.remove(id);
    this.keywords.remove(id);
    this.lookup.remove(id);
    this.byId.delete(id);
  }

  /** Natural-language (or id / name) search; see `PaperLibrary.search`. */
  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    if (typeof query !== "string") throw new InvalidArgumentError(`search: query must be a string, got ${typeof query}.`);
    const { k, mode, diversity } = this.checkOptions(options);
    if (this.size === 0 || query.trim() === "") return [];
    const guard = compileFilter(options.filter, (id) => this.byId.get(id));
    const accept = guard.accept;

    // A paper named exactly (id, arXiv id, URL, title, or short name before a colon) comes
    // first; the rest of the list is the ordinary ranking, topped up with papers related to it.
    const exact = this.lookup.find(query).filter((id) => !accept || accept(id));
    guard.check();
    const isIdQuery = exact.length > 0 && (this.byId.has(query.trim()) || arxivIdFrom(query) !== undefined);
    const hits = isIdQuery
      ? exact.map((id) => this.exactHit(id, query))
      : await this.rank({ query, exact, k, mode, diversity, accept, check: guard.check });
    if (exact.length > 0 && hits.length < k) {
      const seen = new Set(hits.map((h) => h.paper.id));
      for (const h of await this.related(exact[0], { ...options, k: k + seen.size })) {
        if (hits.length >= k) break;
        // Scores stay non-increasing down the list.
        if (!seen.has(h.paper.id)) hits.push({ ...h, score: Math.min(h.score, hits.length > 0 ? hits[hits.length - 1].score : 1) });
      }
    }
    return hits.slice(0, k);
  }

  /**
   * The ordinary ranking of a query (exact matches first): candidates from the vector and
   * keyword indexes and from rare names, each signal completed for every candidate, fused;
   * in hybrid mode the query vector then moves towards the best hits and the fusion runs
   * again (pseudo-relevance feedback); names and exact matches are boosted last.
   */
  private async rank(request: RankRequest): Promise<SearchHit[]> {
    const { query, exact, mode } = request;
    const parsed = this.keywords.parseQuery(query);
    const keywordMax = this.keywords.maxScore(parsed);
    // The query vector also explains keyword-mode hits (their `similarity`).
    const qv = await this.embedQuery(query);
    const candidates = await this.gatherCandidates(request, qv, parsed, keywordMax);

    // Rare name-like query words found in titles ("ELECTRA", "CosyVoice").
    const names = mode === "vector" ? new Map<string, number>() : this.nameMatches(query, parsed, request.accept);
    request.check();
    for (const id of [...exact, ...names.keys()]) if (!candidates.has(id)) candidates.set(id, blank(id));
    if (candidates.size === 0) return [];

    const keep = (c: Candidate) => mode !== "keyword" || (c.keywordScore ?? 0) > 0 || names.has(c.id) || exact.includes(c.id);
    const rankBy = (ranking: Float32Array | undefined): Ranking => {
      this.completeScores(candidates, qv, mode === "keyword" ? undefined : ranking, parsed, keywordMax);
      const list = [...candidates.values()].filter(keep);
      return { list, scores: this.fuse(list, mode, this.tuning.searchVectorWeight) };
    };
    let ranking = rankBy(qv);
    if (mode === "hybrid" && qv && this.tuning.searchFeedback > 0) {
      const moved = this.feedbackVector(qv, ranking);
      for (const h of await this.index.search(moved, { k: this.poolSize(request.k), filter: request.accept })) {
        if (!candidates.has(h.id)) candidates.set(h.id, blank(h.id));
      }
      request.check();
      ranking = rankBy(moved);
    }
    const { list, scores } = ranking;
    if (names.size > 0) {
      const w = this.tuning.nameWeight;
      for (const c of list) scores.set(c.id, w * (names.get(c.id) ?? 0) + (1 - w) * (scores.get(c.id) ?? 0));
    }
    for (const id of exact) scores.set(id, 1 + 1e-9); // exact title / name: always first
    return this.finish(list, scores, request.k, request.diversity);
  }

  /**
   * The query's unit vector (checked like document vectors, scaled to unit length when it
   * is not), or undefined when the embedder knows none of its words (all zeros).
   */
  private async embedQuery(query: string): Promise<Float32Array | undefined> {
    const returned = await this.embedder.embed([query], { kind: "query" });
    const [qv] = checkEmbeddings(this.embedder, returned, 1, "query", { unit: true });
    return isZero(qv) ? undefined : qv;
  }

  /** Candidates of a query: the best of the vector ranking and of the keyword ranking. */
  private async gatherCandidates(
    request: RankRequest,
    qv: Float32Array | undefined,
    parsed: Bm25Query,
    keywordMax: number,
  ): Promise<Map<string, Candidate>> {
    const pool = this.poolSize(request.k);
    const candidates = new Map<string, Candidate>();
    if (qv && request.mode !== "keyword") {
      const hits = await this.index.search(qv, { k: pool, filter: request.accept });
      request.check();
      for (const h of hits) candidates.set(h.id, blank(h.id));
    }
    if (request.mode !== "vector" && keywordMax > 0) {
      for (const h of this.keywords.search(parsed, { k: pool, filter: request.accept })) {
        const c = candidates.get(h.id) ?? blank(h.id);
        c.keywordScore = h.score / keywordMax;
        c.matchedTerms = h.matchedTerms;
        candidates.set(h.id, c);
      }
      request.check();
    }
    return candidates;
  }

  /**
   * Pseudo-relevance feedback: the query vector moved towards the best fused hits (their
   * mean weighted by fused score), which carries the keyword evidence into the vector
   * ranking. Returns a new unit vector.
   */
  private feedbackVector(qv: Float32Array, { list, scores }: Ranking): Float32Array {
    const top = [...list].sort((a, b) => (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0)).slice(0, this.tuning.searchFeedback);
    const moved = Float32Array.from(qv);
    for (const c of top) {
      const v = this.index.get(c.id);
      const w = (this.tuning.searchFeedbackWeight * (scores.get(c.id) ?? 0)) / top.length;
      if (v) for (let i = 0; i < moved.length; i++) moved[i] += w * v[i];
    }
    return normalize(moved);
  }

  /** Candidates taken from each signal before fusion. */
  private poolSize(k: number): number {
    return Math.max(this.tuning.candidatePool, this.tuning.candidateFactor * k);
  }

  /** Papers like a given paper (never the paper itself); see `PaperLibrary.related`. */
  async related(paperId: string, options: RelatedOptions = {}): Promise<SearchHit[]> {
    const { k, mode, diversity } = this.checkOptions(options);
    if (!this.byId.has(paperId)) {
      throw new UnknownPaperError(paperId, "Pass the id of a paper in this library (see papers()).");
    }
    const guard = compileFilter(options.filter, (id) => this.byId.get(id));
    const userAccept = guard.accept;
    const accept = (id: string) => id !== paperId && (!userAccept || userAccept(id));
    const pool = this.poolSize(k);
    const candidates = new Map<string, Candidate>();

    let qv = this.index.get(paperId);
    if (qv && isZero(qv)) qv = undefined;
    let expanded = qv;
    if (qv && mode !== "keyword") {
      expanded = await this.expand(paperId, qv);
      const hits = await this.index.search(expanded, { k: pool, filter: accept });
      guard.check();
      for (const h of hits) candidates.set(h.id, blank(h.id));
    }
    const docQuery: Bm25Query | undefined = this.keywords.documentQuery(paperId, this.tuning.relatedQueryTerms, this.tuning.relatedMaxDf);
    const selfScore = docQuery ? (this.keywords.score(docQuery, [paperId]).get(paperId)?.score ?? 0) : 0;
    if (docQuery && mode !== "vector" && selfScore > 0) {
      for (const h of this.keywords.search(docQuery, { k: pool, filter: accept })) {
        const c = candidates.get(h.id) ?? blank(h.id);
        c.keywordScore = Math.min(1, h.score / selfScore);
        c.matchedTerms = strongestTerms(h);
        candidates.set(h.id, c);
      }
      guard.check();
    }
    if (candidates.size === 0) return [];
    this.completeScores(candidates, qv, mode === "keyword" ? undefined : expanded, docQuery ?? { terms: [] }, selfScore, strongestTerms);
    const list = [...candidates.values()];
    const scores = this.fuse(list, mode, this.tuning.relatedVectorWeight);
    return this.finish(list, scores, k, diversity);
  }

  // ---------------------------------------------------------------------------

  private checkOptions(options: RelatedOptions): { k: number; mode: SearchMode; diversity: number } {
    if (options === null || typeof options !== "object") {
      throw new InvalidArgumentError(`options must be an object like { k: 10 }, got ${options === null ? "null" : typeof options}.`);
    }
    const k = options.k ?? 10;
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1) {
      throw new InvalidArgumentError(`k must be a whole number ≥ 1, got ${describeValue(k)}.`);
    }
    const mode = options.mode ?? "hybrid";
    if (!SEARCH_MODES.includes(mode)) {
      throw new InvalidArgumentError(`mode must be one of ${SEARCH_MODES.map((m) => `"${m}"`).join(", ")}, got ${describeValue(mode)}.`);
    }
    const diversity = options.diversity ?? 0;
    if (typeof diversity !== "number" || !(diversity >= 0 && diversity <= 1)) {
      throw new InvalidArgumentError(`diversity must be a number in [0, 1] (0 = none), got ${describeValue(diversity)}.`);
    }
    return { k, mode, diversity };
  }

  /** Alpha query expansion: the vector plus its nearest neighbours, weighted by similarity^alpha. */
  private async expand(paperId: string, qv: Float32Array): Promise<Float32Array> {
    const m = Math.min(this.tuning.expansionNeighbours, Math.floor(this.size / 20));
    if (m <= 0) return qv;
    const hits = await this.index.search(qv, { k: m + 1, filter: (id) => id !== paperId });
    const out = Float32Array.from(qv);
    for (const h of hits.slice(0, m)) {
      const w = this.tuning.expansionWeight * Math.max(0, h.similarity) ** this.tuning.expansionAlpha;
      const v = this.index.get(h.id);
      if (!v || w === 0) continue;
      for (let i = 0; i < out.length; i++) out[i] += w * v[i];
    }
    return normalize(out);
  }

  /** Fills in the signal a candidate missed (vector similarity or keyword score). */
  private completeScores(
    candidates: Map<string, Candidate>,
    original: Float32Array | undefined,
    ranking: Float32Array | undefined,
    query: Bm25Query,
    keywordMax: number,
    explain: (hit: Bm25Hit) => string[] = (hit) => hit.matchedTerms,
  ): void {
    const missingKeywords: string[] = [];
    for (const c of candidates.values()) {
      const v = original || ranking ? this.index.get(c.id) : undefined;
      c.similarity = original ? cosine(original, v) : 0;
      c.vectorScore = ranking ? cosine(ranking, v) : 0;
      if (c.keywordScore === undefined) missingKeywords.push(c.id);
    }
    const scored = keywordMax > 0 ? this.keywords.score(query, missingKeywords) : new Map();
    for (const id of missingKeywords) {
      const c = candidates.get(id)!;
      const h = scored.get(id);
      c.keywordScore = h && keywordMax > 0 ? Math.min(1, h.score / keywordMax) : 0;
      c.matchedTerms = h ? explain(h) : [];
    }
  }

  private fuse(list: readonly Candidate[], mode: SearchMode, vectorWeight: number): Map<string, number> {
    const scores = new Map<string, number>();
    if (mode === "vector") {
      for (const c of list) scores.set(c.id, clamp01(c.vectorScore));
      return scores;
    }
    if (mode === "keyword") {
      for (const c of list) scores.set(c.id, keywordScoreOf(c));
      return scores;
    }
    const byVector = [...list].sort((a, b) => b.vectorScore - a.vectorScore);
    const byKeyword = [...list].filter((c) => keywordScoreOf(c) > 0).sort((a, b) => keywordScoreOf(b) - keywordScoreOf(a));
    const lists: RankedList[] = [
      { hits: byVector.map((c) => ({ id: c.id, score: clamp01(c.vectorScore) })), weight: vectorWeight },
      { hits: byKeyword.map((c) => ({ id: c.id, score: keywordScoreOf(c) })), weight: 1 - vectorWeight },
    ];
    const fused = this.tuning.fusion === "rrf" ? reciprocalRankFusion(lists, this.tuning.rrfK) : scoreFusion(lists);
    for (const h of fused) scores.set(h.id, h.score);
    return scores;
  }

  /**
   * Papers whose title contains a rare, name-like query word, scored by the share of
   * such words (idf-weighted) they contain. A word counts when it occurs in few papers
   * and either looks like a name in the query (inner capitals or digits: "CosyVoice",
   * "ELECTRA", "wav2vec") or is the whole query.
   */
  private nameMatches(query: string, parsed: Bm25Query, accept: ((id: string) => boolean) | undefined): Map<string, number> {
    const out = new Map<string, number>();
    const shaped = new Set<string>();
    const rawWords = query.match(/[\p{L}\p{N}]+(?:[-'’.][\p{L}\p{N}]+)*/gu) ?? [];
    for (const w of rawWords) {
      if (/\p{Lu}.*\p{Lu}/u.test(w) || (/\p{L}/u.test(w) && /\p{N}/u.test(w))) {
        for (const { term } of analyzeForBm25(w)) shaped.add(term);
      }
    }
    const wholeQuery = rawWords.length === 1;
    const limit = Math.max(this.tuning.nameMinDf, Math.ceil(this.tuning.nameDfFraction * this.size));
    const terms = parsed.terms.filter(({ term }) => {
      const df = this.keywords.documentFrequency(term);
      return df > 0 && df <= limit && (wholeQuery || shaped.has(term));
    });
    if (terms.length === 0) return out;
    let total = 0;
    for (const { term } of terms) {
      const idf = this.keywords.idf(term);
      total += idf;
      for (const id of this.keywords.titleMatches(term)) {
        if (accept && !accept(id)) continue;
        out.set(id, (out.get(id) ?? 0) + idf);
      }
    }
    for (const [id, s] of out) out.set(id, total > 0 ? s / total : 0);
    return out;
  }

  private exactHit(id: string, query: string): SearchHit {
    return { paper: this.byId.get(id)!, score: 1, similarity: 1, matchedTerms: [query.trim()] };
  }

  private finish(list: readonly Candidate[], scores: Map<string, number>, k: number, diversity: number): SearchHit[] {
    // A candidate with no evidence at all (score 0: no shared word, no positive similarity) is no hit.
    const ranked = list
      .filter((c) => (scores.get(c.id) ?? 0) > 0)
      .sort((a, b) => (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0) || a.id.localeCompare(b.id));
    let chosen: Candidate[];
    if (diversity > 0) {
      const pool: MmrCandidate<Candidate>[] = ranked.slice(0, Math.max(k * 5, 50)).map((c) => ({
        item: c,
        relevance: clamp01(scores.get(c.id) ?? 0),
        vector: this.index.get(c.id),
      }));
      chosen = mmrSelect(pool, k, diversity).map((m) => m.item);
    } else {
      chosen = ranked.slice(0, k);
    }
    return chosen.map((c) => {
      const hit: SearchHit = {
        paper: this.byId.get(c.id)!,
        score: clamp01(scores.get(c.id) ?? 0),
        similarity: c.similarity,
        matchedTerms: c.matchedTerms,
      };
      hit.keywordScore = keywordScoreOf(c);
      return hit;
    });
  }
}

/** A candidate with no signal computed yet (`completeScores` fills them in). */
function blank(id: string): Candidate {
  return { id, similarity: 0, vectorScore: 0, keywordScore: undefined, matchedTerms: [] };
}

/** The keyword score of a scored candidate (0 if it was never computed). */
function keywordScoreOf(c: Candidate): number {
  return c.keywordScore ?? 0;
}
