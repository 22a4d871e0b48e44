import { describe, expect, it } from "vitest";
import { phraseStem } from "../../src/text/analyze.js";
import { extractPhrases, GENERIC_RESEARCH_WORDS, stemKey } from "../../src/themes/phrases.js";
import { ENGLISH_STOPWORDS } from "../../src/text/stopwords.js";

describe("extractPhrases", () => {
  const text =
    "We propose a novel visual token pruning method for large vision-language models. Results show faster inference, with no retraining.";
  const phrases = new Set(extractPhrases(text));

  it("keeps topical 1–3-grams", () => {
    for (const p of [
      "visual token pruning",
      "token pruning",
      "visual token",
      "pruning",
      "large vision-language models",
      "vision-language models",
      "vision-language",
      "retraining",
    ]) {
      expect(phrases).toContain(p);
    }
  });

  it("never starts or ends a phrase with a stopword or a generic research word", () => {
    for (const p of ["token pruning method", "novel visual token", "propose", "method", "results", "results show"]) {
      expect(phrases).not.toContain(p);
    }
    for (const p of phrases) {
      const words = p.split(" ");
      for (const edge of [words[0], words[words.length - 1]]) {
        expect(ENGLISH_STOPWORDS.has(edge)).toBe(false);
        expect(GENERIC_RESEARCH_WORDS.has(edge)).toBe(false);
      }
    }
  });

  it("does not let a broad head word stand alone or lead", () => {
    expect(phrases).not.toContain("models");
    expect(phrases).not.toContain("inference");
    expect(extractPhrases("models of language")).not.toContain("models of language");
  });

  it("does not cross clause boundaries", () => {
    const ps = extractPhrases("speech tokens, image patches; audio codecs (neural) music");
    expect(ps).toContain("speech tokens");
    expect(ps).not.toContain("tokens image");
    expect(ps).not.toContain("patches audio");
    expect(ps).not.toContain("neural music");
  });

  it("allows 'of' and 'and' only inside a 3-gram", () => {
    const ps = extractPhrases("a sparse mixture of experts for speech and audio");
    expect(ps).toContain("mixture of experts");
    expect(ps).toContain("speech and audio");
    expect(ps).not.toContain("mixture of");
    expect(ps).not.toContain("of experts");
  });

  it("drops numbers and records surface spellings", () => {
    const surfaces = new Map<string, Map<string, number>>();
    const ps = extractPhrases("Fine-tuning LLMs on 128 GPUs beats LLMs trained in 2023.", surfaces);
    expect(ps.some((p) => /\b128\b|\b2023\b/.test(p))).toBe(false);
    expect(surfaces.get("llms")?.get("LLMs")).toBe(2);
  });
});

describe("phraseStem", () => {
  it("joins inflections and close derivations", () => {
    const same = (words: string[]) => expect(new Set(words.map(phraseStem)).size).toBe(1);
    same(["tokenizer", "tokenizers", "tokenization", "tokenize", "tokenizes"]);
    same(["model", "models", "modeling", "modelling"]);
    same(["robot", "robots", "robotic"]);
    same(["equilibrium", "equilibria"]);
    same(["query", "queries"]);
  });

  it("keeps distinct words apart", () => {
    expect(phraseStem("token")).not.toBe(phraseStem("tokenizer"));
    expect(phraseStem("speech")).not.toBe(phraseStem("speed"));
    expect(stemKey("language models")).not.toBe(stemKey("language modeling tasks"));
    expect(stemKey("language models")).toBe(stemKey("language model"));
  });
});
