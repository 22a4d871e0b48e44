/**
 * HTTP GET for feeds: a User-Agent naming papermap, a timeout per attempt (connect and
 * read), retries with exponential backoff and full jitter on network errors, timeouts, 429
 * and 5xx, `Retry-After` honoured, and a bound on the total time. Built on Node's own
 * `fetch`; redirects are followed.
 */
import { FetchError } from "../errors.js";
import { papermapVersion } from "../version.js";

/** Options of {@link httpGet}. */
export interface HttpOptions {
  /** Time allowed for one attempt, from sending the request to the last byte of the body (default 30 000 ms). */
  timeoutMs?: number;
  /** Further attempts after the first one fails with a network error, a timeout, 429 or 5xx (default 4). */
  retries?: number;
  /** Backoff before the first retry; doubled for each further one, with full jitter (default 1 000 ms). */
  backoffMs?: number;
  /** Longest single wait between attempts (default 60 000 ms). */
  maxBackoffMs?: number;
  /** Bound on the whole call, waits included (default 180 000 ms): past it the call fails. */
  totalTimeoutMs?: number;
  /** Extra request headers (conditional headers: `If-None-Match`, `If-Modified-Since`). */
  headers?: Record<string, string>;
  /**
   * Called before every attempt (the first and each retry): a polite scheduler waits here.
   * The function it resolves to, if any, is called when the attempt has ended.
   */
  beforeAttempt?: () => Promise<(() => void) | undefined>;
  /** Told about each retry and its wait, for progress messages. */
  onRetry?: (info: { attempt: number; waitMs: number; reason: string; url: string }) => void;
  /** Random numbers for the jitter (tests); default Math.random. */
  random?: () => number;
}

/** A response that arrived whole: 2xx or 304. */
export interface HttpResponse {
  status: number;
  /** The URL the body came from, after redirects. */
  url: string;
  headers: Headers;
  body: string;
}

export { papermapVersion };

/** The User-Agent papermap sends: `papermap/<version>`. */
export function userAgent(): string {
  return `papermap/${papermapVersion()}`;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date;
 * undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeNetworkError(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code) return `${code}${err.cause?.message ? ` (${err.cause.message})` : ""}`;
  return err.cause?.message ?? err.message ?? String(error);
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/**
 * GETs `url` and returns its body as text (a 2xx, or a 304 when conditional headers were
 * sent). Retries network errors, timeouts, 408, 429 and 5xx with exponential backoff and full
 * jitter, waiting at least what `Retry-After` asks; other statuses fail at once.
 *
 * @throws {FetchError} naming the URL, the last status or network error, and what to do.
 */
export async function httpGet(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 4;
  const backoffMs = options.backoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const totalTimeoutMs = options.totalTimeoutMs ?? 180_000;
  const random = options.random ?? Math.random;
  const deadline = Date.now() + totalTimeoutMs;
  const headers = { "User-Agent": userAgent(), Accept: "*/*", ...options.headers };
  let lastStatus: number | undefined;
  let lastReason = "";

  for (let attempt = 0; ; attempt++) {
    const release = await options.beforeAttempt?.();
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      release?.();
      break;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.min(timeoutMs, remaining));
    let retryAfter: number | undefined;
    try {
      const response = await fetch(url, { headers, signal: controller.signal, redirect: "follow" });
      lastStatus = response.status;
      if (response.status === 304 || (response.status >= 200 && response.status < 300)) {
        const body = response.status === 304 ? "" : await response.text();
        return { status: response.status, url: response.url || url, headers: response.headers, body };
      }
      // Drain the error body (bounded by the same timeout) so the connection can be reused.
      await response.text().catch(() => "");
      if (!isRetryableStatus(response.status)) {
        throw new FetchError(
          `GET ${url} failed with HTTP ${response.status} ${response.statusText}`.trimEnd() +
            (response.status === 404
              ? ": not found. Check the endpoint and the date."
              : ". Check the endpoint; this is not an error that retrying fixes."),
          url,
          response.status,
        );
      }
      lastReason = `HTTP ${response.status}`;
      retryAfter = retryAfterMs(response.headers.get("retry-after"));
    } catch (error) {
      if (error instanceof FetchError) throw error;
      lastStatus = undefined;
      lastReason = controller.signal.aborted
        ? `no complete answer within ${Math.min(timeoutMs, remaining)} ms`
        : describeNetworkError(error);
    } finally {
      clearTimeout(timer);
      release?.();
    }
    if (attempt >= retries) break;
    const exponential = Math.min(maxBackoffMs, backoffMs * 2 ** attempt);
    const jittered = Math.round(random() * exponential);
    const waitMs = Math.max(jittered, retryAfter ?? 0);
    if (Date.now() + waitMs >= deadline) {
      lastReason += retryAfter !== undefined ? ` (the server asked to wait ${Math.ceil(retryAfter / 1000)} s, past the time budget)` : "";
      break;
    }
    options.onRetry?.({ attempt: attempt + 1, waitMs, reason: lastReason, url });
    await sleep(waitMs);
  }
  throw new FetchError(
    `GET ${url} failed: ${lastReason || "time budget used up before the first attempt"}` +
      ` (after ${retries + 1} attempt(s) within ${Math.round(totalTimeoutMs / 1000)} s). ` +
      (lastStatus === 429
        ? "The server is rate-limiting: try again later."
        : "Check the network connection and the endpoint, or try again later; with a cached copy, PAPERMAP_OFFLINE=1 reads it without the network."),
    url,
    lastStatus,
  );
}
