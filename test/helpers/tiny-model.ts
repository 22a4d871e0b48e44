/**
 * Generates a tiny sentence-embedding model that `@huggingface/transformers` loads through
 * exactly the same code path as a model from the Hugging Face Hub (config.json,
 * tokenizer.json, tokenizer_config.json, onnx/model.onnx and onnx/model_quantized.onnx).
 *
 * The ONNX graph is a "static embedding" model: each token id is looked up in a word
 * embedding table (a Gather), a learned-position table is added, and the result is
 * multiplied by the attention mask:
 *
 *   last_hidden_state[b, s, :] = (word[input_ids[b, s]] + position[s]) * attention_mask[b, s]
 *
 * (with `ffnLayers`, position-wise feed-forward layers run between the lookup and the mask,
 * so that benchmarks see a real model's compute per token).
 *
 * Weights are pseudo-random but deterministic (seeded), so vectors are the same on every
 * run and on every machine. Mean pooling then gives roughly a random projection of the
 * bag of words: texts that share words are similar, texts that share none are close to
 * orthogonal. The position table has `maxPositions` rows, so a sequence longer than that
 * makes the model fail (Gather out of bounds): the embedder must truncate.
 *
 * Usage:
 * ```ts
 * const dir = await createTinyModel(await mkdtemp(join(tmpdir(), "tiny-")));
 * const embedder = await TransformersEmbedder.load({ modelPath: dir, offline: true });
 * ```
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** Options of {@link createTinyModel}. */
export interface TinyModelOptions {
  /** Length of the vectors (hidden size). Default 32. */
  dimension?: number;
  /** Whole-word vocabulary (lower case). Default {@link TINY_MODEL_WORDS}. Letters, digits and punctuation are always added so no word becomes [UNK]. */
  vocab?: readonly string[];
  /** Rows of the position table = the model's maximum sequence length in tokens. Default 128. */
  maxPositions?: number;
  /** Seed of the weights. Default 42. Different seeds give different (still deterministic) models. */
  seed?: number;
  /** Scale of the position embeddings relative to the word embeddings. Default 0.05. */
  positionScale?: number;
  /** `model_type` written to config.json. Default "bert". */
  modelType?: string;
  /** Which weight files to write: "fp32" → onnx/model.onnx, "q8" → onnx/model_quantized.onnx (uint8 table + DequantizeLinear). Default both. */
  dtypes?: ReadonlyArray<"fp32" | "q8">;
  /** model_max_length written to tokenizer_config.json. Default `maxPositions`. */
  tokenizerMaxLength?: number;
  /**
   * Position-wise feed-forward layers after the embedding lookup (`h + W2·relu(W1·h + b1)`),
   * to give the model a real model's compute per token (bge-small has 12 layers of 384→1536→384,
   * plus attention). Default 0: a pure lookup, which is fastest for tests.
   */
  ffnLayers?: number;
  /** Inner size of the feed-forward layers. Default 4 × dimension. */
  ffnSize?: number;
}

