import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { InvalidArgumentError, ModelLoadError } from "../errors.js";
import { normalize } from "../vector-math.js";
import type { ProgressCallback } from "../progress.js";
import { defaultModelCacheDir, offlineFromEnvironment, offlineVariable } from "./environment.js";
import { hubStatusFile, probeHost, type ProbeResult } from "./hub.js";
import type { EmbedKind, EmbedOptions, Embedder } from "./types.js";

/**
 * The default neural model: BAAI's bge-small-en-v1.5 as converted for transformers.js
 * (384-d vectors, 512-token context, about 34 MB quantized). Chosen over gte-small, its
 * equal in size, because it is the stronger retriever (search is papermap's main job)
 * at practically the same clustering quality.
 */
export const DEFAULT_MODEL_ID = "Xenova/bge-small-en-v1.5";

/** Weight formats of transformers.js models (which file is loaded: `onnx/model<suffix>.onnx`). */
export type TransformersDtype = "fp32" | "fp16" | "q8" | "int8" | "uint8" | "q4" | "q4f16" | "bnb4";

/** How token vectors become one text vector: their mean (attention-masked) or the first ([CLS]) token. */
export type PoolingStrategy = "mean" | "cls";

/** Text put in front of queries and documents before embedding (some model families are trained with them). */
export interface EmbeddingPrefixes {
  query: string;
  document: string;
}

/** Settings of a {@link TransformersEmbedder}. Everything except `onProgress` is plain data (JSON-serialisable). */
export interface TransformersEmbedderOptions {
  /** Hugging Face Hub model id of any feature-extraction model with ONNX weights. Default {@link DEFAULT_MODEL_ID}. Ignored when `modelPath` is set. */
  model?: string;
  /** A local model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx): loaded without any network access. */
  modelPath?: string;
  /** Weight format: "q8" (default, quantized, `onnx/model_quantized.onnx`) or "fp32" (`onnx/model.onnx`), etc. */
  dtype?: TransformersDtype;
  /** Pooling. Default by model family: "cls" for bge, arctic-embed and mxbai-embed models, "mean" otherwise. */
  pooling?: PoolingStrategy;
  /**
   * Prefixes for queries and documents. Default by model family: e5 → "query: " / "passage: ";
   * bge (English) and arctic-embed / mxbai-embed → the query instruction
   * "Represent this sentence for searching relevant passages: " and no document prefix;
   * nomic-embed-text → "search_query: " / "search_document: "; gte and others → none.
   * A field you leave out keeps its family default.
   */
  prefixes?: Partial<EmbeddingPrefixes>;
  /** Tokens per text (including special tokens); the rest of the text is cut off. Default and maximum: the model's own limit (512 for bge/gte/e5-small). */
  maxTokens?: number;
  /** At most this many texts per model call. Default 16. */
  batchSize?: number;
  /**
   * At most about this many tokens (texts × the longest one's estimated length) per model
   * call. Default 512: on a CPU, big batches of long texts run slower than small ones (see
   * the embedding benchmark), while short texts (queries, titles) gain much from batching.
   */
  maxBatchTokens?: number;
  /** Where downloaded model files are cached. Default `<cache root>/models` (see `defaultCacheRoot`). */
  cacheDir?: string;
  /** Never touch the network: only the cache or `modelPath`. Default: on when `HF_HUB_OFFLINE`, `TRANSFORMERS_OFFLINE` or `PAPERMAP_OFFLINE` is `1`. */
  offline?: boolean;
  /** Hub revision (branch, tag or commit). Default "main". */
  revision?: string;
  /** Hub address. Default `$HF_ENDPOINT` or https://huggingface.co. */
  remoteHost?: string;
  /** How long to wait for the Hub to answer a reachability check before giving up, in ms. Default 1500. */
  connectTimeoutMs?: number;
  /**
   * Remember an unreachable Hub for an hour (in `<cacheDir>/hub-status.json`), so that later
   * loads of an uncached model, in this process or another, fail at once instead of
   * probing again. Default false; the `"auto"` embedder turns it on.
   */
  rememberHubStatus?: boolean;
  /** Model loading ("download" from the Hub, "load" from disk; bytes) and embedding ("embed"; texts) progress. */
  onProgress?: ProgressCallback;
}

