import type { Paper } from "../paper.js";
import type { PaperFilter } from "./filter.js";

export type { PaperFilter } from "./filter.js";

/**
 * How a search ranks papers:
 * - `"hybrid"` (default): the vector ranking fused with a BM25 keyword ranking;
 * - `"vector"`: embedding similarity only;
 * - `"keyword"`: BM25 over titles and abstracts only.
 */
export type SearchMode = "hybrid" | "vector" | "keyword";

/** Every {@link SearchMode}, the default first. */
export const SEARCH_MODES: readonly SearchMode[] = ["hybrid", "vector", "keyword"];

/** Options of {@link PaperLibrary.related} (and, with a query, of `search`). */
export interface RelatedOptions {
  /**
   * How many hits at most (default 10). Larger than the library → every matching paper
   * (papers with a score of 0 — no shared word and no positive similarity — are never hits).
   */
  k?: number;
  /** Ranking signals to use (default "hybrid"). */
  mode?: SearchMode;
  /** Metadata conditions every hit must meet. */
  filter?: PaperFilter;
  /**
   * Maximal-marginal-relevance trade-off in [0, 1]: 0 (default) ranks by relevance only;
   * higher values skip papers too similar to ones already listed (0.3 is a good start).
   */
  diversity?: number;
}

/** Options of {@link PaperLibrary.search}. */
export type SearchOptions = RelatedOptions;

/** One result of `search` or `related`, with what explains it. */
export interface SearchHit {
  paper: Paper;
  /** Relevance in [0, 1], higher is better; hits are sorted by it (before diversity re-ranking). */
  score: number;
  /** Cosine similarity between the query's (or the source paper's) vector and this paper's vector. */
  similarity: number;
  /** BM25 keyword score on [0, 1] (1 = every query term matched as strongly as possible), when computed. */
  keywordScore?: number;
  /**
   * Words the paper shares with the query: query words found in its title or abstract
   * (for `related`, the source paper's characteristic words it shares), in query order.
   */
  matchedTerms: string[];
}
