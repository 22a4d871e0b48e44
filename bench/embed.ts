/**
 * Embedding stage benchmark (one run, compare the ratios — absolute times vary by machine):
 *  1. the generated transformers.js model: throughput batched vs one text at a time;
 *  2. how long `"auto"` takes to decide that no neural model can be loaded, and to fall
 *     back (including fitting the lexical embedder on the shipped 82-paper listing);
 *  3. the embedding cache: a miss (embed + write) vs a hit (read from disk).
 *
 * Run: npx tsx bench/embed.ts
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { env as transformersEnv, pipeline } from "@huggingface/transformers";
import { EmbeddingCache, withCache } from "../src/embed/cache.js";
import { forgetProbes } from "../src/embed/hub.js";
import { LexicalEmbedder } from "../src/embed/lexical.js";
import { resolveEmbedder } from "../src/embed/resolve.js";
import { DEFAULT_MODEL_ID, TransformersEmbedder } from "../src/embed/transformers.js";
import { loadDefaultListing } from "../src/ingest/index.js";
import { paperText } from "../src/paper.js";
import { createTinyModel } from "../test/helpers/tiny-model.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const evalDir = process.env.PAPERMAP_EVAL_DIR ?? resolve(repoRoot, "../shared/eval");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await work();
  return [performance.now() - t0, value];
}
function table(headers: string[], rows: Array<Array<string | number>>): void {
  console.log(`| ${headers.join(" | ")} |`);
  console.log(`|${headers.map(() => " --- ").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log();
}
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

const work = await mkdtemp(join(tmpdir(), "papermap-bench-embed-"));
const notices: string[] = [];
try {
  const listing = await loadDefaultListing();
  const listingTexts = listing.map(paperText);
  const evalFile = join(evalDir, "arxiv-cs-2025.jsonl");
  const corpus = existsSync(evalFile)
    ? readFileSync(evalFile, "utf8")
        .trim()
        .split("\n")
        .map((l) => paperText(JSON.parse(l) as { title: string; abstract: string }))
    : [...listingTexts, ...listingTexts, ...listingTexts];
  console.log(
    `# Embedding benchmark\n\nTexts: papers (title. abstract) from ${existsSync(evalFile) ? "arxiv-cs-2025.jsonl" : "the shipped listing"}.\n`,
  );

  // ---- 1. throughput of the generated model --------------------------------------------
  // Two generated models: a pure lookup (no layers: only the pipeline's own overhead —
  // tokenizer, ONNX Runtime calls, pooling) and one with 12 position-wise feed-forward
  // layers 384→1536→384, the bulk of bge-small's compute per token (it also has attention,
  // which these lack). Their vocabulary is the corpus's 20,000 most frequent words, so texts
  // get about as many tokens as with a real WordPiece vocabulary.
  const wordCounts = new Map<string, number>();
  for (const t of corpus) for (const w of t.toLowerCase().match(/[a-z0-9]+/g) ?? []) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  const vocab = [...wordCounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20_000)
    .map(([w]) => w);
  const lookupDir = await createTinyModel(join(work, "lookup-384"), { dimension: 384, maxPositions: 512, vocab, dtypes: ["q8"] });
  const layeredDir = await createTinyModel(join(work, "ffn12-384"), {
    dimension: 384,
    maxPositions: 512,
    vocab,
    dtypes: ["q8"],
    ffnLayers: 12,
  });
  const abstracts = corpus.slice(0, 48);
  const titles = (
    existsSync(evalFile)
      ? readFileSync(evalFile, "utf8")
          .trim()
          .split("\n")
          .map((l) => (JSON.parse(l) as { title: string }).title)
      : listing.map((p) => p.title)
  ).slice(0, 320);
  const variants: Array<[string, { batchSize: number; maxBatchTokens?: number } | "single"]> = [
    ["one text per call", "single"],
    ["batches of 16 texts", { batchSize: 16, maxBatchTokens: 1_000_000 }],
    ["default: ≤ 16 texts and ≤ 512 tokens per call", { batchSize: 16 }],
  ];
  const throughputRows: Array<Array<string | number>> = [];
  for (const [modelName, dir, rounds] of [
    ["lookup only", lookupDir, 5],
    ["12 feed-forward layers", layeredDir, 3],
  ] as const) {
    for (const [textName, set] of [
      ["abstracts", abstracts],
      ["titles", titles],
    ] as const) {
      const loaded = new Map<string, TransformersEmbedder>();
      for (const [name, v] of variants) {
        loaded.set(name, await TransformersEmbedder.load({ modelPath: dir, offline: true, ...(v === "single" ? { batchSize: 1 } : v) }));
      }
      const tokens = median(loaded.get(variants[0][0])!.countTokens(set));
      await loaded.get(variants[2][0])!.embed(set.slice(0, 8)); // warm-up
      const results = new Map<string, number[]>();
      for (let round = 0; round < rounds; round++) {
        for (const [name, v] of variants) {
          const e = loaded.get(name)!;
          const [t] = await time(async () => {
            if (v === "single") for (const text of set) await e.embed([text]);
            else await e.embed(set);
          });
          results.set(name, [...(results.get(name) ?? []), t]);
        }
      }
      const base = median(results.get(variants[0][0])!);
      for (const [name] of variants) {
        const t = median(results.get(name)!);
        throughputRows.push([
          modelName,
          `${set.length} ${textName} (median ${tokens} tokens)`,
          name,
          (set.length / (t / 1000)).toFixed(1),
          `${(base / t).toFixed(2)}×`,
        ]);
      }
      for (const e of loaded.values()) await e.dispose();
    }
  }
  console.log(
    "## 1. Generated model (384-d, q8): throughput batched vs one text at a time (median of 5 rounds, 3 for the layered model)\n",
  );
  table(["model", "texts", "variant", "texts/s", "speed-up vs one at a time"], throughputRows);

  // ---- 2. how long "auto" takes to give up on the neural model -------------------------
  const emptyModelCache = await mkdtemp(join(work, "models-"));
  const rows: Array<Array<string | number>> = [];
  const decide = async (label: string, run: () => Promise<unknown>, repeats = 3) => {
    const ts: number[] = [];
    let outcome = "";
    for (let i = 0; i < repeats; i++) {
      forgetProbes();
      const t0 = performance.now();
      try {
        await run();
        outcome = "loaded";
      } catch (error) {
        const e = error as Error & { reason?: string };
        outcome = (e.reason ?? e.message).replace(/(\/[\w.@-]+){2,}/g, "…").slice(0, 130);
      }
      ts.push(performance.now() - t0);
    }
    rows.push([label, ms(median(ts)), outcome]);
  };
  const repeat = async (n: number, run: () => Promise<unknown>) => {
    const ts: number[] = [];
    for (let i = 0; i < n; i++) ts.push((await time(run))[0]);
    return median(ts);
  };
  const lexicalFit = await repeat(3, async () => LexicalEmbedder.fit(listingTexts));

  process.env.HF_HUB_OFFLINE = "1";
  await decide("offline (HF_HUB_OFFLINE=1), model not cached", () => TransformersEmbedder.load({ cacheDir: emptyModelCache }));
  const offlineAuto = await repeat(3, () =>
    resolveEmbedder("auto", { documents: listingTexts, modelCacheDir: emptyModelCache, onNotice: (m) => notices.push(m) }),
  );
  delete process.env.HF_HUB_OFFLINE;

  await decide("online, this machine's network (real reachability check)", () =>
    TransformersEmbedder.load({ cacheDir: emptyModelCache, offline: false }),
  );
  const [onlineAuto] = await time(async () => {
    forgetProbes();
    return resolveEmbedder("auto", {
      documents: listingTexts,
      modelCacheDir: emptyModelCache,
      offline: false,
      onNotice: (m) => notices.push(m),
    });
  });

  // A black-holed route: nothing ever answers (simulated; the check gives up after 1.5 s).
  const realFetch = transformersEnv.fetch;
  // (A real hanging socket keeps Node running; this stub does not, hence the interval.)
  const hanging = ((_input: unknown, init?: RequestInit) =>
    new Promise<Response>((_, reject) => {
      const keepAlive = setInterval(() => undefined, 1000);
      init?.signal?.addEventListener("abort", () => {
        clearInterval(keepAlive);
        reject(init.signal?.reason);
      });
    })) as typeof fetch;
  transformersEnv.fetch = hanging;
  await decide(
    "online, network that never answers (simulated)",
    () => TransformersEmbedder.load({ cacheDir: emptyModelCache, offline: false }),
    1,
  );
  transformersEnv.fetch = realFetch;

  // For comparison: transformers.js on its own, without papermap's reachability check.
  const savedCacheDir = transformersEnv.cacheDir;
  transformersEnv.cacheDir = emptyModelCache;
  await decide("transformers.js pipeline() alone, this machine's network", () =>
    pipeline("feature-extraction", DEFAULT_MODEL_ID, { dtype: "q8" }),
  );
  transformersEnv.fetch = ((input: unknown) => {
    const signal = AbortSignal.timeout(5000);
    return hanging(input as string, { signal }).catch(() => {
      throw new Error("still waiting after 5 s (the benchmark gave up)");
    });
  }) as typeof fetch;
  await decide(
    "transformers.js pipeline() alone, network that never answers",
    () => pipeline("feature-extraction", DEFAULT_MODEL_ID, { dtype: "q8" }),
    1,
  );
  transformersEnv.fetch = realFetch;
  transformersEnv.cacheDir = savedCacheDir;

  console.log(`## 2. Time for "auto" to decide the neural model (${DEFAULT_MODEL_ID}) cannot be loaded\n`);
  table(["situation", "time to decide (median)", "reason given"], rows);
  table(
    ["fallback, end to end", "time"],
    [
      [`"auto" offline → lexical fitted on the ${listingTexts.length}-paper listing`, ms(offlineAuto)],
      [`"auto" online, no route → lexical`, ms(onlineAuto)],
      [`LexicalEmbedder.fit alone on the ${listingTexts.length}-paper listing`, ms(lexicalFit)],
    ],
  );

  // ---- 3. embedding cache ----------------------------------------------------------------
  const neural = await TransformersEmbedder.load({ modelPath: layeredDir, offline: true });
  const cacheTimes = { miss: [] as number[], hit: [] as number[], memory: [] as number[] };
  let fileBytes = 0;
  for (let round = 0; round < 2; round++) {
    const dir = await mkdtemp(join(work, "vectors-"));
    const cached = withCache(neural, new EmbeddingCache(dir, { onNotice: (m) => notices.push(m) }));
    cacheTimes.miss.push((await time(() => cached.embed(abstracts)))[0]);
    cacheTimes.memory.push((await time(() => cached.embed(abstracts)))[0]);
    const reopened = withCache(neural, new EmbeddingCache(dir, { onNotice: (m) => notices.push(m) }));
    cacheTimes.hit.push((await time(() => reopened.embed(abstracts)))[0]);
    if (reopened.stats.misses !== 0) throw new Error("cache hit run embedded something");
    const [folder] = await readdir(dir);
    for (const f of await readdir(join(dir, folder))) fileBytes = (await stat(join(dir, folder, f))).size;
  }
  await neural.dispose();
  const miss = median(cacheTimes.miss);
  console.log(
    `## 3. Embedding cache: ${abstracts.length} abstracts, 12-layer generated model (384-d), median of 2 — cache file ${(fileBytes / 1024).toFixed(0)} KiB\n`,
  );
  table(
    ["run", "time", "time / miss"],
    [
      ["miss: embed + write (empty cache)", ms(miss), "1.00×"],
      [
        "hit: new cache object (as in a new process), read from disk",
        ms(median(cacheTimes.hit)),
        `${(median(cacheTimes.hit) / miss).toFixed(4)}×`,
      ],
      ["hit: same cache object (in memory)", ms(median(cacheTimes.memory)), `${(median(cacheTimes.memory) / miss).toFixed(4)}×`],
    ],
  );
  console.log(`Notices given (${notices.length}); the first:\n> ${notices[0] ?? "(none)"}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