/** Common English and machine-learning words: the default whole-word vocabulary. */
export const TINY_MODEL_WORDS: readonly string[] = [
  "the",
  "a",
  "an",
  "of",
  "and",
  "or",
  "to",
  "in",
  "on",
  "for",
  "with",
  "by",
  "from",
  "at",
  "as",
  "is",
  "are",
  "be",
  "was",
  "were",
  "this",
  "that",
  "these",
  "we",
  "our",
  "it",
  "its",
  "which",
  "can",
  "not",
  "new",
  "more",
  "than",
  "both",
  "each",
  "into",
  "over",
  "under",
  "while",
  "when",
  "how",
  "what",
  "why",
  "show",
  "shows",
  "propose",
  "proposed",
  "present",
  "introduce",
  "method",
  "methods",
  "approach",
  "model",
  "models",
  "language",
  "large",
  "small",
  "vision",
  "visual",
  "image",
  "images",
  "video",
  "text",
  "token",
  "tokens",
  "tokenizer",
  "tokenization",
  "pruning",
  "compression",
  "merging",
  "attention",
  "transformer",
  "transformers",
  "layer",
  "layers",
  "network",
  "networks",
  "neural",
  "deep",
  "learning",
  "training",
  "trained",
  "pretraining",
  "fine",
  "tuning",
  "data",
  "dataset",
  "datasets",
  "benchmark",
  "benchmarks",
  "performance",
  "accuracy",
  "efficient",
  "efficiency",
  "fast",
  "faster",
  "speed",
  "memory",
  "cost",
  "compute",
  "inference",
  "generation",
  "generative",
  "diffusion",
  "masked",
  "modeling",
  "autoencoder",
  "encoder",
  "decoder",
  "embedding",
  "embeddings",
  "representation",
  "representations",
  "retrieval",
  "search",
  "query",
  "queries",
  "document",
  "documents",
  "passage",
  "reasoning",
  "agent",
  "agents",
  "reinforcement",
  "reward",
  "policy",
  "robot",
  "robotics",
  "control",
  "graph",
  "graphs",
  "node",
  "nodes",
  "speech",
  "audio",
  "music",
  "translation",
  "multilingual",
  "multimodal",
  "alignment",
  "safety",
  "evaluation",
  "results",
  "experiments",
  "state",
  "art",
  "baseline",
  "baselines",
  "task",
  "tasks",
  "zero",
  "shot",
  "few",
  "scale",
  "scaling",
  "parameters",
  "quantization",
  "distillation",
  "sparse",
  "dense",
  "mixture",
  "experts",
  "contrastive",
  "supervised",
  "self",
  "unsupervised",
  "semi",
  "classification",
  "segmentation",
  "detection",
  "object",
  "objects",
  "scene",
  "three",
  "dimensional",
  "point",
  "cloud",
  "clouds",
  "physics",
  "protein",
  "molecule",
  "molecular",
  "medical",
  "clinical",
  "code",
  "program",
  "programs",
  "math",
  "mathematical",
  "theorem",
  "proof",
  "optimization",
  "gradient",
  "loss",
  "function",
  "functions",
  "theory",
  "analysis",
  "bound",
  "bounds",
  "algorithm",
  "algorithms",
  "sequence",
  "sequences",
  "long",
  "short",
  "context",
  "window",
  "length",
  "cache",
  "kv",
  "prompt",
  "prompts",
  "instruction",
  "instructions",
  "chat",
  "dialogue",
  "question",
  "answering",
  "summarization",
  "knowledge",
  "hallucination",
  "factual",
  "chain",
  "thought",
  "visual",
  "patch",
  "patches",
  "pixel",
  "pixels",
  "resolution",
  "high",
  "low",
  "quality",
  "noise",
  "robust",
  "robustness",
  "adversarial",
  "privacy",
  "federated",
  "fairness",
  "bias",
  "causal",
  "time",
  "series",
  "forecasting",
  "recommendation",
  "user",
  "users",
  "open",
  "source",
  "release",
  "framework",
  "system",
  "systems",
  "hardware",
  "gpu",
  "parallel",
  "distributed",
  "simple",
  "novel",
];

const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;
const PUNCTUATION = [...".,:;!?()[]{}'\"-_/\\+*=<>%&$#@^~`|"];

/** The full token list (ids in order) for a word list: specials, words, letters, ##letters, digits, punctuation. */
export function tinyModelTokens(words: readonly string[] = TINY_MODEL_WORDS): string[] {
  const tokens: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(tokens);
  const push = (t: string) => {
    if (!seen.has(t)) {
      seen.add(t);
      tokens.push(t);
    }
  };
  for (const w of words) push(w.toLowerCase());
  for (const c of "abcdefghijklmnopqrstuvwxyz0123456789") {
    push(c);
    push(`##${c}`);
  }
  for (const p of PUNCTUATION) push(p);
  return tokens;
}

/** Small deterministic PRNG (mulberry32) → approximately standard normal values (sum of 4 uniforms). */
function normalGenerator(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => (uniform() + uniform() + uniform() + uniform() - 2) * Math.sqrt(3);
}