/** The settings that define a loaded model's vectors, as recorded by `describeEmbedder`. */
export type TransformersEmbedderSettings = Omit<
  TransformersEmbedderOptions,
  "onProgress" | "cacheDir" | "offline" | "remoteHost" | "connectTimeoutMs" | "rememberHubStatus"
>;

const DTYPE_SUFFIX: Record<TransformersDtype, string> = {
  fp32: "",
  fp16: "_fp16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  q4: "_q4",
  q4f16: "_q4f16",
  bnb4: "_bnb4",
};

const DEFAULT_REMOTE_HOST = "https://huggingface.co";
const REPO_ID = /^(\b[\w\-.]+\b\/)?\b[\w\-.]{1,96}\b$/;
const RETRIEVAL_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

/** Default pooling and prefixes for a model name (hub id or folder name). */
export function modelFamilyDefaults(name: string): { pooling: PoolingStrategy; prefixes: EmbeddingPrefixes } {
  const n = name.toLowerCase();
  const none = { query: "", document: "" };
  if (/(^|[/_-])(multilingual-)?e5([-_]|$)/.test(n)) return { pooling: "mean", prefixes: { query: "query: ", document: "passage: " } };
  if (n.includes("bge-m3")) return { pooling: "cls", prefixes: none };
  if (/bge-.*zh/.test(n)) return { pooling: "cls", prefixes: { query: "为这个句子生成表示以用于检索相关文章：", document: "" } };
  if (n.includes("bge")) return { pooling: "cls", prefixes: { query: RETRIEVAL_INSTRUCTION, document: "" } };
  if (n.includes("arctic-embed") || n.includes("mxbai-embed"))
    return { pooling: "cls", prefixes: { query: RETRIEVAL_INSTRUCTION, document: "" } };
  if (n.includes("nomic-embed-text")) return { pooling: "mean", prefixes: { query: "search_query: ", document: "search_document: " } };
  return { pooling: "mean", prefixes: none };
}

// ---- the slice of transformers.js that is used (typed here, checked at run time by use) ----
interface TensorLike {
  readonly dims: number[];
  readonly type: string;
  readonly data: ArrayLike<number | bigint>;
  to(type: string): TensorLike;
}
interface TokenizerLike {
  (texts: string[], options: { padding: boolean; truncation: boolean; max_length?: number }): Record<string, TensorLike>;
  readonly model_max_length: number;
}
interface ModelLike {
  (inputs: Record<string, TensorLike>): Promise<Record<string, TensorLike | undefined>>;
  readonly config: Record<string, unknown>;
}
interface PipelineLike {
  readonly tokenizer: TokenizerLike;
  readonly model: ModelLike;
  dispose(): Promise<void>;
}
type TransformersModule = typeof import("@huggingface/transformers");

let transformersModule: Promise<TransformersModule> | undefined;
function importTransformers(): Promise<TransformersModule> {
  transformersModule ??= import("@huggingface/transformers");
  return transformersModule;
}

/** transformers.js reads its settings from a global `env`; loads take turns so each sees its own. */
let envLock: Promise<unknown> = Promise.resolve();
function withEnvLock<T>(work: () => Promise<T>): Promise<T> {
  const run = envLock.then(work, work);
  envLock = run.catch(() => undefined);
  return run;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function hashFiles(paths: string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const path of paths) {
    if (!(await exists(path))) continue;
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 12);
}

async function availableDtypes(folder: string): Promise<TransformersDtype[]> {
  let files: string[] = [];
  try {
    files = await readdir(join(folder, "onnx"));
  } catch {
    return [];
  }
  return (Object.keys(DTYPE_SUFFIX) as TransformersDtype[]).filter((d) => files.includes(`model${DTYPE_SUFFIX[d]}.onnx`));
}

