import { afterEach, describe, expect, it } from "vitest";
import { FetchError, InvalidArgumentError, ParseError } from "../../src/errors.js";
import { fetchListing } from "../../src/feeds/index.js";
import type { FetchListingOptions } from "../../src/feeds/types.js";
import { papermapVersion } from "../../src/feeds/http.js";
import { parsePapers } from "../../src/ingest/index.js";
import { arxivId, hfEntry, hfPage, HTML_ERROR_PAGE } from "./fixtures.js";
import { sendJson, sendText, startServer, type TestServer } from "./server.js";

const DAY = "2025-11-21";
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A day of `count` papers served in pages of `limit` (0-based `p`), as the Hub does. */
function pagedDay(count: number) {
  return (_req: unknown, res: Parameters<Parameters<typeof startServer>[0]>[1], seen: { query: URLSearchParams }) => {
    const limit = Number(seen.query.get("limit") ?? 50);
    const p = Number(seen.query.get("p") ?? 0);
    sendJson(res, hfPage(seen.query.get("date")!, count, limit, p));
  };
}

function options(extra: Partial<FetchListingOptions> = {}): FetchListingOptions {
  return {
    source: "hf-daily",
    date: DAY,
    endpoint: server!.origin,
    cacheDir: false,
    backoffMs: 5,
    onNotice: () => undefined,
    env: {},
    ...extra,
  };
}

