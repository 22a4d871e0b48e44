import { describe, expect, it } from "vitest";
import { ExactLookup, extractArxivId, normalizeName, paperNames } from "../../src/search/lookup.js";

describe("extractArxivId", () => {
  it("reads ids in the forms people paste", () => {
    expect(extractArxivId("2501.01234")).toBe("2501.01234");
    expect(extractArxivId(" arXiv:2501.01234v3 ")).toBe("2501.01234");
    expect(extractArxivId("https://arxiv.org/abs/2403.05525v2")).toBe("2403.05525");
    expect(extractArxivId("https://arxiv.org/pdf/2403.05525")).toBe("2403.05525");
    expect(extractArxivId("https://huggingface.co/papers/2407.05407")).toBe("2407.05407");
    expect(extractArxivId("hep-th/0701001v1")).toBe("hep-th/0701001");
    expect(extractArxivId("math.AG/0601001")).toBe("math.ag/0601001");
  });

  it("ignores text that only contains numbers", () => {
    expect(extractArxivId("results on 2501.01234 benchmarks")).toBeUndefined();
    expect(extractArxivId("ELECTRA")).toBeUndefined();
    expect(extractArxivId("3.14")).toBeUndefined();
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
    l.add({ id: "cosyvoice-a-scalable", title: "CosyVoice: A Scalable Multilingual Zero-shot Text-to-speech Synthesizer", abstract: "", url: "https://huggingface.co/papers/2407.05407" });
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