function positiveInteger(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${name} must be a whole number ≥ 1 (got ${String(value)}).`);
  }
  return value;
}

function errorText(error: unknown): string {
  const e = error as { message?: string };
  return (e?.message ?? String(error)).replace(/\s+/g, " ").trim().replace(/\.$/, "");
}

/**
 * A neural sentence-embedding model run locally by `@huggingface/transformers`
 * (ONNX Runtime on the CPU): tokenise (truncating to the model's limit), run the model,
 * pool (mean or [CLS]) and normalise to unit length.
 *
 * Texts longer than {@link maxTokens} tokens are cut at the end: for a paper embedded as
 * `title. abstract`, the title and the start of the abstract are kept, the tail is dropped.
 */
export class TransformersEmbedder implements Embedder {
  /** Model id/folder + dtype + pooling + max tokens + prefixes: every setting that changes the vectors. */
  readonly id: string;
  readonly dimension: number;
  /** Tokens per text after truncation (special tokens included). */
  readonly maxTokens: number;
  readonly pooling: PoolingStrategy;
  readonly prefixes: Readonly<EmbeddingPrefixes>;
  readonly dtype: TransformersDtype;
  readonly batchSize: number;
  readonly maxBatchTokens: number;
  /** Where the model came from: a Hub model id or an absolute folder path. */
  readonly source: string;
  private readonly pipe: PipelineLike;
  private readonly settings: TransformersEmbedderSettings;
  private readonly onProgress?: ProgressCallback;

  private constructor(init: {
    id: string;
    dimension: number;
    maxTokens: number;
    pooling: PoolingStrategy;
    prefixes: EmbeddingPrefixes;
    dtype: TransformersDtype;
    batchSize: number;
    maxBatchTokens: number;
    source: string;
    pipe: PipelineLike;
    settings: TransformersEmbedderSettings;
    onProgress?: ProgressCallback;
  }) {
    this.id = init.id;
    this.dimension = init.dimension;
    this.maxTokens = init.maxTokens;
    this.pooling = init.pooling;
    this.prefixes = Object.freeze({ ...init.prefixes });
    this.dtype = init.dtype;
    this.batchSize = init.batchSize;
    this.maxBatchTokens = init.maxBatchTokens;
    this.source = init.source;
    this.pipe = init.pipe;
    this.settings = init.settings;
    this.onProgress = init.onProgress;
  }

  /**
   * Loads a model: from `modelPath` (no network), else from the model cache, else
   * downloads it from the Hub (unless offline). Fails fast — after a short reachability
   * check, never a long network time-out — with a {@link ModelLoadError} that says what
   * was missing and how to supply the model.
   *
   * @example
   * ```ts
   * const model = await TransformersEmbedder.load({ model: "Xenova/bge-small-en-v1.5" });
   * const [query] = await model.embed(["token pruning"], { kind: "query" });
   * await model.dispose();
   * ```
   */
  static async load(options: TransformersEmbedderOptions = {}): Promise<TransformersEmbedder> {
    const plan = loadPlan(options);
    const located = options.modelPath !== undefined ? await locateFolder(options.modelPath, plan) : await locateHubModel(plan);
    const { pooling, prefixes } = vectorSettings(options, located);
    const pipe = await openPipeline(located, plan);
    const modelLimit = modelTokenLimit(pipe);
    const maxTokens = Math.min(plan.requestedMaxTokens ?? modelLimit, modelLimit);
    const dimension = await probeDimension(pipe, located.source, maxTokens, pooling);
    const settings: TransformersEmbedderSettings = { ...located.settings };
    if (options.pooling !== undefined) settings.pooling = options.pooling;
    if (options.prefixes !== undefined) settings.prefixes = { ...options.prefixes };
    if (options.maxTokens !== undefined) settings.maxTokens = options.maxTokens;
    if (options.batchSize !== undefined) settings.batchSize = options.batchSize;
    if (options.maxBatchTokens !== undefined) settings.maxBatchTokens = options.maxBatchTokens;
    return new TransformersEmbedder({
      id: embedderId(located.idSource, plan.dtype, pooling, maxTokens, prefixes),
      dimension,
      maxTokens,
      pooling,
      prefixes,
      dtype: plan.dtype,
      batchSize: plan.batchSize,
      maxBatchTokens: plan.maxBatchTokens,
      source: located.source,
      pipe,
      settings,
      onProgress: options.onProgress,
    });
  }

  /** The settings needed to load this model again (model id or folder, dtype, pooling, prefixes, ...). */
  get options(): TransformersEmbedderSettings {
    return structuredClone(this.settings);
  }

  /** Unit-length vectors for `texts`, in input order. `kind` selects the query or document prefix (default "document"). */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (!Array.isArray(texts)) throw new InvalidArgumentError("embed() needs an array of strings.");
    texts.forEach((t, i) => {
      if (typeof t !== "string") throw new InvalidArgumentError(`embed(): text ${i} is a ${typeof t}, not a string.`);
    });
    const kind: EmbedKind = options.kind ?? "document";
    if (kind !== "query" && kind !== "document") {
      throw new InvalidArgumentError(`embed(): kind must be "query" or "document" (got "${String(kind)}").`);
    }
    const prefix = kind === "query" ? this.prefixes.query : this.prefixes.document;
    const onProgress = options.onProgress ?? this.onProgress;
    const total = texts.length;
    const result = new Array<Float32Array>(total);
    // Longest first, so each batch holds texts of similar length (less padding to compute);
    // long texts go in small batches, short ones in large batches.
    const order = texts.map((_, i) => i).sort((a, b) => texts[b].length - texts[a].length || a - b);
    let done = 0;
    for (let start = 0; start < total; ) {
      const longest = Math.min(this.maxTokens, Math.ceil((prefix.length + texts[order[start]].length) / 4) + 2);
      const size = Math.max(1, Math.min(this.batchSize, Math.floor(this.maxBatchTokens / longest)));
      const indices = order.slice(start, start + size);
      start += indices.length;
      const vectors = await embedBatch(
        this.pipe,
        indices.map((i) => prefix + texts[i]),
        this.maxTokens,
        this.pooling,
      );
      indices.forEach((index, j) => (result[index] = vectors[j]));
      done += indices.length;
      onProgress?.({ stage: "embed", done, total, unit: "texts" });
    }
    return result;
  }

  /**
   * Tokens per text as the model sees it (special tokens and the document prefix included),
   * before truncation: a count above {@link maxTokens} means the end of that text is cut off.
   */
  countTokens(texts: readonly string[], kind: EmbedKind = "document"): number[] {
    const prefix = kind === "query" ? this.prefixes.query : this.prefixes.document;
    return texts.map((t) => {
      const ids = this.pipe.tokenizer([prefix + t], { padding: false, truncation: false }).input_ids;
      return ids.dims[ids.dims.length - 1];
    });
  }

  /** Releases the ONNX Runtime session. The embedder cannot be used afterwards. */
  async dispose(): Promise<void> {
    await this.pipe.dispose();
  }
}

async function embedBatch(pipe: PipelineLike, texts: string[], maxTokens: number, pooling: PoolingStrategy): Promise<Float32Array[]> {
  const inputs = pipe.tokenizer(texts, { padding: true, truncation: true, max_length: maxTokens });
  const outputs = await pipe.model(inputs);
  let hidden = outputs.last_hidden_state ?? outputs.token_embeddings ?? outputs.logits;
  if (!hidden)
    throw new Error(`the model returned none of last_hidden_state, token_embeddings, logits (got ${Object.keys(outputs).join(", ")})`);
  if (hidden.type !== "float32") hidden = hidden.to("float32");
  const mask = inputs.attention_mask;
  if (hidden.dims.length === 2) {
    // Already pooled by the model ([batch, dim]).
    return splitRows(hidden.data as Float32Array, hidden.dims[0], hidden.dims[1]);
  }
  const [batch, length, dim] = hidden.dims;
  const data = hidden.data as Float32Array;
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    if (pooling === "cls") {
      v.set(data.subarray(b * length * dim, b * length * dim + dim));
    } else {
      let count = 0;
      for (let s = 0; s < length; s++) {
        if (mask && Number(mask.data[b * length + s]) === 0) continue;
        count++;
        const offset = (b * length + s) * dim;
        for (let d = 0; d < dim; d++) v[d] += data[offset + d];
      }
      if (count > 0) for (let d = 0; d < dim; d++) v[d] /= count;
    }
    out.push(normalize(v));
  }
  return out;
}

function splitRows(data: Float32Array, rows: number, dim: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) out.push(normalize(Float32Array.from(data.subarray(r * dim, (r + 1) * dim))));
  return out;
}

function modelTokenLimit(pipe: PipelineLike): number {
  const limits: number[] = [];
  const tokenizerLimit = Number(pipe.tokenizer.model_max_length);
  if (Number.isFinite(tokenizerLimit) && tokenizerLimit > 0 && tokenizerLimit < 1e6) limits.push(tokenizerLimit);
  const positions = Number(pipe.model.config?.max_position_embeddings);
  if (Number.isFinite(positions) && positions > 0) {
    // RoBERTa-style models reserve (padding id + 1) positions.
    const type = String(pipe.model.config?.model_type ?? "");
    limits.push(/roberta|xlm|camembert|mpnet/.test(type) ? positions - 2 : positions);
  }
  return limits.length ? Math.min(...limits) : 512;
}

/** The model name recorded in a transformers.js export's config.json (`_name_or_path`), if any. */
async function originalModelName(folder: string): Promise<string | undefined> {
  try {
    const config = JSON.parse(await readFile(join(folder, "config.json"), "utf8")) as Record<string, unknown>;
    const name = config._name_or_path;
    return typeof name === "string" && name && !name.startsWith("/") && !name.startsWith(".") ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Pooling from a sentence-transformers `1_Pooling/config.json`, when the folder has one. */
async function sentenceTransformersPooling(folder: string): Promise<PoolingStrategy | undefined> {
  try {
    const config = JSON.parse(await readFile(join(folder, "1_Pooling", "config.json"), "utf8")) as Record<string, unknown>;
    if (config.pooling_mode_cls_token === true) return "cls";
    if (config.pooling_mode_mean_tokens === true) return "mean";
  } catch {
    // No sentence-transformers pooling config: use the family default.
  }
  return undefined;
}

// ---- the steps of TransformersEmbedder.load ----

/** Checked load options, with their defaults filled in. */
interface LoadPlan {
  dtype: TransformersDtype;
  batchSize: number;
  maxBatchTokens: number;
  requestedMaxTokens: number | undefined;
  connectTimeoutMs: number;
  offline: boolean;
  /** Why offline mode is on, for messages. */
  offlineBy: string;
  cacheDir: string;
  revision: string;
  /** The weights file of the dtype, relative to the model folder. */
  weightsFile: string;
  remoteHost: string;
  /** The model id or folder, for messages. */
  modelName: string;
  /** Where an unreachable Hub is remembered, if it is. */
  hubStatusFile: string | undefined;
  onProgress?: ProgressCallback;
}

/** Where the model comes from and what follows from it. */
interface LocatedModel {
  /** What transformers.js loads: a Hub id or an absolute folder. */
  source: string;
  /** The model part of the embedder id (content hash for a folder, id[@revision] for the Hub). */
  idSource: string;
  /** The name model-family defaults are read from. */
  familyName: string;
  /** Pooling declared by a sentence-transformers folder. */
  folderPooling?: PoolingStrategy;
  /** All files are on disk: load without the network. */
  localOnly: boolean;
  /** True for a `modelPath` folder (never completed from the Hub). */
  isFolder: boolean;
  settings: TransformersEmbedderSettings;
}

/** Step 1: validates the options and fills in the defaults. */
function loadPlan(options: TransformersEmbedderOptions): LoadPlan {
  const dtype: TransformersDtype = options.dtype ?? "q8";
  if (!(dtype in DTYPE_SUFFIX)) {
    throw new InvalidArgumentError(`Unknown dtype "${String(dtype)}"; use one of ${Object.keys(DTYPE_SUFFIX).join(", ")}.`);
  }
  if (options.pooling !== undefined && options.pooling !== "mean" && options.pooling !== "cls") {
    throw new InvalidArgumentError(`Unknown pooling "${String(options.pooling)}"; use "mean" or "cls".`);
  }
  const cacheDir = resolve(options.cacheDir ?? defaultModelCacheDir());
  return {
    dtype,
    batchSize: positiveInteger(options.batchSize, "batchSize") ?? 16,
    maxBatchTokens: positiveInteger(options.maxBatchTokens, "maxBatchTokens") ?? 512,
    requestedMaxTokens: positiveInteger(options.maxTokens, "maxTokens"),
    connectTimeoutMs: options.connectTimeoutMs ?? 1500,
    offline: options.offline ?? offlineFromEnvironment(),
    offlineBy: options.offline ? "offline: true" : `${offlineVariable() ?? "PAPERMAP_OFFLINE"}=1`,
    cacheDir,
    revision: options.revision ?? "main",
    weightsFile: `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`,
    remoteHost: options.remoteHost ?? process.env.HF_ENDPOINT ?? DEFAULT_REMOTE_HOST,
    modelName: options.modelPath ?? options.model ?? DEFAULT_MODEL_ID,
    hubStatusFile: options.rememberHubStatus ? hubStatusFile(cacheDir) : undefined,
    onProgress: options.onProgress,
  };
}

/**
 * transformers.js, imported only when a model is really loaded (it takes about half a
 * second), so that deciding "not available offline" costs next to nothing.
 */
function transformersFor(modelName: string): Promise<TransformersModule> {
  return importTransformers().catch((error: unknown) => {
    throw new ModelLoadError(
      modelName,
      "dependency",
      `the @huggingface/transformers package could not be loaded (${errorText(error)})`,
      "Reinstall papermap's dependencies (npm install).",
      { cause: error },
    );
  });
}

/** Whether the Hub answers (quickly; remembered as the plan says). */
async function probeHub(plan: LoadPlan): Promise<ProbeResult> {
  const hubFetch = async (input: string, init?: RequestInit) =>
    ((await transformersFor(plan.modelName)).env.fetch as typeof fetch)(input, init);
  return probeHost(plan.remoteHost, plan.connectTimeoutMs, hubFetch, { statusFile: plan.hubStatusFile });
}

/** Step 2a: a local model folder: checks its files; identified by content, not location. */
async function locateFolder(modelPath: string, plan: LoadPlan): Promise<LocatedModel> {
  const folder = resolve(modelPath);
  const { weightsFile, dtype } = plan;
  const remedy = `Pass modelPath: a folder with config.json, tokenizer.json, tokenizer_config.json and ${weightsFile} (a transformers.js export of the model).`;
  if (!(await exists(join(folder, "config.json")))) {
    throw new ModelLoadError(folder, "missing-files", `there is no model folder with a config.json at ${folder}`, remedy);
  }
  for (const file of ["tokenizer.json", "tokenizer_config.json"]) {
    if (!(await exists(join(folder, file)))) throw new ModelLoadError(folder, "missing-files", `${file} is missing from ${folder}`, remedy);
  }
  if (!(await exists(join(folder, weightsFile)))) {
    const found = await availableDtypes(folder);
    throw new ModelLoadError(
      folder,
      "missing-files",
      `${weightsFile} (dtype "${dtype}") is missing${found.length ? `; the folder has dtype ${found.map((d) => `"${d}"`).join(", ")}` : " and the folder has no onnx/model*.onnx at all"}`,
      found.length ? `Pass dtype: "${found[0]}", or add ${weightsFile}.` : remedy,
    );
  }
  // The same model files give the same id wherever they are.
  const name = await originalModelName(folder);
  const hash = await hashFiles([join(folder, weightsFile), join(folder, "tokenizer.json"), join(folder, "config.json")]);
  return {
    source: folder,
    idSource: `local:${name ?? "model"}#${hash}`,
    familyName: `${name ?? ""} ${basename(folder)}`,
    folderPooling: await sentenceTransformersPooling(folder),
    localOnly: true,
    isFolder: true,
    settings: { dtype, modelPath: folder },
  };
}

