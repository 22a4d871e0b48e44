import { describe, expect, it } from "vitest";
import { reciprocalRankFusion, scoreFusion } from "../../src/search/fusion.js";

describe("reciprocalRankFusion", () => {
  it("sums 1/(c + rank) and scales so that first-in-every-list scores 1", () => {
    const fused = reciprocalRankFusion(
      [
        {
          hits: [
            { id: "a", score: 0.9 },
            { id: "b", score: 0.5 },
          ],
        },
        {
          hits: [
            { id: "a", score: 0.2 },
            { id: "c", score: 0.1 },
          ],
        },
      ],
      60,
    );
    expect(fused.map((h) => h.id)).toEqual(["a", "b", "c"]);
    expect(fused[0].score).toBeCloseTo(1, 12);
    expect(fused[1].score).toBeCloseTo(1 / 62 / (2 / 61), 12);
    expect(fused[2].score).toBeCloseTo(fused[1].score, 12); // same rank in one list each
  });

  it("weights lists and ignores their raw scores", () => {
    const fused = reciprocalRankFusion([
      { hits: [{ id: "a", score: 0.01 }], weight: 3 },
      { hits: [{ id: "b", score: 1 }], weight: 1 },
    ]);
    expect(fused.map((h) => h.id)).toEqual(["a", "b"]);
    expect(fused[0].score).toBeCloseTo(0.75, 12);
  });
});

describe("scoreFusion", () => {
  it("is a weighted mean of scores with missing = 0 by default", () => {
    const fused = scoreFusion([
      {
        hits: [
          { id: "a", score: 0.8 },
          { id: "b", score: 0.6 },
        ],
        weight: 0.5,
      },
      { hits: [{ id: "b", score: 1 }], weight: 0.5 },
    ]);
    expect(fused.map((h) => h.id)).toEqual(["b", "a"]);
    expect(fused[0].score).toBeCloseTo(0.8, 12);
    expect(fused[1].score).toBeCloseTo(0.4, 12);
  });

  it("uses a per-list default for missing ids and stays within [0, 1]", () => {
    const fused = scoreFusion([{ hits: [{ id: "a", score: 1 }] }, { hits: [{ id: "b", score: 1 }] }], (list) => (list === 0 ? 0.5 : 0));
    expect(fused.map((h) => [h.id, h.score])).toEqual([
      ["b", 0.75],
      ["a", 0.5],
    ]);
    expect(scoreFusion([]).length).toBe(0);
  });
});
