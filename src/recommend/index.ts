/**
 * Recommendations from liked and disliked papers, and the named collections that hold them.
 * `PaperLibrary` wires these to its papers, index and keyword index.
 */
import { InvalidArgumentError } from "../errors.js";
import { type Collections, DISLIKED_COLLECTION, LIKED_COLLECTION } from "./collections.js";
import {
  checkKnown,
  checkRecommendOptions,
  DEFAULT_RECOMMEND_TUNING,
  recommendPapers,
  type RecommendHit,
  type RecommendOptions,
  type RecommendSource,
  type RecommendTuning,
} from "./model.js";

export { Collections, DISLIKED_COLLECTION, LIKED_COLLECTION } from "./collections.js";
export { DEFAULT_RECOMMEND_TUNING } from "./model.js";
export { recommendForDigest, type DigestRecommendOptions, type DigestRecommender } from "./digest.js";
export type { RecommendHit, RecommendOptions, RecommendSource, RecommendTuning } from "./model.js";

/**
 * Resolves liked / disliked ids (lists, collections or the defaults), checks them and
 * ranks; see `PaperLibrary.recommend`. @internal
 */
export async function recommend(
  source: RecommendSource,
  collections: Collections,
  options: RecommendOptions = {},
  tuning: RecommendTuning = DEFAULT_RECOMMEND_TUNING,
): Promise<RecommendHit[]> {
  const { k, diversity } = checkRecommendOptions(options);
  const liked = resolve(collections, options.liked, "liked");
  const disliked = resolve(collections, options.disliked, "disliked");
  if (liked.length === 0) {
    throw new InvalidArgumentError(
      options.liked === undefined
        ? `recommend: no liked papers. Pass { liked: [ids] }, or add papers to the "${LIKED_COLLECTION}" collection ` +
            `(library.collections.add("${LIKED_COLLECTION}", ids), or \`papermap like <id>\`).`
        : "recommend: the liked papers are empty; pass at least one paper id.",
    );
  }
  checkKnown(source, liked, "liked");
  checkKnown(source, disliked, "disliked");
  return recommendPapers(source, { liked, disliked, k, filter: options.filter, diversity }, tuning);
}

function resolve(collections: Collections, spec: RecommendOptions["liked"], what: "liked" | "disliked"): string[] {
  if (spec === undefined || spec === null) {
    return collections.get(what === "liked" ? LIKED_COLLECTION : DISLIKED_COLLECTION);
  }
  if (Array.isArray(spec)) return [...new Set(spec as string[])];
  if (typeof spec === "object" && typeof (spec as { collection?: unknown }).collection === "string") {
    const name = (spec as { collection: string }).collection;
    if (!collections.has(name)) {
      const names = collections.list();
      throw new InvalidArgumentError(
        `recommend: there is no collection "${name}" (${names.length > 0 ? `collections: ${names.map((n) => `"${n}"`).join(", ")}` : "this library has no collections yet"}).`,
      );
    }
    return collections.get(name);
  }
  throw new InvalidArgumentError(`recommend: ${what} must be a list of paper ids or { collection: "name" }, got ${JSON.stringify(spec)}.`);
}