/** The files a model needs in the model cache for `plan.dtype`. */
export function modelFiles(dtype: TransformersDtype = "q8"): string[] {
  return ["config.json", "tokenizer.json", "tokenizer_config.json", `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`];
}

/** Where a Hub model is kept in the model cache. */
function cachedModelFolder(plan: LoadPlan, model: string): string {
  return plan.revision === "main" ? join(plan.cacheDir, model) : join(plan.cacheDir, model, plan.revision);
}

/** Throws unless `model` looks like a Hub model id. */
function checkModelId(model: string): void {
  if (!REPO_ID.test(model) || model.includes("..") || model.includes("--")) {
    throw new InvalidArgumentError(
      `"${model}" is not a Hugging Face model id (like "${DEFAULT_MODEL_ID}"); to load a model from a folder, pass modelPath instead.`,
    );
  }
}

/**
 * Step 2b: a Hub model id: from the model cache when all its files are there; else, unless
 * offline, from the Hub after a quick reachability check.
 */
async function locateHubModel(plan: LoadPlan): Promise<LocatedModel> {
  const model = plan.modelName;
  checkModelId(model);
  const settings: TransformersEmbedderSettings = { dtype: plan.dtype, model };
  if (plan.revision !== "main") settings.revision = plan.revision;
  const located = {
    source: model,
    idSource: plan.revision === "main" ? model : `${model}@${plan.revision}`,
    familyName: model,
    isFolder: false,
    settings,
  };
  const cachedAt = cachedModelFolder(plan, model);
  const cached = (await Promise.all(modelFiles(plan.dtype).map((f) => exists(join(cachedAt, f))))).every(Boolean);
  if (cached) return { ...located, localOnly: true };
  const supply = `copy a transformers.js export of it into ${cachedAt}, or pass modelPath.`;
  if (plan.offline) {
    throw new ModelLoadError(
      model,
      "offline",
      `offline mode is on (${plan.offlineBy}) and the model (dtype "${plan.dtype}") is not in the model cache ${cachedAt}`,
      `Run \`papermap model download\` once with network access (about 35 MB for a small quantized model), ${supply}`,
      { modelCacheDir: plan.cacheDir },
    );
  }
  const probe = await probeHub(plan);
  if (!probe.reachable) {
    const remembered = probe.rememberedSince
      ? ` (last checked ${minutesAgo(probe.rememberedSince)}; next check after ${clockTime(probe.recheckAfter!)})`
      : "";
    throw new ModelLoadError(
      model,
      "hub-unreachable",
      `it is not in the model cache (${cachedAt}) and the Hugging Face Hub (${plan.remoteHost}) cannot be reached: ${probe.reason}${remembered}`,
      `Run \`papermap model download\` once with network access, ${supply}`,
      { modelCacheDir: plan.cacheDir },
    );
  }
  return { ...located, localOnly: false };
}

