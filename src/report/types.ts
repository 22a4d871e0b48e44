import type { Paper } from "../paper.js";

/** A related paper listed under a paper in a digest. */
export interface DigestRelated {
  id: string;
  title: string;
  /** Relevance in [0, 1], as returned by `PaperLibrary.related`. */
  score: number;
  /** Id of the theme the related paper belongs to. */
  themeId?: string;
}

/** One paper of a digest, with its place in the themes and on the map. */
export interface DigestPaper {
  paper: Paper;
  themeId: string;
  /** In [0, 1]: how clearly the paper belongs to its theme. */
  confidence: number;
  /** The paper's top related papers, best first. */
  related: DigestRelated[];
  /** Position on the 2-D map, both coordinates in [0, 1] (absent when the digest has no map). */
  x?: number;
  y?: number;
}

/** One theme of a digest. */
export interface DigestTheme {
  id: string;
  /** 1–4 words, e.g. "visual token pruning". */
  label: string;
  /** 2–3 named groups inside the theme ("segmentation", "registration"), when it has them. */
  subtopics?: string[];
  keywords: string[];
  size: number;
  /** Ids of the theme's papers, closest to the theme's centre first. */
  paperIds: string[];
  /** Ids of the theme's most typical papers. */
  representativeIds: string[];
  /** Day digests: the theme appeared on the digest's day. */
  isNew?: boolean;
  /** Day digests: how the theme's share of the papers moved over the last days. */
  trend?: "emerging" | "steady" | "fading";
  /** Day digests: papers of the theme per listing day, oldest first, up to the digest's day. */
  history?: { day: string; count: number }[];
  /** Day digests: papers of the theme in the whole library (`size` counts the day's only). */
  librarySize?: number;
  /** Day digests: the themes it split or merged from. */
  from?: string[];
}

/** A paper recommended from the reader's liked papers ("recommended for you today"). */
export interface DigestRecommendation {
  id: string;
  title: string;
  /** Relevance in [0, 1], as returned by `PaperLibrary.recommend`. */
  score: number;
  /** Id of the theme the paper belongs to. */
  themeId?: string;
  /** The liked papers it is closest to, closest first. */
  closestLiked: { id: string; title: string }[];
  /** Words it shares with those liked papers. */
  sharedWords: string[];
}

/** A paper of the library outside a day digest's day, drawn faintly on the map. */
export interface DigestBackgroundPoint {
  id: string;
  themeId?: string;
  x: number;
  y: number;
}

/**
 * Everything a report shows, independent of its rendering (Markdown, JSON, HTML).
 * Built from a library by {@link buildDigest}; plain data, JSON-serialisable.
 */
export interface Digest {
  /** Heading of the report. */
  title: string;
  /** Where the papers came from, e.g. a file name (shown under the title). */
  source?: string;
  /** ISO timestamp of when the digest was made. */
  generatedAt: string;
  /** Id of the embedder whose vectors placed the papers. */
  embedderId: string;
  /** How the map was projected to 2-D ("pca" or "umap"), absent when there is no map. */
  projection?: string;
  themes: DigestTheme[];
  /** Every paper of the digest, in theme order (theme by theme, each closest-first). */
  papers: DigestPaper[];
  /** Day digests: the listing day (YYYY-MM-DD) the digest is about. */
  day?: string;
  /** Day digests: papers in the whole library. */
  libraryPapers?: number;
  /** Day digests with a map: the library's other papers, drawn faintly. */
  background?: DigestBackgroundPoint[];
  /** Day digests of a library with liked papers: the day's papers they point to, best first. */
  recommended?: DigestRecommendation[];
}
