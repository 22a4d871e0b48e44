import { afterEach, describe, expect, it } from "vitest";
import { FetchError } from "../../src/errors.js";
import { httpGet, retryAfterMs } from "../../src/feeds/http.js";
import { politeTurn } from "../../src/feeds/schedule.js";
import { sendText, startServer, type TestServer } from "./server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("retryAfterMs", () => {
  it("reads delta-seconds and HTTP dates", () => {
    expect(retryAfterMs("120")).toBe(120_000);
    expect(retryAfterMs("0")).toBe(0);
    const now = Date.parse("2025-11-21T10:00:00Z");
    expect(retryAfterMs("Fri, 21 Nov 2025 10:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Fri, 21 Nov 2025 09:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
  });
});

describe("httpGet", () => {
  it("fails at once when Retry-After asks for more than the time budget", async () => {
    server = await startServer((_req, res) => sendText(res, 429, "slow down", "text/plain", { "Retry-After": "3600" }));
    const error = await httpGet(`${server.origin}/x`, { totalTimeoutMs: 5_000, backoffMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).status).toBe(429);
    expect((error as Error).message).toMatch(/asked to wait 3600 s, past the time budget.*rate-limiting/);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a refused connection and names it", async () => {
    server = await startServer(() => undefined);
    const origin = server.origin;
    await server.close();
    server = undefined;
    const retries: string[] = [];
    const error = await httpGet(`${origin}/x`, { retries: 2, backoffMs: 1, onRetry: (r) => retries.push(r.reason) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FetchError);
    expect((error as Error).message).toMatch(/connection refused.*3 attempt/);
    expect(retries).toEqual(["connection refused", "connection refused"]);
  });
});

describe("politeTurn", () => {
  it("lets one request through at a time, in the order asked, spaced from the end of the previous one", async () => {
    const events: string[] = [];
    const ends: number[] = [];
    const starts: number[] = [];
    const job = async (name: string, busyMs: number) => {
      const release = await politeTurn("test-lane", 40);
      starts.push(Date.now());
      events.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, busyMs));
      events.push(`end ${name}`);
      ends.push(Date.now());
      release();
    };
    await Promise.all([job("a", 30), job("b", 5), job("c", 5)]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(starts[1] - ends[0]).toBeGreaterThanOrEqual(40);
    expect(starts[2] - ends[1]).toBeGreaterThanOrEqual(40);
  });
});