function floatTensor(name: string, dims: number[], values: Float32Array) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  });
}

function int64Tensor(name: string, dims: number[], values: number[]) {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.INT64,
    rawData: new Uint8Array(data.buffer),
  });
}

function uint8Tensor(name: string, dims: number[], values: Uint8Array) {
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.UINT8, rawData: values });
}

function valueInfo(name: string, elemType: number, dims: Array<number | string>) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

function node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, number> = {}) {
  return onnx.NodeProto.create({
    opType,
    input: inputs,
    output: outputs,
    name: `${opType}_${outputs[0]}`,
    attribute: Object.entries(attributes).map(([name, i]) =>
      onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
    ),
  });
}

interface FeedForward {
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  size: number;
}

function buildModel(
  words: Float32Array,
  positions: Float32Array,
  vocabSize: number,
  dimension: number,
  maxPositions: number,
  quantized: boolean,
  ffn: readonly FeedForward[],
): Uint8Array {
  const initializer = [
    floatTensor("position_embeddings", [maxPositions, dimension], positions),
    int64Tensor("zero", [], [0]),
    int64Tensor("one", [], [1]),
    int64Tensor("axes_last", [1], [-1]),
  ];
  const nodes = [];
  if (quantized) {
    // Asymmetric uint8 quantization of the word table, dequantized inside the graph.
    let min = Infinity;
    let max = -Infinity;
    for (const v of words) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const scale = (max - min) / 255;
    const zeroPoint = Math.round(-min / scale);
    const q = new Uint8Array(words.length);
    for (let i = 0; i < words.length; i++) q[i] = Math.max(0, Math.min(255, Math.round(words[i] / scale) + zeroPoint));
    initializer.push(
      uint8Tensor("word_embeddings_quantized", [vocabSize, dimension], q),
      floatTensor("word_scale", [], new Float32Array([scale])),
      uint8Tensor("word_zero_point", [], new Uint8Array([zeroPoint])),
    );
    nodes.push(node("DequantizeLinear", ["word_embeddings_quantized", "word_scale", "word_zero_point"], ["word_embeddings"]));
  } else {
    initializer.push(floatTensor("word_embeddings", [vocabSize, dimension], words));
  }
  nodes.push(
    node("Gather", ["word_embeddings", "input_ids"], ["token_vectors"], { axis: 0 }),
    node("Shape", ["input_ids"], ["input_shape"]),
    node("Gather", ["input_shape", "one"], ["sequence_length"], { axis: 0 }),
    node("Range", ["zero", "sequence_length", "one"], ["position_ids"]),
    node("Gather", ["position_embeddings", "position_ids"], ["position_vectors"], { axis: 0 }),
    node("Add", ["token_vectors", "position_vectors"], ["hidden_0"]),
  );
  ffn.forEach((layer, l) => {
    initializer.push(
      floatTensor(`ffn_${l}_w1`, [dimension, layer.size], layer.w1),
      floatTensor(`ffn_${l}_b1`, [layer.size], layer.b1),
      floatTensor(`ffn_${l}_w2`, [layer.size, dimension], layer.w2),
    );
    nodes.push(
      node("MatMul", [`hidden_${l}`, `ffn_${l}_w1`], [`ffn_${l}_inner`]),
      node("Add", [`ffn_${l}_inner`, `ffn_${l}_b1`], [`ffn_${l}_biased`]),
      node("Relu", [`ffn_${l}_biased`], [`ffn_${l}_active`]),
      node("MatMul", [`ffn_${l}_active`, `ffn_${l}_w2`], [`ffn_${l}_out`]),
      node("Add", [`hidden_${l}`, `ffn_${l}_out`], [`hidden_${l + 1}`]),
    );
  });
  nodes.push(
    node("Cast", ["attention_mask"], ["mask_float"], { to: onnx.TensorProto.DataType.FLOAT }),
    node("Unsqueeze", ["mask_float", "axes_last"], ["mask_3d"]),
    node("Mul", [`hidden_${ffn.length}`, "mask_3d"], ["last_hidden_state"]),
  );
  const INT64 = onnx.TensorProto.DataType.INT64;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: "papermap-tiny-model",
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "tiny_static_embedding",
      node: nodes,
      initializer,
      input: [
        valueInfo("input_ids", INT64, ["batch_size", "sequence_length"]),
        valueInfo("attention_mask", INT64, ["batch_size", "sequence_length"]),
      ],
      output: [valueInfo("last_hidden_state", FLOAT, ["batch_size", "sequence_length", dimension])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Writes a tiny transformers.js-loadable feature-extraction model into `dir` (created if
 * missing) and returns `dir`. Load it with `TransformersEmbedder.load({ modelPath: dir })`.
 */
export async function createTinyModel(dir: string, options: TinyModelOptions = {}): Promise<string> {
  const dimension = options.dimension ?? 32;
  const maxPositions = options.maxPositions ?? 128;
  const seed = options.seed ?? 42;
  const positionScale = options.positionScale ?? 0.05;
  const dtypes = options.dtypes ?? ["fp32", "q8"];
  const tokens = tinyModelTokens(options.vocab ?? TINY_MODEL_WORDS);
  const vocabSize = tokens.length;

  const normal = normalGenerator(seed);
  const words = new Float32Array(vocabSize * dimension);
  for (let t = 0; t < vocabSize; t++) {
    // [PAD] is all zeros; [CLS]/[SEP] are small so they do not dominate every vector.
    const scale = tokens[t] === "[PAD]" ? 0 : tokens[t] === "[CLS]" || tokens[t] === "[SEP]" ? 0.1 : 1;
    for (let d = 0; d < dimension; d++) words[t * dimension + d] = normal() * scale;
  }
  const positions = new Float32Array(maxPositions * dimension);
  for (let i = 0; i < positions.length; i++) positions[i] = normal() * positionScale;
  const ffnSize = options.ffnSize ?? 4 * dimension;
  const ffn: FeedForward[] = [];
  for (let l = 0; l < (options.ffnLayers ?? 0); l++) {
    const w1 = new Float32Array(dimension * ffnSize).map(() => normal() / Math.sqrt(dimension));
    const b1 = new Float32Array(ffnSize).map(() => normal() * 0.1);
    const w2 = new Float32Array(ffnSize * dimension).map(() => (normal() * 0.5) / Math.sqrt(ffnSize));
    ffn.push({ w1, b1, w2, size: ffnSize });
  }

  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => (vocab[t] = i));
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const tokenizer = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [vocab["[CLS]"]], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [vocab["[SEP]"]], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
  const tokenizerConfig = {
    tokenizer_class: "BertTokenizer",
    do_lower_case: true,
    model_max_length: options.tokenizerMaxLength ?? maxPositions,
    cls_token: "[CLS]",
    sep_token: "[SEP]",
    pad_token: "[PAD]",
    unk_token: "[UNK]",
    mask_token: "[MASK]",
    clean_up_tokenization_spaces: true,
  };
  const config = {
    architectures: ["BertModel"],
    model_type: options.modelType ?? "bert",
    hidden_size: dimension,
    vocab_size: vocabSize,
    max_position_embeddings: maxPositions,
    num_hidden_layers: 0,
    num_attention_heads: 1,
    pad_token_id: vocab["[PAD]"],
  };

  await mkdir(join(dir, "onnx"), { recursive: true });
  await writeFile(join(dir, "config.json"), JSON.stringify(config, null, 2));
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify(tokenizer));
  await writeFile(join(dir, "tokenizer_config.json"), JSON.stringify(tokenizerConfig, null, 2));
  if (dtypes.includes("fp32")) {
    await writeFile(join(dir, "onnx", "model.onnx"), buildModel(words, positions, vocabSize, dimension, maxPositions, false, ffn));
  }
  if (dtypes.includes("q8")) {
    await writeFile(join(dir, "onnx", "model_quantized.onnx"), buildModel(words, positions, vocabSize, dimension, maxPositions, true, ffn));
  }
  return dir;
}