function minutesAgo(since: Date): string {
  const minutes = Math.max(0, Math.floor((Date.now() - since.getTime()) / 60_000));
  return minutes === 0 ? "less than a minute ago" : `${minutes} min ago`;
}

function clockTime(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
}

/** Step 3: pooling and prefixes: the options, else the folder's declaration, else the model family's. */
function vectorSettings(
  options: TransformersEmbedderOptions,
  located: LocatedModel,
): { pooling: PoolingStrategy; prefixes: EmbeddingPrefixes } {
  const family = modelFamilyDefaults(located.familyName);
  return {
    pooling: options.pooling ?? located.folderPooling ?? family.pooling,
    prefixes: {
      query: options.prefixes?.query ?? family.prefixes.query,
      document: options.prefixes?.document ?? family.prefixes.document,
    },
  };
}

/**
 * Step 4: the transformers.js pipeline. A cached Hub model that fails to load from disk
 * (a missing piece, e.g. external weights) is completed from the Hub when it answers.
 */
async function openPipeline(located: LocatedModel, plan: LoadPlan): Promise<PipelineLike> {
  const load = async (allowRemote: boolean) =>
    loadPipeline(await transformersFor(plan.modelName), located.source, {
      dtype: plan.dtype,
      cacheDir: plan.cacheDir,
      revision: plan.revision,
      allowRemote,
      remoteHost: plan.remoteHost,
      onProgress: plan.onProgress,
    });
  try {
    return await load(!located.localOnly);
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    const canComplete = located.localOnly && !located.isFolder && !plan.offline;
    if (!canComplete || !(await probeHub(plan)).reachable) throw loadFailure(located.source, error);
    try {
      return await load(true);
    } catch (retryError) {
      throw loadFailure(located.source, retryError);
    }
  }
}

