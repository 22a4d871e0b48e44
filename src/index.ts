/**
 * papermap — navigate a listing of research papers: local embeddings, an HNSW index,
 * related-paper search and named themes.
 */
export type { Paper } from "./paper.js";
export { paperText, cleanText, titleSlug, arxivIdFrom } from "./paper.js";
export {
  parsePapers,
  parseListing,
  loadPapers,
  readListing,
  loadDefaultListing,
  DEFAULT_LISTING_PATH,
  LISTING_FORMATS,
} from "./ingest/index.js";
export type { ListingFormat, ParseOptions, ParseResult, ParseWarning, ParseWarningKind } from "./ingest/index.js";
export {
  PapermapError,
  ParseError,
  ModelLoadError,
  IncompatibleIndexError,
  UnknownPaperError,
  InvalidArgumentError,
  FetchError,
} from "./errors.js";
export type { ProgressEvent, ProgressCallback, NoticeCallback } from "./progress.js";
export type { Embedder, EmbedKind, EmbedOptions } from "./embed/types.js";
export type { VectorIndex, VectorHit, VectorSearchOptions } from "./vector-index/types.js";
export type { Theme, ThemeAssignment, ThemeResult } from "./themes/types.js";

// The facade
export { PaperLibrary, LIBRARY_FORMAT_VERSION } from "./library.js";
export { LibraryBusyError } from "./store/lock.js";
export type { LibraryOptions, LibraryIndexOptions, OpenLibraryOptions, SaveLibraryOptions, LibraryThemeOptions, ThemeUpdate } from "./library.js";
export type { SearchHit, SearchOptions, RelatedOptions, SearchMode, PaperFilter } from "./search/types.js";

// Recommendations
export { Collections, LIKED_COLLECTION, DISLIKED_COLLECTION, recommendForDigest } from "./recommend/index.js";
export type { RecommendHit, RecommendOptions, DigestRecommendOptions, DigestRecommender } from "./recommend/index.js";

// Embedders
export { LexicalEmbedder, DEFAULT_LEXICAL_DIMENSION } from "./embed/lexical.js";
export type { LexicalEmbedderOptions, LexicalEmbedderState } from "./embed/lexical.js";
export { TransformersEmbedder, ModelUnavailableError, DEFAULT_MODEL_ID } from "./embed/transformers.js";
export type {
  TransformersEmbedderOptions,
  TransformersDtype,
  PoolingStrategy,
  EmbeddingPrefixes,
} from "./embed/transformers.js";
export { resolveEmbedder, describeEmbedder, restoreEmbedder } from "./embed/resolve.js";
export type { EmbedderSpec, EmbedderDescriptor, ResolveContext, RestoreContext } from "./embed/resolve.js";
export { EmbeddingCache, CachedEmbedder, withCache } from "./embed/cache.js";

// Vector index
export { HnswIndex, HNSW_DEFAULTS } from "./vector-index/hnsw.js";
export type { HnswIndexOptions, HnswOpenExpectation, HnswSearchOptions } from "./vector-index/hnsw.js";

// Themes
export { buildThemes } from "./themes/build.js";
export type { ThemeOptions, ThemeModel } from "./themes/build.js";
export { labelCoverage } from "./themes/coverage.js";
export type { LabelCoverage } from "./themes/coverage.js";
export { startThemes, updateThemeState, placeInThemes, restoreThemeState, THEME_STATE_FORMAT, THEME_STATE_VERSION } from "./themes/living.js";
export type { ThemeState, ThemeRecord, ThemeChange, LivingTheme, LivingThemeResult, LivingOptions, LivingInput, LivingStep } from "./themes/living.js";
export { buildTimeline, periodOf } from "./themes/timeline.js";
export type { Timeline, ThemeTimeline, ThemeTrend, TimelineOptions } from "./themes/timeline.js";

// Daily feeds
export { fetchListing, FEED_SOURCES, defaultFeedCacheDir, ARXIV_DEFAULT_ENDPOINT, ARXIV_DEFAULT_SPACING_MS, HF_DEFAULT_ENDPOINT } from "./feeds/index.js";
export type { FeedListing, FetchListingOptions, FeedSource } from "./feeds/index.js";
export { mergeIntoLibrary, writeDayDigest } from "./feeds/daily.js";
export type { MergeResult } from "./feeds/daily.js";

// Reports
export {
  buildDigest,
  renderHtml,
  renderMarkdown,
  renderJson,
  projectMap,
  projectPca,
} from "./report/index.js";
export type {
  Digest,
  DigestPaper,
  DigestTheme,
  DigestRelated,
  DigestBackgroundPoint,
  DigestOptions,
  DigestSource,
  HtmlOptions,
  MapPoint,
  ProjectionMethod,
  MapProjectionOptions,
} from "./report/index.js";
