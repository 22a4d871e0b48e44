import { describe, expect, it } from "vitest";
import { cosine, mmrSelect, type MmrCandidate } from "../../src/search/mmr.js";

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

// Three near-duplicates of one paper and two different papers of slightly lower relevance.
const candidates: MmrCandidate<string>[] = [
  { item: "dup1", relevance: 0.9, vector: unit(1, 0, 0) },
  { item: "dup2", relevance: 0.89, vector: unit(1, 0.01, 0) },
  { item: "dup3", relevance: 0.88, vector: unit(1, 0, 0.01) },
  { item: "other1", relevance: 0.7, vector: unit(0, 1, 0) },
  { item: "other2", relevance: 0.6, vector: unit(0, 0, 1) },
];

describe("mmrSelect", () => {
  it("keeps relevance order with diversity 0", () => {
    expect(mmrSelect(candidates, 3, 0).map((c) => c.item)).toEqual(["dup1", "dup2", "dup3"]);
  });

  it("skips near-duplicates when diversity is raised", () => {
    expect(mmrSelect(candidates, 3, 0.5).map((c) => c.item)).toEqual(["dup1", "other1", "other2"]);
  });

  it("always starts with the most relevant item and never repeats one", () => {
    for (const d of [0.1, 0.3, 0.7, 1]) {
      const out = mmrSelect(candidates, 5, d).map((c) => c.item);
      expect(out[0]).toBe("dup1");
      expect(new Set(out).size).toBe(5);
    }
  });

  it("handles k larger than the pool, missing vectors and empty input", () => {
    expect(mmrSelect(candidates, 99, 0.3)).toHaveLength(5);
    expect(mmrSelect([], 3, 0.3)).toEqual([]);
    const noVectors = candidates.map((c) => ({ ...c, vector: undefined }));
    expect(mmrSelect(noVectors, 3, 0.5).map((c) => c.item)).toEqual(["dup1", "dup2", "dup3"]);
  });

  it("cosine of unit vectors; 0 for missing or mismatched vectors", () => {
    expect(cosine(unit(1, 1), unit(1, 1))).toBeCloseTo(1, 6);
    expect(cosine(unit(1, 0), unit(0, 1))).toBe(0);
    expect(cosine(undefined, unit(1))).toBe(0);
    expect(cosine(unit(1, 0), unit(1, 0, 0))).toBe(0);
  });
});
