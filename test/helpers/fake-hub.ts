import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** A loopback stand-in for the Hugging Face Hub (see {@link startFakeHub}). */
export interface FakeHub {
  /** Its address, for HF_ENDPOINT or `remoteHost`. */
  url: string;
  /** Every request, as "METHOD /path". */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves the model folder `modelDir` as the Hub serves model `modelId`
 * (`/<model id>/resolve/main/<file>`) on 127.0.0.1 (any port); 200 for `/`, 404 otherwise.
 */
export async function startFakeHub(modelId: string, modelDir: string): Promise<FakeHub> {
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const match = /^\/(.+?)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(req.url ?? ""));
    if (!match || match[1] !== modelId || match[2].includes("..")) {
      res.writeHead(req.url === "/" ? 200 : 404).end();
      return;
    }
    try {
      const body = await readFile(join(modelDir, match[2]));
      res.writeHead(200, { "content-length": body.length, "content-type": "application/octet-stream" });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** An address on 127.0.0.1 where nothing listens (connections are refused). */
export async function deadEndpoint(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((done) => closed.close(done));
  return url;
}
