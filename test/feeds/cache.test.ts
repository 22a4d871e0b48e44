import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FetchError, ParseError } from "../../src/errors.js";
import { todayUtc } from "../../src/feeds/common.js";
import { FeedCache } from "../../src/feeds/cache.js";
import { hfDailyUrl } from "../../src/feeds/hf-daily.js";
import { defaultFeedCacheDir, fetchListing } from "../../src/feeds/index.js";
import type { FetchListingOptions } from "../../src/feeds/types.js";
import { hfPage, HTML_ERROR_PAGE } from "./fixtures.js";
import { sendJson, sendText, startServer, type TestServer } from "./server.js";

const PAST = "2025-11-21";
let server: TestServer | undefined;
let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-feeds-cache-"));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(tmp, { recursive: true, force: true });
});

function dayServer(count: number, headers: (index: number) => Record<string, string> = () => ({})) {
  return startServer((_req, res, seen, index) => {
    sendJson(res, hfPage(seen.query.get("date")!, count, Number(seen.query.get("limit")), Number(seen.query.get("p"))), headers(index));
  });
}

function options(extra: Partial<FetchListingOptions> = {}): FetchListingOptions {
  return {
    source: "hf-daily",
    date: PAST,
    endpoint: server!.origin,
    env: { PAPERMAP_CACHE_DIR: tmp },
    backoffMs: 5,
    onNotice: () => undefined,
    ...extra,
  };
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe("feed cache", () => {
  it("serves a past day from the cache with no request", async () => {
    server = await dayServer(150);
    const first = await fetchListing(options({ pageSize: 100 }));
    expect(server.requests).toHaveLength(2);
    expect(first.fromCache).toBe(0);
    const second = await fetchListing(options({ pageSize: 100 }));
    expect(server.requests).toHaveLength(2);
    expect(second.fromCache).toBe(2);
    expect(second.papers).toEqual(first.papers);
    // Under <cache root>/feeds/<host>/, one file per URL, no temporary file left behind.
    const cached = await files(defaultFeedCacheDir({ PAPERMAP_CACHE_DIR: tmp }));
    expect(cached).toHaveLength(2);
    expect(cached.every((f) => /^[0-9a-f]{64}\.json$/.test(f))).toBe(true);
  });

  it("revalidates once a past day cached while it could still change, then serves it with no request", async () => {
    server = await startServer((_req, res, seen) => {
      if (seen.headers["if-none-match"] === '"day"') {
        res.writeHead(304, { ETag: '"day"' });
        res.end();
        return;
      }
      sendJson(res, hfPage(PAST, 3, 100, 0), { ETag: '"day"' });
    });
    // A copy taken on the day itself, in the morning: the day may have grown since.
    const cache = new FeedCache(defaultFeedCacheDir({ PAPERMAP_CACHE_DIR: tmp }));
    const url = hfDailyUrl(server.origin, PAST, 100, 0);
    await cache.put({ url, fetchedAt: Date.parse(`${PAST}T08:00:00Z`), etag: '"day"', body: JSON.stringify(hfPage(PAST, 1, 100, 0)) });
    const first = await fetchListing(options());
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers["if-none-match"]).toBe('"day"');
    expect(first.papers).toHaveLength(1); // 304: the copy still holds
    const second = await fetchListing(options());
    expect(server.requests).toHaveLength(1);
    expect(second.fromCache).toBe(1);
  });

  it("reads only the cache offline, and says what is missing", async () => {
    server = await dayServer(3);
    await fetchListing(options());
    await server.close();
    const endpoint = server.origin;
    server = undefined;
    const offline = await fetchListing({ source: "hf-daily", date: PAST, endpoint, offline: true, env: { PAPERMAP_CACHE_DIR: tmp } });
    expect(offline.papers).toHaveLength(3);
    const viaEnv = await fetchListing({
      source: "hf-daily",
      date: PAST,
      endpoint,
      env: { PAPERMAP_CACHE_DIR: tmp, PAPERMAP_OFFLINE: "1" },
    });
    expect(viaEnv.papers).toHaveLength(3);
    const missing = await fetchListing({
      source: "hf-daily",
      date: "2025-11-20",
      endpoint,
      offline: true,
      env: { PAPERMAP_CACHE_DIR: tmp },
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FetchError);
    expect((missing as Error).message).toMatch(/offline mode.*hf-daily listing of 2025-11-20 \(page 1\) is not in the cache/);
  });

  it("revalidates today's listing with its ETag and keeps the cached body on 304", async () => {
    const today = todayUtc();
    server = await startServer((_req, res, seen) => {
      if (seen.headers["if-none-match"] === '"v1"') {
        res.writeHead(304, { ETag: '"v1"' });
        res.end();
        return;
      }
      sendJson(res, hfPage(today, 4, 100, 0), { ETag: '"v1"', "Last-Modified": "Mon, 01 Dec 2025 08:00:00 GMT" });
    });
    const first = await fetchListing(options({ date: today, ttlMs: 0 }));
    const second = await fetchListing(options({ date: today, ttlMs: 0 }));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].headers["if-none-match"]).toBeUndefined();
    expect(server.requests[1].headers["if-none-match"]).toBe('"v1"');
    expect(server.requests[1].headers["if-modified-since"]).toBe("Mon, 01 Dec 2025 08:00:00 GMT");
    expect(second.papers).toEqual(first.papers);
    expect(second.papers.every((p) => p.listingDay === today)).toBe(true);
  });

  it("uses today's cached listing without a request within the TTL, and fetches it again after", async () => {
    const today = todayUtc();
    server = await dayServer(2);
    await fetchListing(options({ date: today }));
    await fetchListing(options({ date: today, ttlMs: 60_000 }));
    expect(server.requests).toHaveLength(1);
    await fetchListing(options({ date: today, ttlMs: 0 }));
    expect(server.requests).toHaveLength(2);
  });

  it("never caches a body that is not what the source sends", async () => {
    let html = true;
    server = await startServer((_req, res, seen) => {
      if (html) return sendText(res, 200, HTML_ERROR_PAGE, "text/html");
      sendJson(res, hfPage(seen.query.get("date")!, 2, 100, 0));
    });
    await expect(fetchListing(options())).rejects.toThrow(ParseError);
    html = false;
    const listing = await fetchListing(options());
    expect(listing.papers).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });
});
