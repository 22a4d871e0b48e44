import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CachedEmbedder, EmbeddingCache, withCache } from "../../src/embed/cache.js";
import { TransformersEmbedder } from "../../src/embed/transformers.js";
import type { EmbedOptions, Embedder } from "../../src/embed/types.js";
import { InvalidArgumentError } from "../../src/errors.js";
import type { ProgressEvent } from "../../src/progress.js";
import { createTinyModel } from "../helpers/tiny-model.js";

/** A real embedder that counts the texts it is asked to embed. */
class Counting implements Embedder {
  texts = 0;
  calls = 0;
  constructor(readonly inner: Embedder) {}
  get id() {
    return this.inner.id;
  }
  get dimension() {
    return this.inner.dimension;
  }
  embed(texts: readonly string[], options?: EmbedOptions) {
    this.calls++;
    this.texts += texts.length;
    return this.inner.embed(texts, options);
  }
}

const PAPERS = [
  "Visual token pruning for efficient vision language models.",
  "Masked image modeling with a transformer encoder.",
  "A tokenizer for multilingual language models.",
  "Protein molecule generation with diffusion models.",
  "Graph neural networks for molecular property prediction.",
  "Speech translation without text.",
];

let root: string;
let neural: TransformersEmbedder;
let prefixed: TransformersEmbedder;
let dir: string;
let notices: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "papermap-cache-"));
  const model = await createTinyModel(join(root, "model"));
  neural = await TransformersEmbedder.load({ modelPath: model, offline: true });
  prefixed = await TransformersEmbedder.load({ modelPath: model, offline: true, prefixes: { query: "query: ", document: "passage: " } });
});

afterAll(async () => {
  await neural?.dispose();
  await prefixed?.dispose();
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  dir = await mkdtemp(join(root, "cache-"));
  notices = [];
});

const newCache = (options: { maxFiles?: number } = {}) => new EmbeddingCache(dir, { onNotice: (m) => notices.push(m), ...options });

async function vectorFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const sub of await readdir(dir)) {
    for (const f of await readdir(join(dir, sub))) out.push(join(dir, sub, f));
  }
  return out;
}

