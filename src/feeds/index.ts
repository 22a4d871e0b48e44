/**
 * Daily feeds: a day's listing fetched from Hugging Face Daily Papers or the arXiv API,
 * politely (User-Agent, timeouts, retries with backoff, arXiv's 3-second spacing) and
 * through an on-disk cache that also serves offline runs.
 */
import { InvalidArgumentError } from "../errors.js";
import { fetchArxiv } from "./arxiv.js";
import { FeedRun } from "./common.js";
import { fetchHfDaily } from "./hf-daily.js";
import { FEED_SOURCES, type FeedListing, type FetchListingOptions } from "./types.js";

export type { FeedListing, FetchListingOptions, FeedSource } from "./types.js";
export { FEED_SOURCES } from "./types.js";
export { defaultFeedCacheDir, FeedCache } from "./cache.js";
export { ARXIV_DEFAULT_ENDPOINT, ARXIV_DEFAULT_SPACING_MS, arxivQuery } from "./arxiv.js";
export { HF_DEFAULT_ENDPOINT } from "./hf-daily.js";

/**
 * Fetches a day's listing and returns its papers (each with `listingDay` set to the day),
 * with the parser's warnings.
 *
 * ```ts
 * const today = await fetchListing({ source: "hf-daily" });
 * const cv = await fetchListing({ source: "arxiv", categories: ["cs.CV", "cs.CL"], date: "2025-11-21" });
 * ```
 *
 * A settled day (Hugging Face: before yesterday; arXiv: more than 4 days back) fetched once
 * after it settled is served from the cache with no request; a recent day is used from the
 * cache for `ttlMs`, then revalidated (ETag / Last-Modified). An empty day is an empty listing.
 *
 * @throws {InvalidArgumentError} an unknown source, a malformed or future date, no or bad
 *   arXiv categories, a bad endpoint.
 * @throws {FetchError} the server failed past the retries and the time budget, or offline
 *   mode and the day is not cached.
 * @throws {ParseError} a response that is not what the source sends (an HTML error page, a
 *   truncated JSON or XML body): never read as an empty day.
 */
export async function fetchListing(options: FetchListingOptions): Promise<FeedListing> {
  if (!options || !FEED_SOURCES.includes(options.source)) {
    throw new InvalidArgumentError(`fetchListing: source must be one of ${FEED_SOURCES.join(", ")}; got "${String(options?.source)}".`);
  }
  const run = new FeedRun(options);
  const papers = options.source === "hf-daily" ? await fetchHfDaily(run) : await fetchArxiv(run);
  return { source: options.source, day: run.day, papers, warnings: run.warnings, pages: run.pages, fromCache: run.fromCache };
}
