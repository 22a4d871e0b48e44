import { readFile, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { downloadModel } from "../../src/embed/download.js";
import { forgetProbes, HUB_STATUS_FILE, HUB_STATUS_TTL_MS } from "../../src/embed/hub.js";
import { LexicalEmbedder } from "../../src/embed/lexical.js";
import { resolveEmbedder } from "../../src/embed/resolve.js";
import { DEFAULT_MODEL_ID, TransformersEmbedder } from "../../src/embed/transformers.js";
import { ModelLoadError } from "../../src/errors.js";
import type { ProgressEvent } from "../../src/progress.js";
import { setEnv } from "../helpers/env.js";
import { deadEndpoint, startFakeHub, type FakeHub } from "../helpers/fake-hub.js";
import { createTinyModel } from "../helpers/tiny-model.js";

// A loopback stand-in for the Hugging Face Hub serving the generated tiny model.
let root: string;
let modelDir: string;
let hub: FakeHub;
let endpoint: string;
let requests: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "papermap-download-"));
  modelDir = await createTinyModel(join(root, "tiny"));
  hub = await startFakeHub(DEFAULT_MODEL_ID, modelDir);
  endpoint = hub.url;
  requests = hub.requests;
});

afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  requests.length = 0;
  forgetProbes();
});

const DOCUMENTS = ["Visual token pruning for vision language models.", "A neural speech codec.", "Robot control with policies."];

describe("downloadModel (papermap model download)", () => {
  it("fetches the default model into the cache with progress; afterwards it loads offline", async () => {
    setEnv({ HF_ENDPOINT: endpoint });
    const cacheDir = await mkdtemp(join(root, "cache-"));
    const events: ProgressEvent[] = [];
    const result = await downloadModel(undefined, { cacheDir, onProgress: (e) => events.push(e) });
    expect(result.model).toBe(DEFAULT_MODEL_ID);
    expect(result.alreadyCached).toBe(false);
    expect(result.folder).toBe(join(cacheDir, DEFAULT_MODEL_ID));
    expect(result.dimension).toBe(32);
    for (const f of result.files) {
      expect(f.bytes).toBe((await stat(join(modelDir, f.file))).size);
    }
    expect(result.files.map((f) => f.file)).toContain("onnx/model_quantized.onnx");
    const downloads = events.filter((e) => e.stage === "download");
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.at(-1)!.done).toBeGreaterThan(0);
    expect(requests.some((r) => r.endsWith("/onnx/model_quantized.onnx"))).toBe(true);

    // Offline from now on: the model loads from the cache, with no request at all.
    requests.length = 0;
    const offline = await TransformersEmbedder.load({ cacheDir, offline: true });
    expect(offline.dimension).toBe(32);
    expect(requests).toEqual([]);
    await offline.dispose();

    // A second download only checks what is there.
    const again = await downloadModel(undefined, { cacheDir });
    expect(again.alreadyCached).toBe(true);
    expect(requests.filter((r) => r.startsWith("GET"))).toEqual([]);
  });

  it("fails with ModelLoadError naming the Hub when it cannot be reached", async () => {
    const cacheDir = await mkdtemp(join(root, "cache-"));
    const dead = await deadEndpoint();
    const error = await downloadModel(undefined, { cacheDir, remoteHost: dead }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).failure).toBe("hub-unreachable");
    expect((error as Error).message).toContain(dead);
  });
});

describe('"auto" remembers an unreachable Hub', () => {
  it("probes once, writes the decision to the cache folder, and skips the probe within the hour", async () => {
    const dead = await deadEndpoint();
    setEnv({ HF_ENDPOINT: dead });
    const cacheDir = await mkdtemp(join(root, "cache-"));
    const notices: string[] = [];
    const first = await resolveEmbedder("auto", { documents: DOCUMENTS, modelCacheDir: cacheDir, onNotice: (m) => notices.push(m) });
    expect(first).toBeInstanceOf(LexicalEmbedder);
    const status = JSON.parse(await readFile(join(cacheDir, HUB_STATUS_FILE), "utf8"));
    expect(Object.keys(status.unreachable)).toEqual([dead]);
    // Two short lines: what happened, then what to do.
    const lines = notices[0].split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.replace(cacheDir, "<cache>").length).toBeLessThanOrEqual(220);
    expect(lines[0]).toMatch(/^no neural model: ".*" is not cached and the Hugging Face Hub cannot be reached \(.*ECONNREFUSED.*\)/);
    expect(lines[0]).toMatch(/lexical embedder \(fitted on these 3 papers\)/);
    expect(lines[1]).toMatch(/papermap model download/);
    expect(lines[1]).toContain(`model cache: ${cacheDir}`); // where it looked, where the download goes

    // A later run (another process: the in-process memory is cleared) does not probe.
    forgetProbes();
    notices.length = 0;
    const second = await resolveEmbedder("auto", { documents: DOCUMENTS, modelCacheDir: cacheDir, onNotice: (m) => notices.push(m) });
    expect(second).toBeInstanceOf(LexicalEmbedder);
    const [what, advice] = notices[0].split("\n");
    expect(what).toMatch(/cannot be reached \(.*ECONNREFUSED.*\)/);
    // The answer came from the status file, not from a new probe.
    expect(advice).toMatch(/^The Hub was last checked (less than a minute ago|\d+ min ago); next check after \d\d:\d\d UTC\. To use it/);
    for (const line of [what, advice]) expect(line.replace(cacheDir, "<cache>").length).toBeLessThanOrEqual(220);
  });

  it("probes again once the remembered answer is older than the TTL, and forgets it when the Hub answers", async () => {
    setEnv({ HF_ENDPOINT: endpoint });
    const cacheDir = await mkdtemp(join(root, "cache-"));
    const old = new Date(Date.now() - HUB_STATUS_TTL_MS - 60_000).toISOString();
    const statusFile = join(cacheDir, HUB_STATUS_FILE);
    await writeFile(
      statusFile,
      JSON.stringify({ unreachable: { [endpoint]: { reason: "DNS lookup failed (ENOTFOUND)", checkedAt: old } } }),
    );
    // The Hub answers now: "auto" downloads the model and the stale entry is gone.
    const e = await resolveEmbedder("auto", { documents: DOCUMENTS, modelCacheDir: cacheDir, onNotice: () => undefined });
    expect(e).toBeInstanceOf(TransformersEmbedder);
    expect(requests.some((r) => r.startsWith("HEAD /"))).toBe(true);
    await expect(stat(statusFile)).rejects.toThrow();
    await (e as TransformersEmbedder).dispose();
  });

  it("an explicitly requested model is not refused on a remembered answer: it probes", async () => {
    setEnv({ HF_ENDPOINT: endpoint });
    const cacheDir = await mkdtemp(join(root, "cache-"));
    await writeFile(
      join(cacheDir, HUB_STATUS_FILE),
      JSON.stringify({ unreachable: { [endpoint]: { reason: "no answer within 1500 ms", checkedAt: new Date().toISOString() } } }),
    );
    const e = await resolveEmbedder({ model: DEFAULT_MODEL_ID }, { documents: DOCUMENTS, modelCacheDir: cacheDir });
    expect(e).toBeInstanceOf(TransformersEmbedder);
    await (e as TransformersEmbedder).dispose();
  });
});
