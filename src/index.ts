/**
 * papermap — navigate a listing of research papers: local embeddings, an HNSW index,
 * related-paper search and named themes.
 *
 * This is the public API: the `PaperLibrary` facade, reading listings, the embedders, the
 * vector index, themes, digests and the errors. The building blocks underneath (embedder
 * resolution, the embedding cache, text helpers, projections) are in `papermap/internals`,
 * with no promise of stability.
 */

// Papers and listings
export type { Paper } from "./paper.js";
export { paperText } from "./paper.js";
export { parseListing, readListing, loadDefaultListing, DEFAULT_LISTING_PATH, LISTING_FORMATS } from "./ingest/index.js";
export type { ListingFormat, ParseOptions, ParseResult, ParseWarning, ParseWarningKind } from "./ingest/index.js";

// Errors
export {
  PapermapError,
  ParseError,
  ModelLoadError,
  IncompatibleIndexError,
  UnknownPaperError,
  InvalidArgumentError,
  FetchError,
} from "./errors.js";
export type { ModelLoadFailure } from "./errors.js";
export type { ProgressEvent, ProgressCallback, NoticeCallback } from "./progress.js";

// The facade
export { PaperLibrary } from "./library.js";
export { LibraryBusyError } from "./store/lock.js";
export type {
  LibraryOptions,
  LibraryIndexOptions,
  OpenLibraryOptions,
  SaveLibraryOptions,
  LibraryThemeOptions,
  ThemeUpdate,
} from "./library.js";
export type { SearchHit, SearchOptions, RelatedOptions, SearchMode, PaperFilter } from "./search/types.js";

// Recommendations
export type { Collections, RecommendHit, RecommendOptions } from "./recommend/index.js";

// Embedders
export type { Embedder, EmbedKind, EmbedOptions } from "./embed/types.js";
export type { EmbedderSpec } from "./embed/resolve.js";
export { LexicalEmbedder } from "./embed/lexical.js";
export type { LexicalEmbedderOptions } from "./embed/lexical.js";
export { TransformersEmbedder, DEFAULT_MODEL_ID } from "./embed/transformers.js";
export type {
  TransformersEmbedderOptions,
  TransformersDtype,
  PoolingStrategy,
  EmbeddingPrefixes,
} from "./embed/transformers.js";
export { downloadModel } from "./embed/download.js";
export type { DownloadModelOptions, DownloadedModel } from "./embed/download.js";

// Vector index
export { HnswIndex } from "./vector-index/hnsw.js";
export type { HnswIndexOptions, HnswOpenExpectation, HnswSearchOptions } from "./vector-index/hnsw.js";
export type { VectorIndex, VectorHit, VectorSearchOptions } from "./vector-index/types.js";

// Themes
export { buildThemes } from "./themes/build.js";
export type { ThemeOptions, ThemeModel } from "./themes/build.js";
export type { Theme, ThemeAssignment, ThemeResult } from "./themes/types.js";
export { labelCoverage } from "./themes/coverage.js";
export type { LabelCoverage } from "./themes/coverage.js";
export type {
  ThemeState,
  ThemeRecord,
  ThemeChange,
  LivingTheme,
  LivingThemeResult,
  LivingOptions,
  LivingInput,
  LivingStep,
} from "./themes/living.js";
export { buildTimeline, periodOf } from "./themes/timeline.js";
export type { Timeline, ThemeTimeline, ThemeTrend, TimelineOptions } from "./themes/timeline.js";

// Daily feeds
export { fetchListing, FEED_SOURCES } from "./feeds/index.js";
export type { FeedListing, FetchListingOptions, FeedSource } from "./feeds/index.js";
export { mergeIntoLibrary, writeDayDigest } from "./feeds/daily.js";
export type { MergeResult } from "./feeds/daily.js";

// Reports
export { buildDigest, renderHtml, renderMarkdown, renderJson } from "./report/index.js";
export type {
  Digest,
  DigestPaper,
  DigestTheme,
  DigestRelated,
  DigestBackgroundPoint,
  DigestRecommendation,
  DigestOptions,
  DigestSource,
  HtmlOptions,
} from "./report/index.js";
