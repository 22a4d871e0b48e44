import { afterEach, describe, expect, it } from "vitest";
import { InvalidArgumentError, ParseError } from "../../src/errors.js";
import { fetchListing } from "../../src/feeds/index.js";
import type { FetchListingOptions } from "../../src/feeds/types.js";
import { arxivId, atomDayPage, atomEntry, atomFeed, HTML_ERROR_PAGE } from "./fixtures.js";
import { sendText, startServer, type SeenRequest, type TestServer } from "./server.js";

const DAY = "2025-11-21";
const SPACING = 120;
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function sendAtom(res: Parameters<Parameters<typeof startServer>[0]>[1], body: string): void {
  sendText(res, 200, body, "application/atom+xml; charset=utf-8");
}

/** `count` submissions a day, paged by start / max_results. */
function pagedDay(count: number) {
  return (_req: unknown, res: Parameters<Parameters<typeof startServer>[0]>[1], seen: SeenRequest) => {
    sendAtom(res, atomDayPage(DAY, count, Number(seen.query.get("start")), Number(seen.query.get("max_results"))));
  };
}

function options(extra: Partial<FetchListingOptions> = {}): FetchListingOptions {
  return {
    source: "arxiv",
    categories: ["cs.CV", "cs.CL"],
    date: DAY,
    endpoint: `${server!.origin}/api/query`,
    cacheDir: false,
    spacingMs: SPACING,
    backoffMs: 5,
    onNotice: () => undefined,
    env: {},
    ...extra,
  };
}

/** Gaps between consecutive request arrivals, as the server saw them. */
function gaps(requests: readonly SeenRequest[]): number[] {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  return times.slice(1).map((t, i) => t - times[i]);
}

