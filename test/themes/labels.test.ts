import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/paper.js";
import { display, labelThemes } from "../../src/themes/labels.js";
import { GENERIC_RESEARCH_WORDS, stemKey } from "../../src/themes/phrases.js";
import { ENGLISH_STOPWORDS } from "../../src/text/stopwords.js";

const paper = (id: string, title: string, abstract: string): Paper => ({ id, title, abstract });

const speech = [
  paper(
    "s1",
    "Zero-shot text-to-speech with neural audio codecs",
    "We propose a text-to-speech system that predicts neural audio codec tokens. The speech synthesis model clones a speaker voice from a short prompt.",
  ),
  paper(
    "s2",
    "Streaming speech recognition with audio tokens",
    "Speech recognition from discrete audio tokens lowers latency. Our streaming decoder reads audio tokens from a neural audio codec.",
  ),
  paper(
    "s3",
    "Speaker-adaptive text-to-speech",
    "A text-to-speech model adapts to a new speaker voice with few minutes of speech. Speech synthesis quality stays high.",
  ),
  paper(
    "s4",
    "Music generation from audio tokens",
    "We generate music as sequences of audio tokens produced by a neural audio codec, conditioned on text.",
  ),
  paper(
    "s5",
    "Evaluating speech synthesis",
    "Listening tests compare speech synthesis systems; text-to-speech naturalness and speaker similarity are rated.",
  ),
];
const pruning = [
  paper(
    "p1",
    "Visual token pruning for vision-language models",
    "Vision-language models process hundreds of visual tokens. Visual token pruning removes redundant visual tokens and speeds up inference.",
  ),
  paper(
    "p2",
    "Attention-guided visual token pruning",
    "We rank visual tokens by attention and apply visual token pruning inside large vision-language models without retraining.",
  ),
  paper(
    "p3",
    "Token merging for multimodal LLMs",
    "Merging similar visual tokens reduces the cost of multimodal LLMs; visual token pruning and merging are compared.",
  ),
  paper(
    "p4",
    "Diversity-based visual token pruning",
    "Selecting diverse visual tokens keeps accuracy of vision-language models while pruning most visual tokens.",
  ),
  paper(
    "p5",
    "Fast video LLMs by token reduction",
    "Video LLMs see thousands of visual tokens; token reduction by visual token pruning halves latency.",
  ),
];
const tokenizers = [
  paper(
    "t1",
    "Byte-level tokenizers for multilingual language models",
    "Subword tokenizers split rare words badly. Byte-level tokenizers give multilingual language models a fair vocabulary.",
  ),
  paper(
    "t2",
    "Tokenizer transfer between language models",
    "We transplant a new tokenizer into a pretrained language model by initialising embeddings of the new vocabulary.",
  ),
  paper(
    "t3",
    "Tokenization inequities across languages",
    "Tokenization of low-resource languages needs more tokens per sentence; tokenizer vocabulary size matters.",
  ),
  paper(
    "t4",
    "Learning a tokenizer end to end",
    "Instead of a fixed BPE tokenizer, the language model learns its tokenization and vocabulary during training.",
  ),
  paper(
    "t5",
    "Character-level tokenizers for legal text",
    "Domain-specific tokenizers with a character-level vocabulary reduce tokenization errors on legal documents.",
  ),
];
const papers = [...speech, ...pruning, ...tokenizers];
const groups = [0, 1, 2].map((g) => [0, 1, 2, 3, 4].map((i) => g * 5 + i));

describe("labelThemes", () => {
  const labels = labelThemes(papers, groups);

  it("names each theme with its distinctive phrase", () => {
    expect(labels[0].label).toMatch(/speech|audio/);
    expect(labels[1].label).toMatch(/visual token pruning/);
    expect(labels[2].label).toMatch(/tokeni[sz]/);
    // Keywords and sub-topics never repeat the label or each other, so "audio" is in one of them.
    expect([...labels[0].subtopics, ...labels[0].keywords].join(" ")).toMatch(/audio/);
  });

  it("keeps labels to 1–4 words and keywords to at most 10 clean, distinct phrases", () => {
    for (const { label, keywords } of labels) {
      const words = label.split(/\s+|\s*\/\s*|,\s*/).filter(Boolean);
      expect(words.length).toBeGreaterThanOrEqual(1);
      expect(words.length).toBeLessThanOrEqual(4);
      expect(keywords.length).toBeGreaterThanOrEqual(5);
      expect(keywords.length).toBeLessThanOrEqual(10);
      const stems = keywords.map((k) => stemKey(k.toLowerCase()));
      expect(new Set(stems).size).toBe(stems.length);
      for (const k of keywords) {
        const ws = k.toLowerCase().split(" ");
        expect(ws.every((w) => ENGLISH_STOPWORDS.has(w))).toBe(false);
        expect(ENGLISH_STOPWORDS.has(ws[0]) || ENGLISH_STOPWORDS.has(ws[ws.length - 1])).toBe(false);
        expect(GENERIC_RESEARCH_WORDS.has(ws[0]) || GENERIC_RESEARCH_WORDS.has(ws[ws.length - 1])).toBe(false);
      }
      // No keyword is a word run of another ("token pruning" and "visual token pruning").
      for (const a of stems) for (const b of stems) if (a !== b) expect(` ${b} `.includes(` ${a} `)).toBe(false);
    }
  });

  it("is deterministic and independent of the other themes' order", () => {
    expect(labelThemes(papers, groups)).toEqual(labels);
    const reversed = labelThemes(papers, [...groups].reverse());
    expect(reversed.reverse()).toEqual(labels);
  });

  it("copes with tiny and empty themes", () => {
    const [one, none] = labelThemes(papers, [[0], []]);
    expect(one.label.length).toBeGreaterThan(0);
    expect(one.keywords.length).toBeGreaterThan(0);
    expect(none.keywords).toEqual([]);
    expect(none.label.length).toBeGreaterThan(0);
  });
});

