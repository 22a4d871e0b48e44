import { describe, expect, it } from "vitest";
import { ENGLISH_STOPWORDS, normalizeToken, tokenize } from "../../src/text/analyze.js";

describe("tokenize", () => {
  it("lower-cases, drops stopwords and pure numbers, keeps compounds and versions whole", () => {
    expect(tokenize("The Vision-Language model GPT-4o, v1.5 and 2025 results")).toEqual([
      "vision-language",
      "model",
      "gpt-4o",
      "v1.5",
      "results",
    ]);
  });

  it("straightens apostrophes and drops possessive 's", () => {
    expect(tokenize("the model’s output, Porter's stemmer")).toEqual(["model", "output", "porter", "stemmer"]);
  });

  it("can keep stopwords and short tokens", () => {
    expect(tokenize("a cat", { removeStopwords: false, minLength: 1 })).toEqual(["a", "cat"]);
  });

  it("handles non-Latin letters", () => {
    expect(tokenize("Transformer 注意力 模型")).toEqual(["transformer", "注意力", "模型"]);
  });
});

describe("normalizeToken", () => {
  it("rejects short tokens and numbers", () => {
    expect(normalizeToken("x")).toBeUndefined();
    expect(normalizeToken("3.14")).toBeUndefined();
    expect(normalizeToken("bert's")).toBe("bert");
  });
});

describe("ENGLISH_STOPWORDS", () => {
  it("holds function words, not content words", () => {
    expect(ENGLISH_STOPWORDS.has("the")).toBe(true);
    expect(ENGLISH_STOPWORDS.has("model")).toBe(false);
  });
});
