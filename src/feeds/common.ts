import type { Paper } from "../paper.js";
/** What both feeds share: the day checks, the cache policy, the HTTP options, progress. */
import { InvalidArgumentError } from "../errors.js";
import { isIsoDay, parseIsoDate, toIso, today } from "../ingest/dates.js";
import type { ParseWarning } from "../ingest/types.js";
import { defaultNotice, type NoticeCallback, type ProgressCallback } from "../progress.js";
import { FeedCache, defaultFeedCacheDir, getWithCache, type BodySource } from "./cache.js";
import type { HttpOptions } from "./http.js";
import type { FetchListingOptions } from "./types.js";

/** Today in UTC, `YYYY-MM-DD`. */
export function todayUtc(): string {
  return toIso(today());
}

/**
 * The listing day: `date` checked (`YYYY-MM-DD`, a real calendar day, not after today in
 * the easternmost time zone), or today in UTC.
 *
 * @throws {InvalidArgumentError} a malformed date or a day in the future.
 */
export function checkDay(date: string | undefined): string {
  const now = todayUtc();
  if (date === undefined) return now;
  const parsed = isIsoDay(date) ? parseIsoDate(date) : undefined;
  if (!parsed) {
    throw new InvalidArgumentError(`The listing date must be a day written YYYY-MM-DD, e.g. 2025-11-21; got "${String(date)}".`);
  }
  const day = toIso(parsed);
  // "Today" anywhere on Earth (up to UTC+14) is not the future.
  const latest = new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);
  if (day > latest) {
    throw new InvalidArgumentError(
      `The listing date ${day} is in the future (today is ${now} in UTC): there is no listing for it yet. Leave the date out for today's listing.`,
    );
  }
  return day;
}

function offlineFromEnv(env: NodeJS.ProcessEnv): boolean {
  return /^(1|true|yes|on)$/i.test(env.PAPERMAP_OFFLINE?.trim() ?? "");
}

/** Everything one fetch needs, resolved from the options. */
export class FeedRun {
  readonly day: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cache: FeedCache | undefined;
  readonly offline: boolean;
  readonly ttlMs: number;
  readonly pageSize: number;
  readonly maxPages: number;
  readonly progress: ProgressCallback | undefined;
  readonly notice: NoticeCallback;
  readonly warnings: ParseWarning[] = [];
  pages = 0;
  fromCache = 0;

  constructor(readonly options: FetchListingOptions) {
    this.env = options.env ?? process.env;
    this.day = checkDay(options.date);
    this.offline = options.offline ?? offlineFromEnv(this.env);
    const dir = options.cacheDir === undefined ? defaultFeedCacheDir(this.env) : options.cacheDir;
    this.cache = dir === false ? undefined : new FeedCache(dir);
    this.ttlMs = nonNegative(options.ttlMs, 10 * 60_000, "ttlMs");
    this.pageSize = positiveInt(options.pageSize, 100, "pageSize");
    this.maxPages = positiveInt(options.maxPages, 50, "maxPages");
    this.progress = options.onProgress;
    this.notice = options.onNotice ?? defaultNotice;
  }

  /**
   * The moment the day's listing stops changing: the start (UTC) of the day `lagDays + 1`
   * days after it. A source whose listing of a day is completed later (arXiv announces
   * submissions a day or more after they are made) has a longer lag.
   */
  settledAt(lagDays: number): number {
    return Date.parse(`${this.day}T00:00:00Z`) + (lagDays + 1) * 86_400_000;
  }

  /** HTTP options, with `beforeAttempt` for a polite scheduler. */
  http(beforeAttempt?: () => Promise<(() => void) | undefined>): HttpOptions {
    const o = this.options;
    const http: HttpOptions = {
      onRetry: ({ attempt, waitMs, reason, url }) =>
        this.progress?.({
          stage: "wait",
          done: attempt,
          unit: "retries",
          message: `${reason} from ${new URL(url).host}; retry ${attempt} in ${(waitMs / 1000).toFixed(1)} s`,
        }),
    };
    if (o.timeoutMs !== undefined) http.timeoutMs = nonNegative(o.timeoutMs, 0, "timeoutMs");
    if (o.retries !== undefined) http.retries = nonNegative(o.retries, 0, "retries");
    if (o.backoffMs !== undefined) http.backoffMs = nonNegative(o.backoffMs, 0, "backoffMs");
    if (o.totalTimeoutMs !== undefined) http.totalTimeoutMs = nonNegative(o.totalTimeoutMs, 0, "totalTimeoutMs");
    if (beforeAttempt) http.beforeAttempt = beforeAttempt;
    return http;
  }

  /** One page through the cache; counts pages and cache hits. */
  async page(
    url: string,
    what: string,
    lagDays: number,
    validate: (body: string) => void,
    beforeAttempt?: () => Promise<(() => void) | undefined>,
  ): Promise<{ body: string; source: BodySource }> {
    const result = await getWithCache(
      url,
      { cache: this.cache, settledAt: this.settledAt(lagDays), ttlMs: this.ttlMs, offline: this.offline, what, validate },
      this.http(beforeAttempt),
    );
    this.pages++;
    if (result.source === "cache") this.fromCache++;
    return result;
  }
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a number ≥ 0; got ${String(value)}.`);
  }
  return value;
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1; got ${String(value)}.`);
  return value;
}

/** The endpoint without a trailing slash, checked to be an http(s) URL. */
export function checkEndpoint(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`${where} must be an http(s) URL; got "${value}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidArgumentError(`${where} must be an http(s) URL; got "${value}".`);
  }
  return value.replace(/\/+$/, "");
}

/**
 * Adds one page's papers to the day's papers (first copy wins: versions share the versionless
 * id, and a paper cross-listed in several categories comes once), each marked with the listing
 * day, and reports the progress; returns how many were new.
 */
export function addPage(run: FeedRun, byId: Map<string, Paper>, papers: readonly Paper[], message: (total: number) => string): number {
  let fresh = 0;
  for (const paper of papers) {
    if (byId.has(paper.id)) continue;
    byId.set(paper.id, { ...paper, listingDay: run.day });
    fresh++;
  }
  run.progress?.({ stage: "fetch", done: byId.size, unit: "papers", message: message(byId.size) });
  return fresh;
}
