/**
 * `papermap/internals`: the building blocks under the public API, for tools and
 * experiments that need them (choosing and restoring embedders, the embedding cache, text
 * and id helpers, map projections, format constants). Everything here may change between
 * minor versions; the main entry (`papermap`) is the stable API.
 */

// Choosing, recording and restoring embedders
export { resolveEmbedder, describeEmbedder, restoreEmbedder, unwrapEmbedder, fallbackNotice } from "./embed/resolve.js";
export type { EmbedderDescriptor, ResolveContext, RestoreContext } from "./embed/resolve.js";
export { checkEmbeddings } from "./embed/check.js";
export { DEFAULT_LEXICAL_DIMENSION } from "./embed/lexical.js";
export type { LexicalEmbedderState } from "./embed/lexical.js";
export { modelFamilyDefaults } from "./embed/transformers.js";
export type { TransformersEmbedderSettings } from "./embed/transformers.js";

// Where things are cached, offline mode, the Hub status
export { defaultCacheRoot, defaultModelCacheDir, defaultEmbeddingCacheDir, offlineFromEnvironment } from "./embed/environment.js";
export { probeHost, forgetProbes, hubStatusFile, HUB_STATUS_FILE, HUB_STATUS_TTL_MS } from "./embed/hub.js";
export type { ProbeResult, ProbeOptions } from "./embed/hub.js";

// The embedding cache
export { EmbeddingCache, CachedEmbedder, withCache } from "./embed/cache.js";
export type { EmbeddingCacheOptions, CachedEmbedderOptions } from "./embed/cache.js";

// Papers and listings
export { cleanText, titleSlug, arxivIdFrom, arxivAbsUrl } from "./paper.js";

// Feed endpoints and their cache
export { defaultFeedCacheDir, ARXIV_DEFAULT_ENDPOINT, ARXIV_DEFAULT_SPACING_MS, HF_DEFAULT_ENDPOINT } from "./feeds/index.js";

// The saved form of living themes
export {
  restoreThemeState,
  startThemes,
  updateThemeState,
  placeInThemes,
  THEME_STATE_FORMAT,
  THEME_STATE_VERSION,
} from "./themes/living.js";
// Recommendations without a library: collections and the day digest's picks
export { Collections, LIKED_COLLECTION, DISLIKED_COLLECTION, recommendForDigest } from "./recommend/index.js";
export type { DigestRecommendOptions, DigestRecommender } from "./recommend/index.js";

// Library and index formats
export { LIBRARY_FORMAT_VERSION } from "./library.js";
export { HNSW_DEFAULTS } from "./vector-index/hnsw.js";

// Vector helpers and map projections
export { dot, norm, normalize, normalized, cosine, clamp01 } from "./vector-math.js";
export { projectMap, projectPca, projectUmap } from "./report/index.js";
export type { MapPoint, ProjectionMethod, MapProjectionOptions, ProjectionOptions } from "./report/index.js";