describe("fetchListing hf-daily", () => {
  it("pages with limit and the 0-based page parameter p until a short page, keeping every field", async () => {
    server = await startServer(pagedDay(250));
    const listing = await fetchListing(options({ pageSize: 100 }));
    expect(listing.papers).toHaveLength(250);
    expect(server.requests.map((r) => [r.query.get("date"), r.query.get("limit"), r.query.get("p")])).toEqual([
      [DAY, "100", "0"],
      [DAY, "100", "1"],
      [DAY, "100", "2"],
    ]);
    expect(server.requests[0].url.startsWith("/api/daily_papers?")).toBe(true);
    expect(server.requests[0].headers["user-agent"]).toBe(`papermap/${papermapVersion()}`);
    expect(papermapVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(new Set(listing.papers.map((p) => p.id)).size).toBe(250);
    expect(listing.papers.every((p) => p.listingDay === DAY)).toBe(true);
    const first = listing.papers[0];
    expect(first).toMatchObject({
      id: arxivId(0),
      authors: ["Ada Author0", "Ben Writer0"],
      upvotes: 0,
      commentCount: 0,
      organization: "NAVER AI Lab",
      published: DAY,
      listingDay: DAY,
      url: `https://arxiv.org/abs/${arxivId(0)}`,
    });
    const seventh = listing.papers.find((p) => p.id === arxivId(7))!;
    expect(seventh.upvotes).toBe(49);
    expect(seventh.commentCount).toBe(3);
    expect(seventh.organization).toBeUndefined();
    expect(listing.pages).toBe(3);
    expect(listing.fromCache).toBe(0);
  });

  it("writes papers that read back with their comment count and listing day", async () => {
    server = await startServer(pagedDay(3));
    const listing = await fetchListing(options());
    const again = parsePapers(listing.papers.map((p) => JSON.stringify(p)).join("\n"), { format: "jsonl" });
    expect(again.map((p) => p.commentCount)).toEqual(listing.papers.map((p) => p.commentCount));
    expect(again.map((p) => p.commentCount)).toEqual([0, 1, 2]);
  });

  it("asks for one more page after a full last page and stops at the empty one", async () => {
    server = await startServer(pagedDay(200));
    const listing = await fetchListing(options({ pageSize: 100 }));
    expect(listing.papers).toHaveLength(200);
    expect(server.requests.map((r) => r.query.get("p"))).toEqual(["0", "1", "2"]);
  });

  it("stops, with a notice, when the server ignores the page parameter", async () => {
    server = await startServer((_req, res) => sendJson(res, hfPage(DAY, 100, 100, 0)));
    const notices: string[] = [];
    const listing = await fetchListing(options({ pageSize: 100, onNotice: (m) => notices.push(m) }));
    expect(listing.papers).toHaveLength(100);
    expect(server.requests).toHaveLength(2);
    expect(notices.join("\n")).toMatch(/ignore the page parameter "p"/);
  });

  it("reads an empty day (a weekend) as an empty listing", async () => {
    server = await startServer((_req, res) => sendJson(res, []));
    const listing = await fetchListing(options());
    expect(listing.papers).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a future date, and a malformed one, without a request", async () => {
    server = await startServer(pagedDay(5));
    await expect(fetchListing(options({ date: "2999-01-01" }))).rejects.toThrow(InvalidArgumentError);
    await expect(fetchListing(options({ date: "2999-01-01" }))).rejects.toThrow(/in the future/);
    await expect(fetchListing(options({ date: "2025-02-30" }))).rejects.toThrow(/YYYY-MM-DD/);
    expect(server.requests).toHaveLength(0);
  });

  it("waits what Retry-After asks after a 429, then succeeds", async () => {
    server = await startServer((req, res, seen, index) => {
      if (index === 0) return sendText(res, 429, "Too Many Requests", "text/plain", { "Retry-After": "1" });
      return pagedDay(3)(req, res, seen);
    });
    const waits: string[] = [];
    const listing = await fetchListing(options({ onProgress: (e) => e.stage === "wait" && waits.push(e.message ?? "") }));
    expect(listing.papers).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(990);
    expect(waits.join("\n")).toMatch(/HTTP 429/);
  });

  it("retries a 500 and succeeds", async () => {
    server = await startServer((req, res, seen, index) => {
      if (index === 0) return sendText(res, 500, "Internal Server Error", "text/plain");
      return pagedDay(4)(req, res, seen);
    });
    const listing = await fetchListing(options());
    expect(listing.papers).toHaveLength(4);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on a 500 that persists with a FetchError naming the URL and the status", async () => {
    server = await startServer((_req, res) => sendText(res, 503, "Service Unavailable", "text/plain"));
    const error = await fetchListing(options({ retries: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).status).toBe(503);
    expect((error as FetchError).url).toContain(`${server.origin}/api/daily_papers?date=${DAY}`);
    expect((error as Error).message).toMatch(/HTTP 503.*3 attempt/);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a 404", async () => {
    server = await startServer((_req, res) => sendText(res, 404, "Not Found", "text/plain"));
    const error = await fetchListing(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).status).toBe(404);
    expect(server.requests).toHaveLength(1);
  });

  it("times out a connection that never answers, retries, then fails within the bound", async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const error = await fetchListing(options({ timeoutMs: 150, retries: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as Error).message).toMatch(/no complete answer within 150 ms/);
    expect(server.requests).toHaveLength(2);
  });

  it("stops retrying when the total time budget is used up", async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const error = await fetchListing(options({ timeoutMs: 100, retries: 50, totalTimeoutMs: 400 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.length).toBeLessThan(10);
  });

  it("reads a truncated JSON body as a ParseError, not an empty or partial day", async () => {
    server = await startServer((_req, res) => {
      const full = JSON.stringify(hfPage(DAY, 3, 100, 0));
      sendText(res, 200, full.slice(0, Math.floor(full.length / 2)), "application/json");
    });
    const error = await fetchListing(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toMatch(/not valid JSON/);
  });

  it("retries a connection cut in the middle of the body", async () => {
    server = await startServer((_req, res, _seen, index) => {
      const body = JSON.stringify(hfPage(DAY, 3, 100, 0));
      if (index === 0) {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
        res.write(body.slice(0, 40));
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      sendText(res, 200, body, "application/json");
    });
    const listing = await fetchListing(options());
    expect(listing.papers).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
  });

  it("reads an HTML error page sent with status 200 as a ParseError", async () => {
    server = await startServer((_req, res) => sendText(res, 200, HTML_ERROR_PAGE, "text/html"));
    const error = await fetchListing(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toMatch(/HTML or XML, not Hugging Face Daily Papers JSON/);
  });

  it("reads a JSON object that is not a list of entries as a ParseError", async () => {
    server = await startServer((_req, res) => sendJson(res, { error: "Invalid date" }));
    await expect(fetchListing(options())).rejects.toThrow(ParseError);
  });

  it("follows a redirect", async () => {
    server = await startServer((req, res, seen) => {
      if (seen.url.startsWith("/api/")) {
        res.writeHead(301, { Location: `/moved${seen.url}` });
        res.end();
        return;
      }
      pagedDay(2)(req, res, seen);
    });
    const listing = await fetchListing(options());
    expect(listing.papers.map((p) => p.id)).toEqual([arxivId(0), arxivId(1)]);
    expect(server.requests.map((r) => r.url.split("?")[0])).toEqual(["/api/daily_papers", "/moved/api/daily_papers"]);
  });

  it("takes the endpoint from HF_ENDPOINT when no option is given", async () => {
    server = await startServer((_req, res) => sendJson(res, [hfEntry(1, DAY)]));
    const listing = await fetchListing({ source: "hf-daily", date: DAY, cacheDir: false, env: { HF_ENDPOINT: `${server.origin}/` } });
    expect(listing.papers).toHaveLength(1);
    expect(server.requests[0].url).toMatch(/^\/api\/daily_papers\?date=2025-11-21/);
  });
});