describe("EmbeddingCache", () => {
  it("keys depend on the kind and the exact text", () => {
    const k = EmbeddingCache.key("document", "a text");
    expect(k).toMatch(/^[0-9a-f]{32}$/);
    expect(EmbeddingCache.key("document", "a text")).toBe(k);
    expect(EmbeddingCache.key("query", "a text")).not.toBe(k);
    expect(EmbeddingCache.key("document", "a text ")).not.toBe(k);
  });

  it("stores and finds vectors per embedder id, across instances", async () => {
    const cache = newCache();
    const v = Float32Array.from([0.6, 0.8, 0]);
    const key = EmbeddingCache.key("document", "x");
    await cache.put("embedder-a", 3, [{ key, vector: v }]);
    expect(await cache.get("embedder-a", 3, [key, EmbeddingCache.key("document", "y")])).toEqual([v, undefined]);
    const reopened = newCache();
    expect(await reopened.get("embedder-a", 3, [key])).toEqual([v]);
    expect(await reopened.get("embedder-b", 3, [key])).toEqual([undefined]);
    expect(await reopened.count("embedder-a", 3)).toBe(1);
    // What get() returns is a copy.
    const [got] = await reopened.get("embedder-a", 3, [key]);
    got![0] = 42;
    expect((await reopened.get("embedder-a", 3, [key]))[0]![0]).toBeCloseTo(0.6);
    expect(notices).toEqual([]);
  });

  it("writes atomically: no temporary files are left", async () => {
    const cache = newCache();
    await cache.put("e", 2, [{ key: EmbeddingCache.key("document", "a"), vector: Float32Array.from([1, 0]) }]);
    const files = await vectorFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.vectors$/);
  });

  it("rejects vectors of the wrong length and keys it did not make", async () => {
    const cache = newCache();
    const key = EmbeddingCache.key("document", "a");
    await expect(cache.put("e", 3, [{ key, vector: Float32Array.from([1, 0]) }])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cache.put("e", 3, [{ key: "not-a-key", vector: Float32Array.from([1, 0, 0]) }])).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it("merges its files when there are more than maxFiles, keeping every vector", async () => {
    const cache = newCache({ maxFiles: 2 });
    const keys = PAPERS.map((t) => EmbeddingCache.key("document", t));
    for (let i = 0; i < keys.length; i++) {
      await cache.put("e", 2, [{ key: keys[i], vector: Float32Array.from([i, 1]) }]);
      expect((await vectorFiles()).length).toBeLessThanOrEqual(2);
    }
    const reopened = newCache();
    const vectors = await reopened.get("e", 2, keys);
    expect(vectors.map((v) => v![0])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("ignores a damaged file with one warning, deletes it, and the vectors are computed again", async () => {
    const first = new Counting(neural);
    const expected = await withCache(first, newCache()).embed(PAPERS);
    const [file] = await vectorFiles();
    const bytes = await readFile(file);
    bytes[bytes.length - 100] ^= 0xff; // flip bits in a vector
    await writeFile(file, bytes);

    const second = new Counting(neural);
    const again = await withCache(second, newCache()).embed(PAPERS);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/damaged.*checksum/);
    expect(second.texts).toBe(PAPERS.length); // nothing trusted from the damaged file
    expect(again).toEqual(expected);
    expect((await vectorFiles()).some((f) => f === file)).toBe(false);
  });

  it("ignores a truncated file", async () => {
    await withCache(neural, newCache()).embed(PAPERS);
    const [file] = await vectorFiles();
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 40));
    const counting = new Counting(neural);
    await withCache(counting, newCache()).embed(PAPERS);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/damaged/);
    expect(counting.texts).toBe(PAPERS.length);
  });

  it("ignores a foreign file (another embedder's vectors, or not a cache file) with a warning, and keeps it", async () => {
    // Vectors written for another embedder id, copied into this embedder's folder.
    const otherCache = newCache();
    await otherCache.put("some-other-embedder", neural.dimension, [
      { key: EmbeddingCache.key("document", PAPERS[0]), vector: new Float32Array(neural.dimension).fill(0.1) },
    ]);
    await withCache(neural, newCache()).embed(PAPERS.slice(1, 2));
    const folders = await readdir(dir);
    const otherFolder = folders.find((f) => f.startsWith("some-other-embedder"))!;
    const ownFolder = folders.find((f) => f !== otherFolder)!;
    const [otherFile] = await readdir(join(dir, otherFolder));
    await copyFile(join(dir, otherFolder, otherFile), join(dir, ownFolder, "zz-copied.vectors"));
    await writeFile(join(dir, ownFolder, "zz-garbage.vectors"), "not vectors at all, just some text in a file");

    const counting = new Counting(neural);
    const vectors = await withCache(counting, newCache()).embed(PAPERS.slice(0, 2));
    expect(notices).toHaveLength(2);
    expect(notices.join("\n")).toMatch(/holds vectors of embedder "some-other-embedder"/);
    expect(notices.join("\n")).toMatch(/not a papermap embedding cache file/);
    expect(counting.texts).toBe(1); // PAPERS[0] was not taken from the foreign file
    expect(vectors[0][0]).not.toBeCloseTo(0.1, 5);
    const kept = await readdir(join(dir, ownFolder));
    expect(kept).toContain("zz-copied.vectors");
    expect(kept).toContain("zz-garbage.vectors");
  });

  it("a cache that cannot be written warns once and embedding still works", async () => {
    const blocked = join(dir, "a-file");
    await writeFile(blocked, "not a folder");
    const cache = new EmbeddingCache(blocked, { onNotice: (m) => notices.push(m) });
    const cached = withCache(neural, cache);
    const vectors = await cached.embed(PAPERS);
    await cached.embed(["another text"]);
    expect(vectors).toEqual(await neural.embed(PAPERS));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/could not write the embedding cache/);
  });

  it("clear() forgets one embedder or everything", async () => {
    const cache = newCache();
    const key = EmbeddingCache.key("document", "a");
    await cache.put("e1", 2, [{ key, vector: Float32Array.from([1, 0]) }]);
    await cache.put("e2", 2, [{ key, vector: Float32Array.from([0, 1]) }]);
    await cache.clear("e1");
    expect(await newCache().get("e1", 2, [key])).toEqual([undefined]);
    expect(await newCache().get("e2", 2, [key])).toEqual([Float32Array.from([0, 1])]);
    await cache.clear();
    expect(await newCache().get("e2", 2, [key])).toEqual([undefined]);
  });
});

