import { describe, expect, it } from "vitest";
import { analyze } from "../../src/text/analyze.js";

describe("analyze", () => {
  it("stems words, drops stopwords and adds adjacent word pairs", () => {
    expect(analyze("Learning visual representations")).toEqual(["learn", "visual", "represent", "learn visual", "visual represent"]);
  });

  it("does not join words across a removed stopword or punctuation by default", () => {
    const terms = analyze("pruning of tokens, faster inference");
    expect(terms).toContain("prune");
    expect(terms).toContain("faster infer");
    expect(terms).not.toContain("prune token");
    expect(terms).not.toContain("token faster");
  });

  it("can join across gaps, as scikit-learn does after stopword removal", () => {
    const terms = analyze("pruning of tokens, faster inference", { ngramsAcrossGaps: true });
    expect(terms).toContain("prune token");
    expect(terms).toContain("token faster");
  });

  it("keeps hyphenated compounds and adds their parts", () => {
    const terms = analyze("vision-language models");
    expect(terms.slice(0, 4)).toEqual(["vision-languag", "model", "vision", "languag"]);
    expect(terms).toContain("vision-languag model");
    expect(analyze("vision-language models", { hyphens: "keep" })).toEqual(["vision-languag", "model", "vision-languag model"]);
    expect(analyze("vision-language models", { hyphens: "split" })).toEqual([
      "vision",
      "languag",
      "model",
      "vision languag",
      "languag model",
    ]);
  });

  it("can skip stemming and n-grams", () => {
    expect(analyze("Learning visual representations", { stem: false, maxNgram: 1 })).toEqual(["learning", "visual", "representations"]);
  });

  it("adds trigrams when asked", () => {
    expect(analyze("masked image modeling", { maxNgram: 3, stem: false })).toContain("masked image modeling");
  });

  it("drops numbers and one-letter words, and keeps names with digits", () => {
    expect(analyze("GPT-4o beats 2 of 3 x baselines in 2025", { maxNgram: 1 })).toEqual(["gpt-4o", "beat", "baselin", "gpt", "4o"]);
  });

  it("gives nothing for empty or stopword-only text", () => {
    expect(analyze("")).toEqual([]);
    expect(analyze("the of and to")).toEqual([]);
  });
});
