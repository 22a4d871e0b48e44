import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { env } from "@huggingface/transformers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetProbes } from "../../src/embed/hub.js";
import { DEFAULT_MODEL_ID, modelFamilyDefaults, TransformersEmbedder } from "../../src/embed/transformers.js";
import { InvalidArgumentError, ModelLoadError } from "../../src/errors.js";
import type { ProgressEvent } from "../../src/progress.js";
import { setEnv } from "../helpers/env.js";
import { createTinyModel } from "../helpers/tiny-model.js";

let root: string;
let modelDir: string;
let tiny: TransformersEmbedder;

const TEXTS = [
  "Visual token pruning for efficient vision language models.",
  "Masked image modeling with a transformer encoder.",
  "A tokenizer for multilingual language models.",
  "Protein molecule generation with diffusion models.",
  "Short.",
  "",
  "Reinforcement learning agents for robot control: a policy gradient method with reward shaping, trained on simulated robotics tasks and evaluated on real hardware.",
  "Retrieval of documents for question answering with dense embeddings and a contrastive loss.",
  "Graph neural networks for molecular property prediction.",
  "Speech translation without text.",
];

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}
function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s / (norm(a) * norm(b));
}
function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Counts network use: both the global fetch and the one transformers.js uses. */
const network = { calls: 0, original: { global: globalThis.fetch, env: env.fetch }, mode: "fail" as "fail" | "hang" };
function installFetchStub(): void {
  const stub = (async (_input: unknown, init?: RequestInit) => {
    network.calls++;
    if (network.mode === "hang") {
      // Like a black-holed route: nothing comes back until the caller gives up.
      return await new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    }
    throw new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND huggingface.co"), { code: "ENOTFOUND" }) });
  }) as typeof fetch;
  globalThis.fetch = stub;
  env.fetch = stub;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "papermap-transformers-"));
  modelDir = await createTinyModel(join(root, "tiny"));
  installFetchStub();
  tiny = await TransformersEmbedder.load({ modelPath: modelDir, batchSize: 4 });
});

afterAll(async () => {
  await tiny?.dispose();
  globalThis.fetch = network.original.global;
  env.fetch = network.original.env;
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  network.calls = 0;
  network.mode = "fail";
  forgetProbes();
});

