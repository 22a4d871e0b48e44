import { describe, expect, it } from "vitest";
import { LexicalEmbedder } from "../../src/embed/lexical.js";
import { IncompatibleIndexError, InvalidArgumentError } from "../../src/errors.js";

const corpus = [
  "Visual token pruning for vision-language models. We prune redundant visual tokens to speed up inference of large vision-language models.",
  "Token merging accelerates vision transformers. Merging similar image tokens reduces the cost of vision transformers without retraining.",
  "Masked image modeling for visual pretraining. We pretrain vision transformers by reconstructing masked image patches.",
  "Speech recognition with self-supervised audio models. Self-supervised pretraining on unlabeled audio improves speech recognition.",
  "Text-to-speech synthesis with neural codecs. A neural audio codec language model generates natural speech from text.",
  "Voice conversion for expressive speech. We convert the voice of a speaker while keeping the content of the speech.",
  "Graph neural networks for molecular property prediction. Message passing over molecular graphs predicts chemical properties.",
  "Protein structure prediction with graph networks. Graph neural networks model residue contacts to predict protein structure.",
  "Reinforcement learning for robot manipulation. A robot learns grasping and manipulation policies with reinforcement learning.",
  "Sim-to-real transfer of locomotion policies. Legged robot locomotion policies trained in simulation transfer to real robots.",
  "Tokenizers for large language models. Subword tokenizers split text into tokens for language model pretraining.",
  "Byte-level language models without tokenizers. Language models read raw bytes instead of subword tokens.",
];

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe("LexicalEmbedder", () => {
  it("has the requested dimension and gives unit-length vectors in input order", async () => {
    const e = LexicalEmbedder.fit(corpus, { dimension: 16 });
    expect(e.dimension).toBe(16);
    const vs = await e.embed(corpus);
    expect(vs).toHaveLength(corpus.length);
    for (const v of vs) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(16);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    const [first] = await e.embed([corpus[3]]);
    expect(Array.from(first)).toEqual(Array.from(vs[3]));
  });

  it("pads with zeros when the corpus has fewer components than the dimension", async () => {
    const e = LexicalEmbedder.fit(corpus, { dimension: 64 });
    const [v] = await e.embed([corpus[0]]);
    expect(v.length).toBe(64);
    expect(v.slice(corpus.length).every((x) => x === 0)).toBe(true);
    expect(norm(v)).toBeCloseTo(1, 5);
  });

  it("places texts on the same topic closer than texts on different topics", async () => {
    const e = LexicalEmbedder.fit(corpus, { dimension: 8 });
    const [speechQuery, visionQuery] = await e.embed(["speech synthesis from audio", "pruning visual tokens"], { kind: "query" });
    const docs = await e.embed(corpus);
    const best = (q: Float32Array) => docs.map((d, i) => [cos(q, d), i] as const).sort((a, b) => b[0] - a[0])[0][1];
    expect([3, 4, 5]).toContain(best(speechQuery));
    expect([0, 1, 2]).toContain(best(visionQuery));
  });

  it("is deterministic: the same corpus and options give the same id and vectors", async () => {
    const a = LexicalEmbedder.fit(corpus, { dimension: 8 });
    const b = LexicalEmbedder.fit([...corpus], { dimension: 8 });
    expect(a.id).toBe(b.id);
    expect((await a.embed(corpus)).map((v) => Array.from(v))).toEqual((await b.embed(corpus)).map((v) => Array.from(v)));
  });

  it("changes its id when anything that changes the vectors changes", () => {
    const base = LexicalEmbedder.fit(corpus, { dimension: 8 });
    expect(base.id).toMatch(/^papermap-lexical\//);
    expect(LexicalEmbedder.fit(corpus, { dimension: 9 }).id).not.toBe(base.id);
    expect(LexicalEmbedder.fit(corpus.slice(1), { dimension: 8 }).id).not.toBe(base.id);
    expect(LexicalEmbedder.fit(corpus, { dimension: 8, seed: 7 }).id).not.toBe(base.id);
    expect(LexicalEmbedder.fit(corpus, { dimension: 8, analyzer: { stem: false } }).id).not.toBe(base.id);
  });

  it("gives the zero vector for text with no known term", async () => {
    const e = LexicalEmbedder.fit(corpus, { dimension: 8 });
    const [unknown, empty, stop] = await e.embed(["zyxwv qwertyuiop", "", "the of and"]);
    for (const v of [unknown, empty, stop]) {
      expect(v.length).toBe(8);
      expect(v.every((x) => x === 0)).toBe(true);
    }
  });

  it("round-trips through JSON: the restored embedder has the same id and identical vectors", async () => {
    const e = LexicalEmbedder.fit(corpus, { dimension: 8 });
    const restored = LexicalEmbedder.fromJSON(JSON.parse(JSON.stringify(e.toJSON())));
    expect(restored.id).toBe(e.id);
    expect(restored.dimension).toBe(8);
    const texts = [...corpus, "robots learning to grasp", "nothing known zzzz"];
    const a = await e.embed(texts);
    const b = await restored.embed(texts);
    expect(b.map((v) => Array.from(v))).toEqual(a.map((v) => Array.from(v)));
  });

  it("keeps its state compact: weights as base64 Float32", () => {
    const state = LexicalEmbedder.fit(corpus, { dimension: 8 }).toJSON();
    expect(typeof state.projection).toBe("string");
    expect(state.projection).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
    expect(Buffer.from(state.projection, "base64").length).toBe(state.terms.length * state.components * 4);
  });

  it("refuses foreign or damaged states with IncompatibleIndexError", () => {
    const good = LexicalEmbedder.fit(corpus, { dimension: 8 }).toJSON();
    const bad: unknown[] = [
      null,
      "lexical",
      { format: "something-else", version: 1 },
      { ...good, version: 99 },
      { ...good, dimension: -1 },
      { ...good, components: 100 },
      { ...good, terms: good.terms.slice(1) },
      { ...good, projection: good.projection.slice(0, -8) },
      { ...good, projection: "!!not base64!!" },
      { ...good, idf: Buffer.from(new Float32Array(good.terms.length).fill(Number.NaN).buffer).toString("base64") },
      { ...good, terms: [...good.terms.slice(0, -1), good.terms[0]] },
      { ...good, analyzer: { ...good.analyzer, hyphens: "sometimes" } },
      { ...good, tfidf: { ...good.tfidf, tf: "log" } },
      { ...good, titleWeight: 3 },
      { ...good, hash: "000000000000" },
    ];
    for (const state of bad) {
      expect(() => LexicalEmbedder.fromJSON(state), JSON.stringify(state)?.slice(0, 80)).toThrow(IncompatibleIndexError);
    }
    try {
      LexicalEmbedder.fromJSON({ format: "something-else" });
    } catch (err) {
      expect((err as Error).message).toMatch(/Rebuild/);
    }
  });

  it("fits tiny corpora without crashing: none, one, two documents and near-empty text", async () => {
    const none = LexicalEmbedder.fit([], { dimension: 8 });
    expect((await none.embed(["anything"]))[0].every((x) => x === 0)).toBe(true);

    const one = LexicalEmbedder.fit(["A single paper about graph neural networks."], { dimension: 8 });
    const [v1] = await one.embed(["graph networks"]);
    expect(v1.length).toBe(8);
    expect(norm(v1)).toBeCloseTo(1, 5);

    const two = LexicalEmbedder.fit(["Speech synthesis.", "Image segmentation."], { dimension: 8 });
    const [s, i] = await two.embed(["speech", "segmentation"]);
    expect(norm(s)).toBeCloseTo(1, 5);
    expect(cos(s, i)).toBeCloseTo(0, 5);

    const odd = LexicalEmbedder.fit([".", "", "the of", "Title only."], { dimension: 4 });
    const vs = await odd.embed([".", "title"]);
    expect(vs[0].every((x) => x === 0)).toBe(true);
    expect(norm(vs[1])).toBeCloseTo(1, 5);
    // A restored tiny embedder still works.
    const again = LexicalEmbedder.fromJSON(JSON.parse(JSON.stringify(none.toJSON())));
    expect((await again.embed(["x"]))[0].length).toBe(8);
  });

  it("fits on a seeded sample when there are more documents than maxFitDocuments", async () => {
    const a = LexicalEmbedder.fit(corpus, { dimension: 4, maxFitDocuments: 6 });
    const b = LexicalEmbedder.fit(corpus, { dimension: 4, maxFitDocuments: 6 });
    const all = LexicalEmbedder.fit(corpus, { dimension: 4 });
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(all.id);
    const vs = await a.embed(corpus);
    // Papers outside the sample still embed, unless none of their terms was seen.
    expect(vs.filter((v) => Math.abs(norm(v) - 1) < 1e-5).length).toBeGreaterThanOrEqual(6);
    for (const v of vs) expect([0, 1]).toContain(Math.round(norm(v) * 1e5) / 1e5);
  });

  it("works without smoothing and with other analyzer settings", async () => {
    for (const options of [
      { smoothing: 0 },
      { analyzer: { stem: false, maxNgram: 1 } },
      { titleWeight: 2 },
      { singularValuePower: 1, dropComponents: 0 },
    ]) {
      const e = LexicalEmbedder.fit(corpus, { dimension: 6, ...options });
      const again = LexicalEmbedder.fromJSON(JSON.parse(JSON.stringify(e.toJSON())));
      const [v] = await e.embed([corpus[2]]);
      const [w] = await again.embed([corpus[2]]);
      expect(norm(v)).toBeCloseTo(1, 5);
      expect(Array.from(w)).toEqual(Array.from(v));
    }
  });

  it("reports embedding progress", async () => {
    const e = LexicalEmbedder.fit(corpus, { dimension: 8 });
    const seen: number[] = [];
    await e.embed(corpus, { onProgress: (p) => seen.push(p.done) });
    expect(seen.at(-1)).toBe(corpus.length);
  });

  it("rejects bad options with InvalidArgumentError", () => {
    expect(() => LexicalEmbedder.fit(corpus, { dimension: 0 })).toThrow(InvalidArgumentError);
    expect(() => LexicalEmbedder.fit(corpus, { dimension: 2.5 })).toThrow(InvalidArgumentError);
    expect(() => LexicalEmbedder.fit(corpus, { titleWeight: -1 })).toThrow(InvalidArgumentError);
  });
});