describe("withCache", () => {
  it("second run on the same texts embeds nothing and returns identical vectors", async () => {
    const first = new Counting(neural);
    const cached = withCache(first, newCache());
    expect(cached).toBeInstanceOf(CachedEmbedder);
    expect(cached.id).toBe(neural.id);
    expect(cached.dimension).toBe(neural.dimension);
    const v1 = await cached.embed(PAPERS);
    expect(first.texts).toBe(PAPERS.length);
    expect(cached.stats).toEqual({ hits: 0, misses: PAPERS.length });
    expect(v1).toEqual(await neural.embed(PAPERS));

    // A new process would build a new cache object on the same folder.
    const second = new Counting(neural);
    const rerun = withCache(second, newCache());
    const v2 = await rerun.embed(PAPERS);
    expect(second.calls).toBe(0);
    expect(v2).toEqual(v1);
    expect(rerun.stats).toEqual({ hits: PAPERS.length, misses: 0 });
  });

  it("embeds only the texts it has not seen, each once, and keeps input order", async () => {
    const counting = new Counting(neural);
    const cached = withCache(counting, newCache());
    await cached.embed(PAPERS.slice(0, 3));
    counting.texts = 0;
    const mixed = [PAPERS[4], PAPERS[0], PAPERS[4], PAPERS[2], PAPERS[5]];
    const vectors = await cached.embed(mixed);
    expect(counting.texts).toBe(2); // PAPERS[4] (twice in the input) and PAPERS[5]
    expect(vectors).toEqual(await neural.embed(mixed));
  });

  it("keeps query and document vectors apart, and by default does not cache queries", async () => {
    const counting = new Counting(prefixed);
    const cached = withCache(counting, newCache());
    const docs = await cached.embed(PAPERS.slice(0, 2));
    const queries = await cached.embed(PAPERS.slice(0, 2), { kind: "query" });
    expect(queries).toEqual(await prefixed.embed(PAPERS.slice(0, 2), { kind: "query" }));
    expect(queries[0]).not.toEqual(docs[0]);
    counting.texts = 0;
    await cached.embed(PAPERS.slice(0, 2), { kind: "query" });
    expect(counting.texts).toBe(2); // queries are not cached by default

    const caching = new Counting(prefixed);
    const all = withCache(caching, newCache(), { cacheQueries: true });
    await all.embed(PAPERS.slice(0, 2), { kind: "query" });
    const again = await all.embed(PAPERS.slice(0, 2), { kind: "query" });
    expect(caching.texts).toBe(2);
    expect(again).toEqual(queries);
  });

  it("does not mix up two embedders' vectors in one folder", async () => {
    const cache = newCache();
    await withCache(neural, cache).embed(PAPERS);
    const counting = new Counting(prefixed);
    const vectors = await withCache(counting, cache).embed(PAPERS);
    expect(counting.texts).toBe(PAPERS.length);
    expect(vectors).toEqual(await prefixed.embed(PAPERS));
  });

  it("reports progress for cached and computed texts together", async () => {
    const cached = withCache(neural, newCache());
    await cached.embed(PAPERS.slice(0, 4));
    const events: ProgressEvent[] = [];
    await cached.embed(PAPERS, { onProgress: (e) => events.push(e) });
    expect(events.at(-1)).toMatchObject({ stage: "embed", done: PAPERS.length, total: PAPERS.length });
    events.length = 0;
    await cached.embed(PAPERS, { onProgress: (e) => events.push(e) });
    expect(events).toEqual([{ stage: "embed", done: 6, total: 6, unit: "texts", message: "from the embedding cache" }]);
  });

  it("refuses an embedder that returns the wrong number of vectors", async () => {
    const broken: Embedder = { id: "broken", dimension: 2, embed: async () => [Float32Array.from([1, 0])] };
    await expect(withCache(broken, newCache()).embed(["a", "b"])).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
