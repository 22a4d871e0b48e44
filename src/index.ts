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
} from "./errors.js";
export type { ProgressEvent, ProgressCallback, NoticeCallback } from "./progress.js";
export type { Embedder, EmbedKind, EmbedOptions } from "./embed/types.js";
export type { VectorIndex, VectorHit, VectorSearchOptions } from "./vector-index/types.js";
export type { Theme, ThemeAssignment, ThemeResult } from "./themes/types.js";
