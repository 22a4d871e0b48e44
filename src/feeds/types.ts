import type { ParseWarning } from "../ingest/types.js";
import type { Paper } from "../paper.js";
import type { NoticeCallback, ProgressCallback } from "../progress.js";

/** The feeds papermap can fetch a day's listing from. */
export type FeedSource = "hf-daily" | "arxiv";

export const FEED_SOURCES: readonly FeedSource[] = ["hf-daily", "arxiv"];

/** Options of `fetchListing`. */
export interface FetchListingOptions {
  /** `"hf-daily"` (Hugging Face Daily Papers) or `"arxiv"` (the arXiv API). */
  source: FeedSource;
  /** The listing day, `YYYY-MM-DD` (default: today, UTC). A day after today is an error. */
  date?: string;
  /** arXiv: the categories, e.g. `["cs.CV", "cs.CL"]` (required for arXiv). */
  categories?: readonly string[];
  /**
   * Base URL of the service. Default: `$HF_ENDPOINT` or `https://huggingface.co` (hf-daily),
   * `$PAPERMAP_ARXIV_ENDPOINT` or `https://export.arxiv.org/api/query` (arxiv).
   */
  endpoint?: string;
  /** Read only from the cache (default: `PAPERMAP_OFFLINE=1`). */
  offline?: boolean;
  /** Folder of the response cache (default `<papermap cache root>/feeds`), or false for none. */
  cacheDir?: string | false;
  /** How long a cached copy of a recent day is used without asking the server (default 10 min). */
  ttlMs?: number;
  /** Papers asked for per request (default 100 for both sources). */
  pageSize?: number;
  /** Most pages fetched for one day (default 50). */
  maxPages?: number;
  /** arXiv: least time between two requests to the arXiv host, process-wide (default 3 000 ms). */
  spacingMs?: number;
  /** Time allowed for one attempt (default 30 000 ms). */
  timeoutMs?: number;
  /** Retries after a failed attempt (default 4). */
  retries?: number;
  /** First backoff before a retry (default 1 000 ms, doubled each time, with jitter). */
  backoffMs?: number;
  /** Bound on the time spent on one request, retries and waits included (default 180 000 ms). */
  totalTimeoutMs?: number;
  /** Progress: `stage: "fetch"` per page (papers so far), `stage: "wait"` for polite and retry waits. */
  onProgress?: ProgressCallback;
  /** Plain-language notices (a server that ignores paging, ...). Default: stderr. */
  onNotice?: NoticeCallback;
  /** Environment to read `HF_ENDPOINT`, `PAPERMAP_ARXIV_ENDPOINT`, `PAPERMAP_OFFLINE`, the cache root from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** A day's listing. */
export interface FeedListing {
  source: FeedSource;
  /** The listing day, `YYYY-MM-DD`; every paper's `listingDay`. */
  day: string;
  papers: Paper[];
  /** What the parser skipped or changed (records without an abstract, duplicates, ...). */
  warnings: ParseWarning[];
  /** Pages read, and how many of them came from the cache without a request. */
  pages: number;
  fromCache: number;
}