/** Step 5: the embedder id: every setting that changes the vectors. */
function embedderId(
  idSource: string,
  dtype: TransformersDtype,
  pooling: PoolingStrategy,
  maxTokens: number,
  prefixes: EmbeddingPrefixes,
): string {
  const parts = [`transformers:${idSource}`, dtype, pooling, `max${maxTokens}`];
  if (prefixes.query || prefixes.document) parts.push(`q=${JSON.stringify(prefixes.query)}`, `d=${JSON.stringify(prefixes.document)}`);
  return parts.join(":");
}

/** Step 6: the dimension, learnt from the model itself (hidden_size is not reliable for every architecture). */
async function probeDimension(pipe: PipelineLike, source: string, maxTokens: number, pooling: PoolingStrategy): Promise<number> {
  try {
    return (await embedBatch(pipe, ["dimension probe"], maxTokens, pooling))[0].length;
  } catch (error) {
    await pipe.dispose().catch(() => undefined);
    throw new ModelLoadError(
      source,
      "not-a-model",
      `the model loaded but could not embed a text (${errorText(error)}); it may not be a feature-extraction (text embedding) model`,
      "Choose a sentence-embedding model with ONNX weights (for example Xenova/bge-small-en-v1.5 or Xenova/gte-small).",
      { cause: error },
    );
  }
}