describe("display", () => {
  it("keeps acronyms and inner capitals, lower-cases the rest", () => {
    const surfaces = new Map([
      [
        "llms",
        new Map([
          ["LLMs", 3],
          ["llms", 1],
        ]),
      ],
      ["vision-language", new Map([["Vision-Language", 4]])],
      ["transformer", new Map([["Transformer", 5]])],
    ]);
    expect(display("multimodal llms", surfaces)).toBe("multimodal LLMs");
    expect(display("vision-language transformer", surfaces)).toBe("vision-language transformer");
  });
});

/** Papers on `topic`: each abstract wraps topic sentences in citation and boilerplate phrases. */
function topicPapers(prefix: string, phrases: string[], count: number, extra = ""): Paper[] {
  const fillers = [
    "In this paper, we propose a new approach, following Smith et al. and Lee et al.",
    "Results show that our method achieves state-of-the-art results, as in Chen et al. (2023).",
    "The code is available at github. To the best of our knowledge this is the first such study.",
    "In this paper we also release the Kolmo toolkit, in line with Wang et al.",
  ];
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    title: `${phrases[i % phrases.length]} ${i % 2 ? "revisited" : "at scale"}`,
    abstract: `${fillers[i % fillers.length]} We study ${phrases[i % phrases.length]} and ${phrases[(i + 1) % phrases.length]}. ${extra} ${fillers[(i + 1) % fillers.length]} Kolmo toolkit et al.`,
  }));
}

const BOILERPLATE = /\bet al\b|\bal\b|paper|propos|state[- ]of[- ]the[- ]art|\bart\b|results? show|code|available|github|knowledge|kolmo/i;

describe("labelThemes on a listing full of boilerplate", () => {
  const topics = [
    ["protein folding", "contact maps", "structure prediction"],
    ["speech recognition", "acoustic models", "speech synthesis"],
    ["graph neural networks", "message passing", "node classification"],
    ["reinforcement learning", "policy gradients", "reward shaping"],
    ["image segmentation", "semantic masks", "pixel labels"],
  ];
  const papers = topics.flatMap((t, g) => topicPapers(`g${g}-`, t, 8));
  const groups = topics.map((_, g) => Array.from({ length: 8 }, (_, i) => g * 8 + i));
  const labels = labelThemes(papers, groups);

  it("never names a theme, sub-topic or keyword with a citation or boilerplate phrase", () => {
    for (const l of labels) {
      expect(l.label).not.toMatch(BOILERPLATE);
      for (const s of l.subtopics) expect(s).not.toMatch(BOILERPLATE);
      for (const k of l.keywords) expect(k).not.toMatch(BOILERPLATE);
    }
    expect(labels[0].label).toMatch(/protein|contact|structure/);
    expect(labels[1].label).toMatch(/speech|acoustic/);
  });

  it("learns stock phrases from their even spread over the themes", () => {
    // "Kolmo toolkit" is in no fixed list: it is dropped because every theme uses it alike.
    const spread = labelThemes(papers, groups, { keywords: 10 });
    expect(spread.flatMap((l) => [l.label, ...l.subtopics, ...l.keywords]).join(" ")).not.toMatch(/kolmo|toolkit/i);
  });

  it("does not use fixed-list boilerplate even when one theme is all there is (nothing to learn from)", () => {
    const [only] = labelThemes(papers.slice(0, 8), [groups[0]]);
    expect(`${only.label} ${only.subtopics.join(" ")}`).not.toMatch(
      /\bet al\b|\bal\b|paper|propos|state[- ]of[- ]the[- ]art|\bart\b|results? show|code|available|github|knowledge/i,
    );
  });
});

