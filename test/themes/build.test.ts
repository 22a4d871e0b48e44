import { beforeAll, describe, expect, it } from "vitest";
import { LexicalEmbedder } from "../../src/embed/lexical.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { loadDefaultListing } from "../../src/ingest/index.js";
import { paperText, type Paper } from "../../src/paper.js";
import type { ProgressEvent } from "../../src/progress.js";
import { buildThemes, type ThemeModel } from "../../src/themes/build.js";
import { createRandom } from "../../src/themes/linalg.js";
import { nmi } from "../../src/themes/metrics.js";
import { labelThemes } from "../../src/themes/labels.js";
import { labelCoverage } from "../../src/themes/coverage.js";
import { stemKey } from "../../src/themes/phrases.js";
import { ENGLISH_STOPWORDS } from "../../src/text/stopwords.js";

/** `perGroup` papers around each of `groups` random directions (dimension 24), unit length. */
function synthetic(groups: number, perGroup: number, seed = 1, spread = 0.35) {
  const random = createRandom(seed);
  const d = 24;
  const unit = (v: Float32Array) => {
    const l = Math.hypot(...v);
    return v.map((x) => x / l);
  };
  const centres = Array.from({ length: groups }, () => unit(Float32Array.from({ length: d }, () => random() - 0.5)));
  const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa"];
  const papers: Paper[] = [];
  const vectors: Float32Array[] = [];
  const truth: number[] = [];
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < perGroup; i++) {
      const w = words[g % words.length];
      papers.push({
        id: `p${g}-${i}`,
        title: `${w} ${w}ology study ${i}`,
        abstract: `We study ${w} networks and ${w}ology signals; ${w} ${w}ology appears in case ${i}.`,
      });
      vectors.push(unit(centres[g].map((x) => x + (spread * (random() - 0.5)) / Math.sqrt(d))));
      truth.push(g);
    }
  }
  return { papers, vectors, truth };
}

const themeOf = (model: ThemeModel, id: string) => model.result.assignments.get(id)!.themeId;

function summary(model: ThemeModel) {
  return {
    themes: model.result.themes.map((t) => ({
      ...t,
      papers: t.papers.map((p) => p.id),
      representative: t.representative.map((p) => p.id),
    })),
    assignments: [...model.result.assignments],
  };
}

