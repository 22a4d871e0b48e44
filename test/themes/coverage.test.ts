import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/paper.js";
import { CoverageIndex, labelCoverage, labelKeys, textKeys, wordKey } from "../../src/themes/coverage.js";

const paper = (id: string, title: string, abstract = ""): Paper => ({ id, title, abstract });

describe("labelCoverage", () => {
  const members = [
    paper("a", "Visual token pruning for VLMs", "We prune redundant tokens."),
    paper("b", "Pruning visual tokens without training", ""),
    paper("c", "Token merging", "Merging similar visual tokens."),
    paper("d", "Speech synthesis", "A vocoder."),
  ];
  const rest = [
    paper("e", "Token economics", "Visual art and tokens."),
    paper("f", "Image classification", "Convolutional networks."),
    paper("g", "Speech recognition", "Streaming models."),
    paper("h", "Graph pruning", "Sparse graphs."),
  ];

  it("counts papers holding every content word, matching the first five letters", () => {
    // "visual token pruning": a, b (pruning/prune, tokens/token); c lacks any "prun…" word.
    const r = labelCoverage("visual token pruning", members, rest);
    expect(r.covered).toBe(2);
    expect(r.coverage).toBeCloseTo(2 / 4, 12);
    expect(r.restCoverage).toBe(0);
    // Nothing outside: the rest's share is taken as half a paper, 0.5 / 4.
    expect(r.distinctiveness).toBeCloseTo(0.5 / (0.5 / 4), 12);
    // "prune" (the verb) in a label finds "pruning" too.
    expect(labelCoverage("token prune", members, rest).covered).toBe(2);
  });

  it("ignores stopwords in the label and divides by the rest's coverage", () => {
    // "tokens of the visual kind" → content words tokens, visual, kind: no paper has "kind".
    expect(labelCoverage("tokens of the visual kind", members, rest).covered).toBe(0);
    // "visual tokens": a, b, c inside (3/4); e outside (1/4): distinctiveness 3.
    const r = labelCoverage("visual tokens", members, rest);
    expect(r.coverage).toBeCloseTo(0.75, 12);
    expect(r.restCoverage).toBeCloseTo(0.25, 12);
    expect(r.distinctiveness).toBeCloseTo(3, 12);
  });

  it("counts a paper for 'a / b' when either side matches", () => {
    expect(labelCoverage("token merging / speech synthesis", members, rest).covered).toBe(2);
    expect(labelCoverage("token merging/speech", members, rest).covered).toBe(2);
    expect(labelKeys("a / b c")).toEqual([["b", "c"]].length === 1 ? [["b", "c"]] : []);
  });

  it("splits hyphenated words into parts and keeps short words whole", () => {
    const ps = [paper("x", "Zero-shot text-to-speech", ""), paper("y", "Speech and text", "")];
    expect(labelCoverage("text-to-speech", ps, []).covered).toBe(2);
    expect(labelCoverage("zero-shot", ps, []).covered).toBe(1);
    // Nothing outside: distinctiveness is infinite when something is covered, 0 otherwise.
    expect(labelCoverage("zero-shot", ps, []).distinctiveness).toBe(Infinity);
    expect(labelCoverage("graphs", ps, []).distinctiveness).toBe(0);
    expect(wordKey("llms")).toBe(wordKey("llm"));
    expect(wordKey("pruning")).toBe(wordKey("prune"));
    expect(wordKey("art")).not.toBe(wordKey("arts-x"));
    expect(textKeys("LLMs' outputs")).toContain("llm");
  });

  it("handles empty themes and labels without content words", () => {
    expect(labelCoverage("anything", [], rest)).toEqual({ coverage: 0, restCoverage: 0, distinctiveness: 0, covered: 0 });
    expect(labelCoverage("of the", members, rest).covered).toBe(0);
  });

  it("agrees with CoverageIndex", () => {
    const all = [...members, ...rest];
    const index = new CoverageIndex(all);
    for (const label of ["visual token pruning", "visual tokens", "speech", "token merging / graph pruning", "of the"]) {
      const covered = [...index.covered(label)].map((i) => all[i]);
      expect(covered.length).toBe(labelCoverage(label, all, []).covered);
    }
  });
});