describe("TransformersEmbedder on the generated model (real transformers.js pipeline)", () => {
  it("loads from a folder without touching the network", async () => {
    const e = await TransformersEmbedder.load({ modelPath: modelDir });
    expect(network.calls).toBe(0);
    expect(e.dimension).toBe(32);
    expect(e.maxTokens).toBe(128);
    expect(e.id).toMatch(/^transformers:local:model#[0-9a-f]{12}:q8:mean:max128$/);
    await e.dispose();
  });

  it("returns unit-length vectors of the model's dimension, one per text", async () => {
    const vectors = await tiny.embed(TEXTS);
    expect(vectors).toHaveLength(TEXTS.length);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(32);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(await tiny.embed([])).toEqual([]);
  });

  it("is deterministic, also across folders holding the same model", async () => {
    const first = await tiny.embed(TEXTS);
    const second = await tiny.embed(TEXTS);
    expect(second).toEqual(first);
    const copy = await createTinyModel(join(root, "tiny-copy"));
    const other = await TransformersEmbedder.load({ modelPath: copy, batchSize: 4 });
    expect(other.id).toBe(tiny.id); // identified by content, not by folder
    expect(await other.embed(TEXTS)).toEqual(first);
    await other.dispose();
  });

  it("gives another id and other vectors for a model with other weights", async () => {
    const differentDir = await createTinyModel(join(root, "tiny-seed7"), { seed: 7 });
    const different = await TransformersEmbedder.load({ modelPath: differentDir });
    expect(different.id).not.toBe(tiny.id);
    const [a] = await tiny.embed([TEXTS[0]]);
    const [b] = await different.embed([TEXTS[0]]);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(0.01);
    await different.dispose();
  });

  it("gives the same vectors batched (padded) as one text at a time, in input order", async () => {
    const batched = await tiny.embed(TEXTS);
    for (let i = 0; i < TEXTS.length; i++) {
      const [alone] = await tiny.embed([TEXTS[i]]);
      expect(maxAbsDiff(alone, batched[i])).toBeLessThan(1e-5);
    }
    const reversed = await tiny.embed([...TEXTS].reverse());
    reversed.reverse().forEach((v, i) => expect(maxAbsDiff(v, batched[i])).toBeLessThan(1e-5));
  });

  it("puts long texts in small batches (maxBatchTokens) and short texts in large ones", async () => {
    const long = ["visual token pruning ".repeat(40), "masked image modeling ".repeat(40), "protein molecule ".repeat(50)];
    const short = ["token", "pruning", "vision", "image", "protein"];
    const events: ProgressEvent[] = [];
    const e = await TransformersEmbedder.load({ modelPath: modelDir, batchSize: 16, maxBatchTokens: 200 });
    // About 130 tokens each: one per call. Short texts: all in one call.
    await e.embed([...long, ...short], { onProgress: (p) => events.push(p) });
    expect(events.map((p) => p.done)).toEqual([1, 2, 3, 8]);
    const vectors = await e.embed([...long, ...short]);
    const reference = await tiny.embed([...long, ...short]);
    vectors.forEach((v, i) => expect(maxAbsDiff(v, reference[i])).toBeLessThan(1e-5));
    await e.dispose();
  });

  it("mean pooling gives texts that share words similar vectors", async () => {
    const [pruning, pruningAgain, protein] = await tiny.embed([
      "visual token pruning for vision language models",
      "token pruning in vision language models",
      "protein molecule physics",
    ]);
    // Averages of random word vectors: 5 shared words of 7 and 6 → cosine ≈ 5/√42 ≈ 0.77; none shared → ≈ 0.
    expect(cosine(pruning, pruningAgain)).toBeGreaterThan(0.6);
    expect(Math.abs(cosine(pruning, protein))).toBeLessThan(0.4);
  });

  it("applies query and document prefixes, and records them in the id", async () => {
    const prefixed = await TransformersEmbedder.load({ modelPath: modelDir, prefixes: { query: "query: ", document: "passage: " } });
    expect(prefixed.id).toContain('q="query: "');
    expect(prefixed.id).toContain('d="passage: "');
    expect(prefixed.id).not.toBe(tiny.id);
    const text = "visual token pruning";
    const [asQuery] = await prefixed.embed([text], { kind: "query" });
    const [asDocument] = await prefixed.embed([text], { kind: "document" });
    const [asDefault] = await prefixed.embed([text]);
    expect(maxAbsDiff(asQuery, asDocument)).toBeGreaterThan(1e-3);
    expect(asDefault).toEqual(asDocument); // documents are the default kind
    // The prefix is literally put in front of the text.
    const [manual] = await tiny.embed(["query: " + text]);
    expect(maxAbsDiff(asQuery, manual)).toBeLessThan(1e-5);
    // Without prefixes a query is embedded like a document.
    const [q] = await tiny.embed([text], { kind: "query" });
    const [d] = await tiny.embed([text], { kind: "document" });
    expect(q).toEqual(d);
    await prefixed.dispose();
  });

  it("supports [CLS] pooling", async () => {
    const cls = await TransformersEmbedder.load({ modelPath: modelDir, pooling: "cls" });
    expect(cls.id).toContain(":cls:");
    const [a, b] = await cls.embed(["visual token pruning", "protein molecule"]);
    // The [CLS] vector of this static model depends only on position 0 and the [CLS] token.
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    expect(norm(a)).toBeCloseTo(1, 5);
    await cls.dispose();
  });

  it("reports model loading and embedding progress", async () => {
    const events: ProgressEvent[] = [];
    const e = await TransformersEmbedder.load({ modelPath: modelDir, batchSize: 3, onProgress: (p) => events.push(p) });
    const loading = events.filter((p) => p.stage === "load");
    expect(loading.length).toBeGreaterThan(0);
    expect(loading.at(-1)?.done).toBe(loading.at(-1)?.total);
    expect(loading.every((p) => p.unit === "bytes")).toBe(true);
    events.length = 0;
    await e.embed(TEXTS);
    const embedding = events.filter((p) => p.stage === "embed");
    expect(embedding.map((p) => p.done)).toEqual([3, 6, 9, 10]);
    expect(embedding.every((p) => p.total === TEXTS.length && p.unit === "texts")).toBe(true);
    // A per-call callback takes precedence over the one given at load time.
    const perCall: ProgressEvent[] = [];
    events.length = 0;
    await e.embed(TEXTS.slice(0, 2), { onProgress: (p) => perCall.push(p) });
    expect(perCall).toEqual([{ stage: "embed", done: 2, total: 2, unit: "texts" }]);
    expect(events).toEqual([]);
    await e.dispose();
  });

  it("truncates long texts to the model's limit: the tail is cut, nothing crashes", async () => {
    const long = "visual token pruning ".repeat(3000);
    const [v] = await tiny.embed([long]);
    expect(norm(v)).toBeCloseTo(1, 5);
    // Texts equal in their first 128 tokens get the same vector, whatever follows.
    const head = "masked image modeling ".repeat(60);
    const [x, y] = await tiny.embed([head + "protein molecule", head + "speech audio music " + "graph ".repeat(500)]);
    expect(maxAbsDiff(x, y)).toBeLessThan(1e-6);
  });

  it("counts tokens before truncation, so callers can see what gets cut", async () => {
    expect(tiny.countTokens(["visual token pruning", "", "zzq"])).toEqual([5, 2, 5]); // [CLS] … [SEP]; z ##z ##q
    expect(tiny.countTokens(["token ".repeat(300)])[0]).toBe(302);
    const prefixed = await TransformersEmbedder.load({ modelPath: modelDir, prefixes: { query: "query : " } });
    expect(prefixed.countTokens(["visual"], "query")).toEqual([5]);
    expect(prefixed.countTokens(["visual"], "document")).toEqual([3]);
    await prefixed.dispose();
  });

  it("honours a smaller maxTokens and caps a larger one at the model's limit", async () => {
    const short = await TransformersEmbedder.load({ modelPath: modelDir, maxTokens: 8 });
    expect(short.maxTokens).toBe(8);
    expect(short.id).toContain(":max8");
    // [CLS] + 7 words = 8 tokens: the texts differ only after that.
    const [a, b] = await short.embed([
      "visual token pruning for vision language models today",
      "visual token pruning for vision language models protein molecule",
    ]);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    const [c] = await short.embed(["visual token pruning for vision language protein"]);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-3);
    const capped = await TransformersEmbedder.load({ modelPath: modelDir, maxTokens: 100_000 });
    expect(capped.maxTokens).toBe(128);
    await short.dispose();
    await capped.dispose();
  });

  it("takes the position table as the limit when the tokenizer states none", async () => {
    const dir = await createTinyModel(join(root, "tiny-nolimit"), { maxPositions: 40, tokenizerMaxLength: 1e30 });
    const e = await TransformersEmbedder.load({ modelPath: dir });
    expect(e.maxTokens).toBe(40);
    const [v] = await e.embed(["token ".repeat(1000)]);
    expect(norm(v)).toBeCloseTo(1, 5);
    await e.dispose();
  });

  it("loads fp32 weights too: another id, nearly the same vectors as q8", async () => {
    const fp32 = await TransformersEmbedder.load({ modelPath: modelDir, dtype: "fp32" });
    expect(fp32.id).toContain(":fp32:");
    const [a] = await fp32.embed([TEXTS[0]]);
    const [b] = await tiny.embed([TEXTS[0]]);
    expect(cosine(a, b)).toBeGreaterThan(0.99);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(0); // really the quantized file
    await fp32.dispose();
  });

  it("exposes the settings needed to load it again", async () => {
    const e = await TransformersEmbedder.load({ modelPath: modelDir, prefixes: { query: "q: " }, batchSize: 2, offline: true });
    expect(e.options).toEqual({ modelPath: modelDir, dtype: "q8", prefixes: { query: "q: " }, batchSize: 2 });
    const again = await TransformersEmbedder.load(e.options);
    expect(again.id).toBe(e.id);
    await e.dispose();
    await again.dispose();
  });

  it("rejects bad input", async () => {
    await expect(tiny.embed("not an array" as unknown as string[])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(tiny.embed([1 as unknown as string])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(TransformersEmbedder.load({ modelPath: modelDir, batchSize: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(TransformersEmbedder.load({ model: "/some/folder" })).rejects.toThrow(/modelPath/);
  });
});

describe("model family defaults", () => {
  it("knows the prefix and pooling conventions of common families", () => {
    expect(modelFamilyDefaults("intfloat/e5-small-v2")).toEqual({ pooling: "mean", prefixes: { query: "query: ", document: "passage: " } });
    expect(modelFamilyDefaults("Xenova/multilingual-e5-small").prefixes.query).toBe("query: ");
    expect(modelFamilyDefaults(DEFAULT_MODEL_ID)).toEqual({
      pooling: "cls",
      prefixes: { query: "Represent this sentence for searching relevant passages: ", document: "" },
    });
    expect(modelFamilyDefaults("Xenova/gte-small")).toEqual({ pooling: "mean", prefixes: { query: "", document: "" } });
    expect(modelFamilyDefaults("nomic-ai/nomic-embed-text-v1.5").prefixes).toEqual({
      query: "search_query: ",
      document: "search_document: ",
    });
    expect(modelFamilyDefaults("Xenova/all-MiniLM-L6-v2").pooling).toBe("mean");
    expect(modelFamilyDefaults("Xenova/bge-m3").prefixes.query).toBe("");
  });
});

describe("loading failures", () => {
  it("says what is missing in a model folder", async () => {
    const missing = join(root, "no-such-model");
    await expect(TransformersEmbedder.load({ modelPath: missing })).rejects.toThrow(ModelLoadError);
    await expect(TransformersEmbedder.load({ modelPath: missing })).rejects.toThrow(/config\.json/);
    const fp32Only = await createTinyModel(join(root, "fp32-only"), { dtypes: ["fp32"] });
    const error = await TransformersEmbedder.load({ modelPath: fp32Only }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).failure).toBe("missing-files");
    expect((error as Error).message).toMatch(/model_quantized\.onnx.*"fp32"/);
    expect(network.calls).toBe(0);
  });

  it("offline: never touches the network, and says how to supply the model", async () => {
    const cacheDir = await mkdtemp(join(root, "cache-"));
    const error = await TransformersEmbedder.load({ offline: true, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error).toMatchObject({ failure: "offline", model: DEFAULT_MODEL_ID });
    expect((error as ModelLoadError).remedy).toMatch(/papermap model download/);
    expect((error as Error).message).toContain(DEFAULT_MODEL_ID);
    expect((error as Error).message).toMatch(/offline/);
    expect((error as Error).message).toMatch(/modelPath/);
    expect(network.calls).toBe(0);
  });

  it.each(["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"])("honours %s=1 from the environment", async (variable) => {
    setEnv({ [variable]: "1" });
    const cacheDir = await mkdtemp(join(root, "cache-"));
    const error = await TransformersEmbedder.load({ cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toContain(`${variable}=1`);
    expect(network.calls).toBe(0);
    // An explicit option wins over the environment.
    const online = await TransformersEmbedder.load({ cacheDir, offline: false }).catch((e: unknown) => e);
    expect((online as Error).message).toMatch(/cannot be reached/);
    expect(network.calls).toBe(1);
  });

  it("no network: fails at once with the reason, after one reachability check", async () => {
    const cacheDir = await mkdtemp(join(root, "cache-"));
    const error = await TransformersEmbedder.load({ model: "Xenova/gte-small", cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).failure).toBe("hub-unreachable");
    expect((error as Error).message).toMatch(/Xenova\/gte-small.*cannot be reached: DNS lookup failed \(ENOTFOUND\)/);
    expect(network.calls).toBe(1);
  });

  it("a network that never answers is given up on after connectTimeoutMs", async () => {
    network.mode = "hang";
    const cacheDir = await mkdtemp(join(root, "cache-"));
    const error = await TransformersEmbedder.load({ cacheDir, connectTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toContain("no answer within 200 ms");
  });

  it("loads a Hub model id from the model cache without any network access", async () => {
    const cacheDir = await mkdtemp(join(root, "cache-"));
    await cp(modelDir, join(cacheDir, "someone", "tiny-embedder"), { recursive: true });
    const cached = await TransformersEmbedder.load({ model: "someone/tiny-embedder", cacheDir });
    expect(network.calls).toBe(0);
    expect(cached.id).toBe("transformers:someone/tiny-embedder:q8:mean:max128");
    expect(cached.options).toEqual({ model: "someone/tiny-embedder", dtype: "q8" });
    expect(await cached.embed(TEXTS)).toEqual(await tiny.embed(TEXTS));
    await cached.dispose();
    const offline = await TransformersEmbedder.load({ model: "someone/tiny-embedder", cacheDir, offline: true });
    expect(offline.id).toBe(cached.id);
    await offline.dispose();
  });
});