describe("buildThemes on separated groups", () => {
  const data = synthetic(4, 15);

  it("finds the groups with k: 'auto' and names them from their words", async () => {
    const model = await buildThemes(data.papers, data.vectors);
    expect(model.k).toBe(4);
    const found = data.papers.map((p) => themeOf(model, p.id));
    expect(nmi(data.truth, found)).toBeCloseTo(1, 10);
    for (const theme of model.result.themes) {
      const word = theme.papers[0].title.split(" ")[0];
      expect(theme.label.toLowerCase()).toContain(word);
    }
  });

  it("gives exactly k themes for a fixed k, each paper in exactly one", async () => {
    for (const k of [1, 2, 4, 7]) {
      const model = await buildThemes(data.papers, data.vectors, { k });
      expect(model.result.themes.length).toBe(k);
      expect(model.k).toBe(k);
      const seen = model.result.themes.flatMap((t) => t.papers.map((p) => p.id));
      expect(new Set(seen).size).toBe(data.papers.length);
      expect(seen.length).toBe(data.papers.length);
      for (const t of model.result.themes) {
        expect(t.size).toBe(t.papers.length);
        for (const p of t.papers) expect(themeOf(model, p.id)).toBe(t.id);
      }
    }
  });

  it("is deterministic for a seed", async () => {
    const a = await buildThemes(data.papers, data.vectors, { k: 5, seed: 3 });
    const b = await buildThemes(data.papers, data.vectors, { k: 5, seed: 3 });
    expect(summary(b)).toEqual(summary(a));
    const c = await buildThemes(data.papers, data.vectors, { seed: 3 });
    const d = await buildThemes(data.papers, data.vectors, { seed: 3 });
    expect(summary(d)).toEqual(summary(c));
  });

  it("orders members by closeness to the centre and picks up to 3 representatives among them", async () => {
    const model = await buildThemes(data.papers, data.vectors, { k: 3 });
    const index = new Map(data.papers.map((p, i) => [p.id, i]));
    for (const t of model.result.themes) {
      const vs = t.papers.map((p) => data.vectors[index.get(p.id)!]);
      const centre = vs[0].map((_, j) => vs.reduce((s, v) => s + v[j], 0));
      const cos = vs.map((v) => v.reduce((s, x, j) => s + x * centre[j], 0) / Math.hypot(...centre));
      for (let i = 1; i < cos.length; i++) expect(cos[i]).toBeLessThanOrEqual(cos[i - 1] + 1e-6);
      expect(t.representative.length).toBe(Math.min(3, t.size));
      for (const r of t.representative) expect(t.papers).toContain(r);
    }
    for (const a of model.result.assignments.values()) {
      expect(a.confidence).toBeGreaterThanOrEqual(0);
      expect(a.confidence).toBeLessThanOrEqual(1);
    }
  });

  it("reports progress", async () => {
    const events: ProgressEvent[] = [];
    await buildThemes(data.papers, data.vectors, { onProgress: (e) => events.push(e) });
    expect(events.length).toBeGreaterThan(1);
    expect(events.every((e) => e.stage === "themes")).toBe(true);
    expect(events.at(-1)!.done).toBe(events.at(-1)!.total);
  });

  it("merges themes below minSize", async () => {
    // Three big groups and one of two papers.
    const big = synthetic(3, 12, 5);
    const small = synthetic(1, 2, 99, 0.1);
    const papers = [...big.papers, ...small.papers.map((p) => ({ ...p, id: `small-${p.id}` }))];
    const vectors = [...big.vectors, ...small.vectors];
    const loose = await buildThemes(papers, vectors, { k: 4 });
    expect(loose.result.themes.map((t) => t.size)).toEqual([12, 12, 12, 2]);
    const strict = await buildThemes(papers, vectors, { k: 4, minSize: 5 });
    expect(strict.result.themes.map((t) => t.size).sort((a, b) => a - b)).toEqual([12, 12, 14]);
    const auto = await buildThemes(papers, vectors, { minSize: 5 });
    expect(Math.min(...auto.result.themes.map((t) => t.size))).toBeGreaterThanOrEqual(5);
  });
});

