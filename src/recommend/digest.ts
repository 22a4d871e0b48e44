import { paperDay } from "../paper.js";
import { DISLIKED_COLLECTION, LIKED_COLLECTION, type Collections } from "./collections.js";
import type { RecommendHit, RecommendOptions } from "./model.js";

/** What {@link recommendForDigest} needs of a library (a `PaperLibrary` fits). */
export interface DigestRecommender {
  readonly collections: Collections;
  recommend(options: RecommendOptions): Promise<RecommendHit[]>;
}

/** Options of {@link recommendForDigest}. */
export interface DigestRecommendOptions {
  /** How many papers (default 5). */
  k?: number;
  /** The liked papers' collection (default `"liked"`). */
  collection?: string;
}

/**
 * "Recommended for you today": the papers of one listing day the library's liked papers
 * point to, best first, or `[]` when nothing is liked yet (a digest then leaves the
 * section out). A paper's day is its `listingDay` when it has one, else its `published`
 * date. Disliked papers (collection `"disliked"`) push similar papers down.
 *
 * ```ts
 * const picks = await recommendForDigest(library, "2025-11-21");
 * ```
 */
export async function recommendForDigest(
  library: DigestRecommender,
  day: string,
  options: DigestRecommendOptions = {},
): Promise<RecommendHit[]> {
  const collection = options.collection ?? LIKED_COLLECTION;
  if (library.collections.get(collection).length === 0) return [];
  return library.recommend({
    liked: { collection },
    disliked: library.collections.has(DISLIKED_COLLECTION) ? { collection: DISLIKED_COLLECTION } : [],
    k: options.k ?? 5,
    filter: { where: (p) => paperDay(p) === day },
  });
}
