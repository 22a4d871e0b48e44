import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetProbes, probeHost } from "../../src/embed/hub.js";

let server: Server | undefined;
let requests = 0;

async function serve(respond: boolean): Promise<string> {
  server = createServer((req, res) => {
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
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND example.invalid"), { code: "ENOTFOUND" }) });
    }) as typeof fetch;
    const result = await probeHost("https://example.invalid/", 1500, failing);
    expect(result).toMatchObject({ reachable: false, reason: "DNS lookup failed (ENOTFOUND)" });
  });
});