describe("buildThemes with a custom namer", () => {
  const data = synthetic(3, 6, 4);

  it("uses the built-in names by default and the hook's names when given, keeping labels unique", async () => {
    const plain = await buildThemes(data.papers, data.vectors);
    const seen: string[] = [];
    const named = await buildThemes(data.papers, data.vectors, {
      nameThemes: async (theme) => {
        seen.push(theme.label);
        return theme.size > 0 ? "  same name " : "";
      },
    });
    expect(seen).toEqual(plain.result.themes.map((t) => t.label));
    expect(named.result.themes.map((t) => t.label)).toEqual(["same name", "same name (2)", "same name (3)"]);
    expect(
      summary({
        ...named,
        result: { ...named.result, themes: named.result.themes.map((t, i) => ({ ...t, label: plain.result.themes[i].label })) },
      }),
    ).toEqual(summary(plain));
  });

  it("rejects a namer that returns no label, and passes its errors on", async () => {
    await expect(buildThemes(data.papers, data.vectors, { nameThemes: async () => "  " })).rejects.toThrow(/empty label.*theme-1/);
    await expect(buildThemes(data.papers, data.vectors, { nameThemes: async () => 42 as unknown as string })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(
      buildThemes(data.papers, data.vectors, {
        nameThemes: async () => {
          throw new Error("model offline");
        },
      }),
    ).rejects.toThrow("model offline");
    await expect(buildThemes(data.papers, data.vectors, { nameThemes: "x" as never })).rejects.toThrow(/must be a function/);
  });
});

describe("ThemeModel.assign", () => {
  const data = synthetic(3, 20, 7);

  it("puts a copy of a paper in that paper's theme, with its confidence", async () => {
    for (const options of [{}, { k: 5 }, { k: 2 }]) {
      const model = await buildThemes(data.papers, data.vectors, options);
      const assigned = model.assign(data.vectors.map((v) => Float32Array.from(v)));
      data.papers.forEach((p, i) => {
        expect(assigned[i].themeId).toBe(themeOf(model, p.id));
        expect(assigned[i].confidence).toBeCloseTo(model.result.assignments.get(p.id)!.confidence, 12);
      });
    }
  });

  it("places a new paper near a group in that group's theme, and a paper near no group with low confidence", async () => {
    const model = await buildThemes(data.papers, data.vectors);
    const random = createRandom(42);
    const near = data.vectors.map((v) => {
      const w = v.map((x) => x + 0.02 * (random() - 0.5));
      const l = Math.hypot(...w);
      return w.map((x) => x / l);
    });
    const assigned = model.assign(near);
    data.papers.forEach((p, i) => expect(assigned[i].themeId).toBe(themeOf(model, p.id)));
    const members = [...model.result.assignments.values()].map((a) => a.confidence).sort((a, b) => a - b);
    const median = members[members.length >> 1];
    // A direction orthogonal-ish to every group.
    const stray = Float32Array.from({ length: 24 }, (_, j) => (j % 2 ? 1 : -1) / Math.sqrt(24));
    const [a] = model.assign([stray]);
    expect(a.confidence).toBeLessThan(median / 2);
  });

  it("checks the vectors it is given", async () => {
    const model = await buildThemes(data.papers, data.vectors);
    expect(() => model.assign([new Float32Array(5)])).toThrow(InvalidArgumentError);
    expect(() => model.assign([Float32Array.from({ length: 24 }, () => NaN)])).toThrow(InvalidArgumentError);
    expect(model.assign([])).toEqual([]);
    expect(model.assign([new Float32Array(24)])[0].confidence).toBe(0);
  });
});

describe("buildThemes on small and bad input", () => {
  const data = synthetic(2, 3, 11);

  it("handles 0, 1 and 2 papers", async () => {
    const none = await buildThemes([], []);
    expect(none.result.themes).toEqual([]);
    expect(none.result.assignments.size).toBe(0);
    expect(() => none.assign([new Float32Array(3)])).toThrow(InvalidArgumentError);

    const one = await buildThemes(data.papers.slice(0, 1), data.vectors.slice(0, 1));
    expect(one.result.themes.length).toBe(1);
    expect(one.result.themes[0].papers.map((p) => p.id)).toEqual([data.papers[0].id]);
    expect(one.result.assignments.get(data.papers[0].id)!.confidence).toBeCloseTo(1, 12);
    expect(one.assign([data.vectors[0]])[0].themeId).toBe(one.result.themes[0].id);

    const two = [data.papers[0], data.papers[3]];
    const twoVectors = [data.vectors[0], data.vectors[3]];
    expect((await buildThemes(two, twoVectors)).k).toBe(1);
    const split = await buildThemes(two, twoVectors, { k: 2 });
    expect(split.k).toBe(2);
    expect(themeOf(split, two[0].id)).not.toBe(themeOf(split, two[1].id));
  });

  it("gives one theme per paper when k equals the number of papers", async () => {
    const model = await buildThemes(data.papers, data.vectors, { k: data.papers.length });
    expect(model.k).toBe(data.papers.length);
    expect(model.result.themes.every((t) => t.size === 1)).toBe(true);
  });

  it("rejects a k out of range, and bad options", async () => {
    await expect(buildThemes(data.papers, data.vectors, { k: 7 })).rejects.toThrow(/at most 6/);
    await expect(buildThemes(data.papers, data.vectors, { k: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(buildThemes(data.papers, data.vectors, { k: 2.5 })).rejects.toThrow(InvalidArgumentError);
    await expect(buildThemes(data.papers, data.vectors, { minSize: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(buildThemes(data.papers, data.vectors, { seed: Number.NaN })).rejects.toThrow(InvalidArgumentError);
    await expect(buildThemes([], [], { k: 1 })).resolves.toBeDefined();
  });

  it("rejects vectors that do not fit the papers", async () => {
    await expect(buildThemes(data.papers, data.vectors.slice(1))).rejects.toThrow(/6 papers but 5 vectors/);
    const mixed = [...data.vectors.slice(1), new Float32Array(3)];
    await expect(buildThemes(data.papers, mixed)).rejects.toThrow(InvalidArgumentError);
    const nan = data.vectors.map((v, i) => (i === 2 ? v.map(() => Number.NaN) : v));
    await expect(buildThemes(data.papers, nan)).rejects.toThrow(/non-finite/);
    const twice = data.papers.map((p, i) => (i === 1 ? { ...p, id: data.papers[0].id } : p));
    await expect(buildThemes(twice, data.vectors)).rejects.toThrow(/appears twice/);
  });

  it("gives papers without a usable vector a theme with confidence 0", async () => {
    const big = synthetic(2, 8, 3);
    const vectors = big.vectors.map((v, i) => (i === 4 ? new Float32Array(v.length) : v));
    const model = await buildThemes(big.papers, vectors);
    const a = model.result.assignments.get(big.papers[4].id)!;
    expect(a.confidence).toBe(0);
    expect(model.result.themes.some((t) => t.id === a.themeId)).toBe(true);
    const allZero = await buildThemes(
      big.papers.slice(0, 3),
      [0, 1, 2].map(() => new Float32Array(4)),
    );
    expect(allZero.k).toBe(1);
    expect([...allZero.result.assignments.values()].every((x) => x.confidence === 0)).toBe(true);
  });
});

describe("themes of the shipped listing (lexical embedder)", () => {
  let papers: Paper[];
  let vectors: Float32Array[];
  let model: ThemeModel;
  beforeAll(async () => {
    papers = await loadDefaultListing();
    const texts = papers.map(paperText);
    vectors = await LexicalEmbedder.fit(texts).embed(texts);
    model = await buildThemes(papers, vectors);
  });

  // Papers whose topic is plain from the title alone.
  const groups = {
    speech: [
      "Masked Audio Generation using a Single Non-Autoregressive Transformer",
      "MaskGCT: Zero-Shot Text-to-Speech with Masked Generative Codec Transformer",
      "CosyVoice: A Scalable Multilingual Zero-shot Text-to-speech Synthesizer based on Supervised Semantic Tokens",
      "Discrete Audio Tokens: More Than a Survey!",
      "Paraformer: Fast and Accurate Parallel Transformer for Non-autoregressive End-to-End Speech Recognition",
    ],
    visualTokenPruning: [
      "TransPrune: Token Transition Pruning for Efficient Large Vision-Language Model",
      "DivPrune: Diversity-based Visual Token Pruning for Large Multimodal Models",
      "ToDRE: Visual Token Pruning via Diversity and Task Awareness for Efficient Large Vision-Language Models",
      "HiPrune: Training-Free Visual Token Pruning via Hierarchical Attention in Vision-Language Models",
      "VFlowOpt: A Token Pruning Framework for LMMs with Visual Information Flow-Guided Optimization",
      "Rethinking Visual Token Reduction in LVLMs under Cross-modal Misalignment",
    ],
    textTokenizers: [
      "Training-Free Tokenizer Transplantation via Orthogonal Matching Pursuit",
      "Zero-Shot Tokenizer Transfer",
      "KL3M Tokenizers: A Family of Domain-Specific and Character-Level Tokenizers for Legal, Financial, and Preprocessing Applications",
      "Explaining and Mitigating Crosslingual Tokenizer Inequities",
      "Achieving Tokenizer Flexibility in Language Models through Heuristic Adaptation and Supertoken Learning",
    ],
  };

  it("separates speech/audio, visual token pruning and text tokenizer papers", () => {
    const majority: string[] = [];
    for (const titles of Object.values(groups)) {
      const themes = titles.map((title) => {
        const p = papers.find((x) => x.title === title);
        expect(p, title).toBeDefined();
        return themeOf(model, p!.id);
      });
      const counts = new Map<string, number>();
      for (const t of themes) counts.set(t, (counts.get(t) ?? 0) + 1);
      const [top, count] = [...counts].sort((a, b) => b[1] - a[1])[0];
      expect(count / titles.length).toBeGreaterThanOrEqual(0.6);
      majority.push(top);
    }
    expect(new Set(majority).size).toBe(3);
  });

  it("makes themes of useful size with clean names", () => {
    expect(model.k).toBeGreaterThanOrEqual(4);
    expect(model.k).toBeLessThanOrEqual(12);
    for (const t of model.result.themes) {
      expect(t.size).toBeGreaterThanOrEqual(2);
      expect(t.size).toBeLessThanOrEqual(40);
      const words = t.label.split(/\s*\/\s*|\s+/).filter(Boolean);
      expect(words.length).toBeGreaterThanOrEqual(1);
      expect(words.length).toBeLessThanOrEqual(4);
      expect(t.keywords.length).toBeGreaterThanOrEqual(5);
      expect(t.keywords.length).toBeLessThanOrEqual(10);
      const stems = t.keywords.map((k) => stemKey(k.toLowerCase()));
      expect(new Set(stems).size).toBe(stems.length);
      for (const k of t.keywords)
        expect(
          k
            .toLowerCase()
            .split(" ")
            .every((w) => ENGLISH_STOPWORDS.has(w)),
        ).toBe(false);
    }
    expect(new Set(model.result.themes.map((t) => t.label)).size).toBe(model.k);
  });

  it("names each theme with a label most of its papers share, and sub-topics inside it", () => {
    for (const t of model.result.themes) {
      const rest = papers.filter((p) => !t.papers.includes(p));
      const { coverage, distinctiveness } = labelCoverage(t.label, t.papers, rest);
      expect(coverage, t.label).toBeGreaterThanOrEqual(0.25);
      expect(distinctiveness, t.label).toBeGreaterThanOrEqual(2);
      expect(t.subtopics.length).toBeLessThanOrEqual(3);
      for (const s of t.subtopics) {
        expect(labelCoverage(s, t.papers, []).covered, s).toBeGreaterThanOrEqual(2);
        expect(s.toLowerCase()).not.toBe(t.label.toLowerCase());
      }
    }
    const coverages = model.result.themes.map((t) => labelCoverage(t.label, t.papers, []).coverage).sort((a, b) => a - b);
    expect(coverages[coverages.length >> 1]).toBeGreaterThanOrEqual(0.5);
  });

  it("keeps almost every label when one paper leaves its theme", () => {
    const index = new Map(papers.map((p, i) => [p.id, i]));
    const groups = model.result.themes.map((t) => t.papers.map((p) => index.get(p.id)!).sort((a, b) => a - b));
    expect(labelThemes(papers, groups).map((l) => l.label)).toEqual(model.result.themes.map((t) => t.label));
    let changed = 0;
    let total = 0;
    for (let drop = 0; drop < papers.length; drop += 6) {
      const kept = papers.filter((_, i) => i !== drop);
      const smaller = groups.map((g) => g.filter((i) => i !== drop).map((i) => (i > drop ? i - 1 : i)));
      labelThemes(kept, smaller).forEach((l, t) => {
        total++;
        if (l.label !== model.result.themes[t].label) changed++;
      });
    }
    // Measured: 16 of 492 labels change over all 82 leave-one-out listings (here every 6th).
    expect(changed / total).toBeLessThanOrEqual(0.05);
  });

  it("assigns every listing paper to its own theme again", () => {
    const assigned = model.assign(vectors);
    papers.forEach((p, i) => expect(assigned[i].themeId).toBe(themeOf(model, p.id)));
  });
});