function loadFailure(source: string, error: unknown): ModelLoadError {
  const text = errorText(error);
  const missing = /not found|could not locate|ENOENT|local_files_only|allowRemoteModels/i.test(text);
  return new ModelLoadError(
    source,
    missing ? "missing-files" : "not-a-model",
    missing ? `a model file is missing (${text})` : text,
    missing
      ? "Check that the folder or cache holds config.json, tokenizer.json, tokenizer_config.json and the onnx/ weights for the chosen dtype."
      : "Check that this is a transformers.js feature-extraction model with ONNX weights.",
    { cause: error },
  );
}

async function loadPipeline(
  transformers: TransformersModule,
  source: string,
  o: {
    dtype: TransformersDtype;
    cacheDir: string;
    revision: string;
    allowRemote: boolean;
    remoteHost: string;
    onProgress?: ProgressCallback;
  },
): Promise<PipelineLike> {
  const { env, LogLevel, pipeline } = transformers;
  return withEnvLock(async () => {
    const saved = { cacheDir: env.cacheDir, allowRemoteModels: env.allowRemoteModels, logLevel: env.logLevel, remoteHost: env.remoteHost };
    env.cacheDir = o.cacheDir;
    env.allowRemoteModels = o.allowRemote;
    env.remoteHost = o.remoteHost.endsWith("/") ? o.remoteHost : `${o.remoteHost}/`;
    // Failures are reported once, by papermap, with advice; not as console warnings too.
    env.logLevel = Math.max(saved.logLevel, LogLevel.ERROR);
    const stage = o.allowRemote ? "download" : "load";
    try {
      const pipe = await pipeline("feature-extraction", source, {
        dtype: o.dtype,
        cache_dir: o.cacheDir,
        local_files_only: !o.allowRemote,
        revision: o.revision,
        progress_callback: o.onProgress
          ? (info: { status: string; loaded?: number; total?: number }) => {
              if (info.status === "progress_total") {
                o.onProgress?.({ stage, done: info.loaded ?? 0, total: info.total, unit: "bytes", message: source });
              }
            }
          : undefined,
      });
      return pipe as unknown as PipelineLike;
    } finally {
      env.cacheDir = saved.cacheDir;
      env.allowRemoteModels = saved.allowRemoteModels;
      env.logLevel = saved.logLevel;
      env.remoteHost = saved.remoteHost;
    }
  });
}
