import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/paper.js";
import { display, labelThemes } from "../../src/themes/labels.js";
import { GENERIC_RESEARCH_WORDS, stemKey } from "../../src/themes/phrases.js";
import { ENGLISH_STOPWORDS } from "../../src/text/stopwords.js";

const paper = (id: string, title: string, abstract: string): Paper => ({ id, title, abstract });

const speech = [
  paper("s1", "Zero-shot text-to-speech with neural audio codecs", "We propose a text-to-speech system that predicts neural audio codec tokens. The speech synthesis model clones a speaker voice from a short prompt."),
  paper("s2", "Streaming speech recognition with audio tokens", "Speech recognition from discrete audio tokens lowers latency. Our streaming decoder reads audio tokens from a neural audio codec."),
  paper("s3", "Speaker-adaptive text-to-speech", "A text-to-speech model adapts to a new speaker voice with few minutes of speech. Speech synthesis quality stays high."),
  paper("s4", "Music generation from audio tokens", "We generate music as sequences of audio tokens produced by a neural audio codec, conditioned on text."),
  paper("s5", "Evaluating speech synthesis", "Listening tests compare speech synthesis systems; text-to-speech naturalness and speaker similarity are rated."),
];
const pruning = [
  paper("p1", "Visual token pruning for vision-language models", "Vision-language models process hundreds of visual tokens. Visual token pruning removes redundant visual tokens and speeds up inference."),
  paper("p2", "Attention-guided visual token pruning", "We rank visual tokens by attention and apply visual token pruning inside large vision-language models without retraining."),
  paper("p3", "Token merging for multimodal LLMs", "Merging similar visual tokens reduces the cost of multimodal LLMs; visual token pruning and merging are compared."),
  paper("p4", "Diversity-based visual token pruning", "Selecting diverse visual tokens keeps accuracy of vision-language models while pruning most visual tokens."),
  paper("p5", "Fast video LLMs by token reduction", "Video LLMs see thousands of visual tokens; token reduction by visual token pruning halves latency."),
];
const tokenizers = [
  paper("t1", "Byte-level tokenizers for multilingual language models", "Subword tokenizers split rare words badly. Byte-level tokenizers give multilingual language models a fair vocabulary."),
  paper("t2", "Tokenizer transfer between language models", "We transplant a new tokenizer into a pretrained language model by initialising embeddings of the new vocabulary."),
  paper("t3", "Tokenization inequities across languages", "Tokenization of low-resource languages needs more tokens per sentence; tokenizer vocabulary size matters."),
  paper("t4", "Learning a tokenizer end to end", "Instead of a fixed BPE tokenizer, the language model learns its tokenization and vocabulary during training."),
  paper("t5", "Character-level tokenizers for legal text", "Domain-specific tokenizers with a character-level vocabulary reduce tokenization errors on legal documents."),
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
      ["llms", new Map([["LLMs", 3], ["llms", 1]])],
      ["vision-language", new Map([["Vision-Language", 4]])],
      ["transformer", new Map([["Transformer", 5]])],
    ]);
    expect(display("multimodal llms", surfaces)).toBe("multimodal LLMs");
    expect(display("vision-language transformer", surfaces)).toBe("vision-language transformer");
  });
});
