/**
 * Raw feed responses kept on disk, keyed by URL: `<cache root>/feeds/<host>/<sha256 of the
 * URL>.json`, each written atomically (temporary file, then rename). A settled day is served
 * from here with no request; a recent one is revalidated (ETag / Last-Modified) or fetched
 * again after a short TTL; offline mode reads only from here.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomically } from "../atomic-file.js";
import { defaultCacheRoot } from "../embed/environment.js";
import { FetchError } from "../errors.js";
import { httpGet, type HttpOptions } from "./http.js";

/** One cached response. */
export interface CachedResponse {
  url: string;
  /** When the body was last fetched or revalidated (ms since epoch). */
  fetchedAt: number;
  etag?: string;
  lastModified?: string;
  body: string;
}

/** Where feed responses are cached by default: `<cache root>/feeds` (`$PAPERMAP_CACHE_DIR`, ...). */
export function defaultFeedCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultCacheRoot(env), "feeds");
}

/** A folder of cached responses. */
export class FeedCache {
  constructor(readonly dir: string) {}

  /** The file a URL is kept in. */
  fileFor(url: string): string {
    let host = "other";
    try {
      host = new URL(url).host.replace(/[^A-Za-z0-9.-]/g, "_") || "other";
    } catch {
      // keep "other"
    }
    return path.join(this.dir, host, `${createHash("sha256").update(url).digest("hex")}.json`);
  }

  /** The cached response for `url`, or undefined (absent or unreadable: treated as absent). */
  async get(url: string): Promise<CachedResponse | undefined> {
    try {
      const value = JSON.parse(await readFile(this.fileFor(url), "utf8")) as CachedResponse;
      if (value && value.url === url && typeof value.body === "string" && typeof value.fetchedAt === "number") return value;
    } catch {
      // absent or damaged: fetch again
    }
    return undefined;
  }

  /** Stores a response atomically: a reader sees the old file or the new one, never a part. */
  async put(entry: CachedResponse): Promise<void> {
    const file = this.fileFor(entry.url);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomically(file, JSON.stringify(entry));
  }
}

/** How one URL may be served. */
export interface CachePolicy {
  /** The cache, or undefined for none. */
  cache?: FeedCache;
  /**
   * From when (ms since epoch) the day's listing no longer changes: a cached copy fetched
   * after that moment is served with no request; an older copy is revalidated once.
   */
  settledAt: number;
  /** How long a cached copy of a recent day is used without asking the server (ms). */
  ttlMs: number;
  /** Read only from the cache. */
  offline: boolean;
  /** What the URL is, for the offline error ("the hf-daily listing of 2025-11-21, page 1"). */
  what: string;
  /**
   * Checks a freshly downloaded body; throws (a ParseError) when it is not what the source
   * sends. Only bodies that pass are cached.
   */
  validate: (body: string) => void;
}

/** Where a body came from. */
export type BodySource = "cache" | "revalidated" | "network";

/**
 * The body of `url` under `policy`: from the cache when allowed, else downloaded (with a
 * conditional request when a cached copy exists), validated, cached and returned.
 *
 * @throws {FetchError} offline with no cached copy, or the download failed.
 * @throws {ParseError} the downloaded body is not what the source sends (not cached).
 */
export async function getWithCache(
  url: string,
  policy: CachePolicy,
  http: HttpOptions = {},
): Promise<{ body: string; source: BodySource }> {
  const cached = policy.cache ? await policy.cache.get(url) : undefined;
  if (policy.offline) {
    if (cached) return { body: cached.body, source: "cache" };
    throw new FetchError(
      `offline mode (PAPERMAP_OFFLINE or offline: true) and ${policy.what} is not in the cache` +
        `${policy.cache ? ` (${policy.cache.dir})` : " (the cache is turned off)"}: ${url}. Fetch it once with the network, or turn offline mode off.`,
      url,
    );
  }
  if (cached && (cached.fetchedAt >= policy.settledAt || Date.now() - cached.fetchedAt < policy.ttlMs))
    return { body: cached.body, source: "cache" };
  const conditional: Record<string, string> = {};
  if (cached?.etag) conditional["If-None-Match"] = cached.etag;
  if (cached?.lastModified) conditional["If-Modified-Since"] = cached.lastModified;
  const response = await httpGet(url, { ...http, headers: { ...http.headers, ...conditional } });
  if (response.status === 304 && cached) {
    await policy.cache?.put({ ...cached, fetchedAt: Date.now() });
    return { body: cached.body, source: "revalidated" };
  }
  if (response.status === 304) {
    throw new FetchError(`GET ${url} answered 304 Not Modified to a request that was not conditional; try again.`, url, 304);
  }
  policy.validate(response.body);
  if (policy.cache) {
    const entry: CachedResponse = { url, fetchedAt: Date.now(), body: response.body };
    const etag = response.headers.get("etag");
    const lastModified = response.headers.get("last-modified");
    if (etag) entry.etag = etag;
    if (lastModified) entry.lastModified = lastModified;
    await policy.cache.put(entry);
  }
  return { body: response.body, source: "network" };
}