describe("labelThemes and the stock words of abstracts", () => {
  it("names no theme after researchers or a sentence's 'to this end'", () => {
    const stock = (prefix: string, topic: string) =>
      Array.from({ length: 8 }, (_, i) => ({
        id: `${prefix}${i}`,
        title: `${topic} ${i % 2 ? "revisited" : "at scale"}`,
        abstract: `Researchers have long asked how ${topic} behaves. To this end, researchers measure ${topic} ${i}. Researchers agree.`,
      }));
    const papers = [...stock("a", "protein folding"), ...stock("b", "speech recognition"), ...stock("c", "reward shaping")];
    const groups = [0, 1, 2].map((g) => Array.from({ length: 8 }, (_, i) => g * 8 + i));
    // One theme alone (nothing to learn the stock words from) and all three.
    for (const named of [...labelThemes(papers.slice(0, 8), [groups[0]]), ...labelThemes(papers, groups)]) {
      for (const name of [named.label, ...named.subtopics, ...named.keywords]) expect(name).not.toMatch(/researchers|\bend\b/i);
    }
  });
});

describe("labelThemes names visible groups inside a theme", () => {
  const folding = topicPapers("f", ["protein folding", "contact maps"], 6, "Computational biology of proteins.");
  const docking = topicPapers("d", ["molecular docking", "drug discovery"], 6, "Computational biology of drugs.");
  const other = [
    ...topicPapers("s", ["speech recognition", "acoustic models"], 8),
    ...topicPapers("r", ["reinforcement learning", "reward shaping"], 8),
    ...topicPapers("i", ["image segmentation", "pixel labels"], 8),
  ];
  const papers = [...folding, ...docking, ...other];
  const theme = Array.from({ length: 12 }, (_, i) => i);
  const groups = [theme, [12, 13, 14, 15, 16, 17, 18, 19], [20, 21, 22, 23, 24, 25, 26, 27], [28, 29, 30, 31, 32, 33, 34, 35]];
  const [named] = labelThemes(papers, groups);

  it("gives a theme of two sub-groups both as sub-topics", () => {
    expect(named.label).toMatch(/computational biology/i);
    expect(named.subtopics.length).toBeGreaterThanOrEqual(2);
    expect(named.subtopics.length).toBeLessThanOrEqual(3);
    expect(named.subtopics.some((s) => /protein|contact/.test(s))).toBe(true);
    expect(named.subtopics.some((s) => /molecular|docking|drug/.test(s))).toBe(true);
  });

  it("keeps keywords apart from the label and the sub-topics", () => {
    const taken = [named.label, ...named.subtopics].map((x) => stemKey(x.toLowerCase()));
    for (const k of named.keywords) {
      const key = stemKey(k.toLowerCase());
      for (const t of taken) {
        expect(` ${t} `.includes(` ${key} `) || ` ${key} `.includes(` ${t} `), `${k} vs ${t}`).toBe(false);
      }
    }
  });
});

describe("labelThemes keeps labels distinct and stable", () => {
  it("never gives two themes the same label, even two halves of one topic", () => {
    const a = topicPapers("a", ["protein folding", "contact maps"], 8);
    const b = topicPapers("b", ["protein folding", "contact maps"], 8).map((p) => ({
      ...p,
      abstract: `${p.abstract} Cryo-EM density maps.`,
    }));
    const c = topicPapers("c", ["speech recognition", "acoustic models"], 8);
    const papers = [...a, ...b, ...c];
    const groups = [0, 1, 2].map((g) => Array.from({ length: 8 }, (_, i) => g * 8 + i));
    const labels = labelThemes(papers, groups).map((l) => l.label.toLowerCase());
    expect(new Set(labels).size).toBe(3);
    // The larger theme keeps the shared phrase; the other gets its own.
    const bigger = labelThemes(papers, [[...groups[0], 16], groups[1].slice(0, 7), groups[2].slice(1)]);
    expect(new Set(bigger.map((l) => l.label.toLowerCase())).size).toBe(3);
  });

  it("keeps every label when one paper is removed or added", () => {
    const topics = [
      ["protein folding", "contact maps", "structure prediction"],
      ["speech recognition", "acoustic models", "speech synthesis"],
      ["graph neural networks", "message passing", "node classification"],
      ["reinforcement learning", "policy gradients", "reward shaping"],
    ];
    // Each theme's first phrase is in every title; the others in some abstracts.
    const lead = (prefix: string, t: string[], count: number) =>
      topicPapers(prefix, t, count).map((p) => ({ ...p, title: `${t[0]}: ${p.title}` }));
    const papers = topics.flatMap((t, g) => lead(`g${g}-`, t, 9));
    const groups = topics.map((_, g) => Array.from({ length: 9 }, (_, i) => g * 9 + i));
    const base = labelThemes(papers, groups).map((l) => l.label);
    for (let drop = 0; drop < papers.length; drop++) {
      const kept = papers.filter((_, i) => i !== drop);
      const smaller = groups.map((g) => g.filter((i) => i !== drop).map((i) => (i > drop ? i - 1 : i)));
      expect(
        labelThemes(kept, smaller).map((l) => l.label),
        `without paper ${drop}`,
      ).toEqual(base);
    }
    // One paper more in each theme.
    for (let g = 0; g < topics.length; g++) {
      const added = [...papers, ...lead(`new${g}-`, topics[g], 1)];
      const more = groups.map((m, t) => (t === g ? [...m, papers.length] : m));
      expect(
        labelThemes(added, more).map((l) => l.label),
        `one more in theme ${g}`,
      ).toEqual(base);
    }
  });
});