describe("fetchListing arxiv", () => {
  it("asks for the day's submissions in the categories, page by page with start / max_results", async () => {
    server = await startServer(pagedDay(230));
    const listing = await fetchListing(options({ pageSize: 100 }));
    expect(listing.papers).toHaveLength(230);
    expect(server.requests.map((r) => [r.query.get("start"), r.query.get("max_results")])).toEqual([
      ["0", "100"],
      ["100", "100"],
      ["200", "100"],
    ]);
    const first = server.requests[0];
    expect(first.url.startsWith("/api/query?")).toBe(true);
    expect(first.query.get("search_query")).toBe("(cat:cs.CV OR cat:cs.CL) AND submittedDate:[202511210000 TO 202511212359]");
    expect(first.headers["user-agent"]).toMatch(/^papermap\//);
    expect(listing.papers[0]).toMatchObject({
      id: arxivId(0),
      authors: ["Ada Author0", "Ben Writer0"],
      published: DAY,
      listingDay: DAY,
      url: `https://arxiv.org/abs/${arxivId(0)}`,
    });
    expect(listing.papers.every((p) => p.listingDay === DAY)).toBe(true);
  });

  it("spaces requests by the polite delay, measured on the server", async () => {
    server = await startServer(pagedDay(50));
    const waits: number[] = [];
    await fetchListing(options({ pageSize: 10, onProgress: (e) => e.stage === "wait" && waits.push(e.done) }));
    expect(server.requests).toHaveLength(5);
    for (const gap of gaps(server.requests)) expect(gap).toBeGreaterThanOrEqual(SPACING - 2);
    expect(waits.length).toBeGreaterThanOrEqual(4);
  });

  it("keeps the spacing across concurrent calls in one process", async () => {
    server = await startServer((_req, res, seen) => {
      sendAtom(res, atomDayPage(DAY, 20, Number(seen.query.get("start")), Number(seen.query.get("max_results"))));
    });
    await Promise.all([
      fetchListing(options({ pageSize: 10 })),
      fetchListing(options({ pageSize: 10, categories: ["cs.LG"] })),
      fetchListing(options({ pageSize: 10, categories: ["cs.AI"] })),
    ]);
    expect(server.requests).toHaveLength(6);
    for (const gap of gaps(server.requests)) expect(gap).toBeGreaterThanOrEqual(SPACING - 2);
  });

  it("keeps the spacing for retries too", async () => {
    server = await startServer((req, res, seen, index) => {
      if (index === 0) return sendText(res, 503, "busy", "text/plain");
      pagedDay(3)(req, res, seen);
    });
    const listing = await fetchListing(options({ backoffMs: 0 }));
    expect(listing.papers).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(gaps(server.requests)[0]).toBeGreaterThanOrEqual(SPACING - 2);
  });

  it("collapses versions and keeps a cross-listed paper once, within and across pages", async () => {
    server = await startServer((_req, res, seen) => {
      const start = Number(seen.query.get("start"));
      const entries =
        start === 0
          ? [atomEntry(1, DAY), atomEntry(1, DAY, { version: 2 }), atomEntry(2, DAY, { categories: ["cs.CL", "cs.CV"] })]
          : [atomEntry(2, DAY, { categories: ["cs.CV", "cs.CL"] }), atomEntry(3, DAY, { version: 3 })];
      sendAtom(res, atomFeed(entries, 6, start, 3));
    });
    const listing = await fetchListing(options({ pageSize: 3 }));
    expect(listing.papers.map((p) => p.id)).toEqual([arxivId(1), arxivId(2), arxivId(3)]);
    expect(server.requests).toHaveLength(2);
  });

  it("reads an empty day as an empty listing", async () => {
    server = await startServer((_req, res) => sendAtom(res, atomFeed([], 0, 0, 100)));
    const listing = await fetchListing(options());
    expect(listing.papers).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("reads an HTML page with status 200, a truncated feed and an API error feed as ParseErrors", async () => {
    const bodies = [
      HTML_ERROR_PAGE,
      atomDayPage(DAY, 5, 0, 100).slice(0, 1500),
      atomFeed(
        [
          `<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title><summary>incorrect id format for 1234</summary></entry>`,
        ],
        1,
        0,
        100,
      ),
    ];
    server = await startServer((_req, res, _seen, index) => sendAtom(res, bodies[index]));
    await expect(fetchListing(options())).rejects.toThrow(/expected an arXiv Atom feed/);
    await expect(fetchListing(options())).rejects.toThrow(/still open/);
    await expect(fetchListing(options())).rejects.toThrow(ParseError);
  });

  it("asks again for a page that came back empty although the feed reports results", async () => {
    server = await startServer((req, res, seen, index) => {
      if (index < 2) return sendAtom(res, atomFeed([], 5, 0, 100));
      pagedDay(5)(req, res, seen);
    });
    const listing = await fetchListing(options());
    expect(listing.papers).toHaveLength(5);
    expect(server.requests).toHaveLength(3);
    for (const gap of gaps(server.requests)) expect(gap).toBeGreaterThanOrEqual(SPACING - 2);
  });

  it("gives up with a FetchError when the page stays empty", async () => {
    server = await startServer((_req, res) => sendAtom(res, atomFeed([], 5, 0, 100)));
    await expect(fetchListing(options())).rejects.toThrow(/empty page 3 times although it reports 5 results/);
    expect(server.requests).toHaveLength(3);
  });

  it("needs well-formed categories", async () => {
    server = await startServer(pagedDay(1));
    await expect(fetchListing(options({ categories: [] }))).rejects.toThrow(InvalidArgumentError);
    await expect(fetchListing(options({ categories: ["cs CV"] }))).rejects.toThrow(/not an arXiv category/);
    expect(server.requests).toHaveLength(0);
  });

  it("takes the endpoint from PAPERMAP_ARXIV_ENDPOINT", async () => {
    server = await startServer(pagedDay(2));
    const listing = await fetchListing({
      ...options(),
      endpoint: undefined,
      env: { PAPERMAP_ARXIV_ENDPOINT: `${server.origin}/elsewhere` },
    });
    expect(listing.papers).toHaveLength(2);
    expect(server.requests[0].url.startsWith("/elsewhere?search_query=")).toBe(true);
  });
});
