import { describe, expect, it } from "vitest";
import type { WeightedGraph } from "../../src/themes/graph.js";
import { mergeByModularity, modularity } from "../../src/themes/merge.js";

function graphOf(n: number, edges: [number, number, number?][]): WeightedGraph {
  const maps = Array.from({ length: n }, () => new Map<number, number>());
  for (const [a, b, w = 1] of edges) {
    maps[a].set(b, w);
    maps[b].set(a, w);
  }
  return {
    size: n,
    neighbours: maps.map((m) => Int32Array.from([...m.keys()].sort((x, y) => x - y))),
    weights: maps.map((m) =>
      Float64Array.from(
        [...m.keys()].sort((x, y) => x - y),
        (k) => m.get(k)!,
      ),
    ),
  };
}

// Two triangles joined by the edge 2–3.
const twoTriangles = graphOf(6, [
  [0, 1],
  [1, 2],
  [0, 2],
  [3, 4],
  [4, 5],
  [3, 5],
  [2, 3],
]);

describe("modularity", () => {
  it("matches the value worked out by hand", () => {
    // m = 7 edges; each triangle holds 3 edges and degree 7: Q = 2·(3/7 − (7/14)²).
    expect(modularity(twoTriangles, [0, 0, 0, 1, 1, 1])).toBeCloseTo(2 * (3 / 7 - 0.25), 12);
    expect(modularity(twoTriangles, [0, 0, 0, 0, 0, 0])).toBeCloseTo(0, 12);
  });
});

describe("mergeByModularity", () => {
  it("stops at the modularity peak: the two triangles", () => {
    const r = mergeByModularity(twoTriangles, [0, 1, 2, 3, 4, 5], { target: "peak" });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(r.steps.every((s) => s.gain > 0)).toBe(true);
  });

  it("merges down to a target even when it costs modularity", () => {
    const r = mergeByModularity(twoTriangles, [0, 1, 2, 3, 4, 5], { target: 1 });
    expect(new Set(r.labels).size).toBe(1);
    expect(r.steps.at(-1)!.gain).toBeLessThan(0);
  });

  it("respects the bounds of the peak search", () => {
    const r = mergeByModularity(twoTriangles, [0, 1, 2, 3, 4, 5], { target: "peak", max: 1 });
    expect(new Set(r.labels).size).toBe(1);
    const s = mergeByModularity(twoTriangles, [0, 1, 2, 3, 4, 5], { target: "peak", min: 3 });
    expect(new Set(s.labels).size).toBe(3);
  });

  it("folds clusters below minSize into their best-linked neighbour", () => {
    // Clusters {0,1,2}, {3,4}, {5}: with minSize 2, {5} must join {3,4}.
    const r = mergeByModularity(twoTriangles, [0, 0, 0, 1, 1, 2], { target: 3, minSize: 2 });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 1, 1, 1]);
  });
});
