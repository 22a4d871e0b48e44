import { describe, expect, it } from "vitest";
import { arxivIdFrom } from "../../src/paper.js";
import { ExactLookup, normalizeName, paperNames } from "../../src/search/lookup.js";

describe("arXiv ids in queries (read by the one parser, arxivIdFrom)", () => {
  it("reads ids in the forms people paste, old style included", () => {
    expect(arxivIdFrom("2501.01234")).toBe("2501.01234");
    expect(arxivIdFrom(" arXiv:2501.01234v3 ")).toBe("2501.01234");
    expect(arxivIdFrom("https://arxiv.org/abs/2403.05525v2")).toBe("2403.05525");
    expect(arxivIdFrom("https://arxiv.org/pdf/2403.05525")).toBe("2403.05525");
    expect(arxivIdFrom("https://huggingface.co/papers/2407.05407")).toBe("2407.05407");
    expect(arxivIdFrom("hep-th/9901001v2")).toBe("hep-th/9901001");
    expect(arxivIdFrom("arXiv:math.GT/0309136")).toBe("math.GT/0309136");
    expect(arxivIdFrom("math.gt/0309136")).toBe("math.GT/0309136");
    expect(arxivIdFrom("https://arxiv.org/abs/math.GT/0309136v1")).toBe("math.GT/0309136");
  });

  it("ignores text that only contains numbers", () => {
    expect(arxivIdFrom("results on 2501.01234 benchmarks")).toBeUndefined();
    expect(arxivIdFrom("ELECTRA")).toBeUndefined();
    expect(arxivIdFrom("3.14")).toBeUndefined();
  });

  it("the lookup finds an old-style paper by every spelling of its id", () => {
    const l = new ExactLookup();
    l.add({ id: "math.GT/0309136", title: "A knot paper", abstract: "" });
    for (const q of ["math.GT/0309136", "arXiv:math.GT/0309136", "math.gt/0309136v2", "https://arxiv.org/abs/math.GT/0309136"]) {
      expect(l.find(q), q).toEqual(["math.GT/0309136"]);
    }
  });
});

describe("paper names", () => {
  it("normalises case and punctuation", () => {
    expect(normalizeName("  CosyVoice 2:  Scalable, Streaming! ")).toBe("cosyvoice 2 scalable streaming");
  });

  it("uses the title and a short prefix before a colon", () => {
    expect(paperNames({ title: "ELECTRA: Pre-training Text Encoders as Discriminators" })).toEqual([
      "electra pre training text encoders as discriminators",
      "electra",
    ]);
    expect(paperNames({ title: "A very long heading that is not a name at all: subtitle" })).toHaveLength(1);
  });
});

describe("ExactLookup", () => {
  it("finds by id, arXiv id, URL and name, and forgets removed papers", () => {
    const l = new ExactLookup();
    l.add({ id: "2003.10555", title: "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators", abstract: "" });
    l.add({
      id: "cosyvoice-a-scalable",
      title: "CosyVoice: A Scalable Multilingual Zero-shot Text-to-speech Synthesizer",
      abstract: "",
      url: "https://huggingface.co/papers/2407.05407",
    });
    expect(l.find("2003.10555")).toEqual(["2003.10555"]);
    expect(l.find("arXiv:2003.10555v1")).toEqual(["2003.10555"]);
    expect(l.find("electra")).toEqual(["2003.10555"]);
    expect(l.find("CosyVoice")).toEqual(["cosyvoice-a-scalable"]);
    expect(l.find("2407.05407")).toEqual(["cosyvoice-a-scalable"]);
    expect(l.find("cosyvoice-a-scalable")).toEqual(["cosyvoice-a-scalable"]);
    expect(l.find("speech synthesis")).toEqual([]);
    expect(l.find("   ")).toEqual([]);
    l.remove("2003.10555");
    expect(l.find("electra")).toEqual([]);
    // re-adding an id replaces its names
    l.add({ id: "cosyvoice-a-scalable", title: "Renamed: x", abstract: "" });
    expect(l.find("CosyVoice")).toEqual([]);
    expect(l.find("renamed")).toEqual(["cosyvoice-a-scalable"]);
  });
});
