import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetProbes, HUB_STATUS_FILE, probeHost } from "../../src/embed/hub.js";

let server: Server | undefined;
let requests = 0;

async function serve(respond: boolean): Promise<string> {
  server = createServer((_req, res) => {
    requests++;
    if (respond) res.writeHead(302, { location: "/elsewhere" }).end();
    // else: accept the connection and never answer
  });
  await new Promise<void>((ok) => server!.listen(0, "127.0.0.1", ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/some/path`;
}

beforeEach(() => {
  forgetProbes();
  requests = 0;
});
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  server = undefined;
});

describe("probeHost (real HTTP on localhost)", () => {
  it("any HTTP answer means reachable; one HEAD request to the origin", async () => {
    const url = await serve(true);
    const result = await probeHost(url, 1500, fetch);
    expect(result.reachable).toBe(true);
    expect(requests).toBe(1);
  });

  it("a server that never answers is given up on after the time-out", async () => {
    const url = await serve(false);
    const result = await probeHost(url, 150, fetch);
    expect(result).toMatchObject({ reachable: false, reason: "no answer within 150 ms" });
  });

  it("a refused connection is unreachable, with the reason", async () => {
    const url = await serve(true);
    server!.close();
    await new Promise((ok) => setTimeout(ok, 20));
    const result = await probeHost(url, 1500, fetch);
    expect(result.reachable).toBe(false);
    expect(result.reason).toMatch(/ECONNREFUSED/);
  });

  it("remembers the result per host until forgotten", async () => {
    const url = await serve(true);
    await probeHost(url, 1500, fetch);
    await probeHost(url.replace("/some/path", "/other"), 1500, fetch);
    expect(requests).toBe(1);
    forgetProbes();
    await probeHost(url, 1500, fetch);
    expect(requests).toBe(2);
  });

  it("names a failed DNS lookup", async () => {
    const failing = (async () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND example.invalid"), { code: "ENOTFOUND" }),
      });
    }) as typeof fetch;
    const result = await probeHost("https://example.invalid/", 1500, failing);
    expect(result).toMatchObject({ reachable: false, reason: "DNS lookup failed (ENOTFOUND)" });
  });
});

describe("probeHost with a status file (an unreachable host remembered across processes)", () => {
  const failing = (calls: { n: number }) =>
    (async () => {
      calls.n++;
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND example.invalid"), { code: "ENOTFOUND" }),
      });
    }) as typeof fetch;

  it("writes an unreachable host, answers from the file within the TTL, probes again after it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "papermap-hub-"));
    const statusFile = join(dir, "models", HUB_STATUS_FILE);
    const calls = { n: 0 };
    const first = await probeHost("https://example.invalid/x", 1500, failing(calls), { statusFile, ttlMs: 60_000 });
    expect(first).toMatchObject({ reachable: false, reason: "DNS lookup failed (ENOTFOUND)" });
    expect(first.rememberedSince).toBeUndefined();
    const saved = JSON.parse(await readFile(statusFile, "utf8"));
    expect(saved.unreachable["https://example.invalid"].reason).toBe("DNS lookup failed (ENOTFOUND)");
    expect((await readdir(join(dir, "models"))).filter((f) => f.endsWith(".tmp"))).toEqual([]); // written by rename
    forgetProbes(); // as a new process would
    const second = await probeHost("https://example.invalid/y", 1500, failing(calls), { statusFile, ttlMs: 60_000 });
    expect(calls.n).toBe(1);
    expect(second.reachable).toBe(false);
    expect(second.rememberedSince).toBeInstanceOf(Date);
    expect(second.recheckAfter!.getTime() - second.rememberedSince!.getTime()).toBe(60_000);
    forgetProbes();
    await probeHost("https://example.invalid/", 1500, failing(calls), { statusFile, ttlMs: 0 });
    expect(calls.n).toBe(2);
    await rm(dir, { recursive: true, force: true });
  });

  it("ignores a damaged status file, and a reachable answer removes the entry", async () => {
    const dir = await mkdtemp(join(tmpdir(), "papermap-hub-"));
    const statusFile = join(dir, HUB_STATUS_FILE);
    await writeFile(statusFile, "{ not json");
    const url = await serve(true);
    expect((await probeHost(url, 1500, fetch, { statusFile })).reachable).toBe(true);
    expect(requests).toBe(1);
    const origin = new URL(url).origin;
    await writeFile(statusFile, JSON.stringify({ unreachable: { [origin]: { reason: "old", checkedAt: new Date(0).toISOString() } } }));
    forgetProbes();
    expect((await probeHost(url, 1500, fetch, { statusFile })).reachable).toBe(true);
    await expect(stat(statusFile)).rejects.toThrow(); // nothing left to remember
    await rm(dir, { recursive: true, force: true });
  });
});
