import { describe, expect, it } from "vitest";
import { nearestNeighbours, neighbourGraph, spectralEmbedding } from "../../src/themes/graph.js";
import { createRandom, dot } from "../../src/themes/linalg.js";

function randomUnitVectors(n: number, d: number, seed: number): Float64Array[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => {
    const v = Float64Array.from({ length: d }, () => random() - 0.5);
    const l = Math.hypot(...v);
    return v.map((x) => x / l);
  });
}

describe("nearestNeighbours", () => {
  it("returns exactly the k most similar other points, most similar first", () => {
    const vs = randomUnitVectors(70, 9, 4);
    const lists = nearestNeighbours(vs, 6);
    for (let i = 0; i < vs.length; i++) {
      const expected = vs
        .map((v, j) => ({ j, s: dot(vs[i], v) }))
        .filter((x) => x.j !== i)
        .sort((a, b) => b.s - a.s || a.j - b.j)
        .slice(0, 6);
      expect(Array.from(lists.indices[i])).toEqual(expected.map((x) => x.j));
      Array.from(lists.similarities[i]).forEach((s, t) => expect(s).toBeCloseTo(expected[t].s, 12));
    }
  });

  it("caps k at n − 1 and breaks ties by index", () => {
    const same = [1, 2, 3, 4].map(() => Float64Array.of(1, 0));
    const lists = nearestNeighbours(same, 10);
    expect(Array.from(lists.indices[2])).toEqual([0, 1, 3]);
    expect(nearestNeighbours([Float64Array.of(1)], 3).indices[0].length).toBe(0);
  });
});

describe("neighbourGraph", () => {
  it("is symmetric and drops non-positive similarities", () => {
    const vs = [Float64Array.of(1, 0), Float64Array.of(0.8, 0.6), Float64Array.of(-1, 0)];
    const g = neighbourGraph(nearestNeighbours(vs, 2));
    const weight = (a: number, b: number) => {
      const t = Array.from(g.neighbours[a]).indexOf(b);
      return t < 0 ? 0 : g.weights[a][t];
    };
    expect(weight(0, 1)).toBeCloseTo(0.8, 12);
    expect(weight(1, 0)).toBeCloseTo(0.8, 12);
    // Point 2 is opposite to 0 and at cos −0.8 to 1: no edges at all.
    expect(g.neighbours[2].length).toBe(0);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(weight(a, b)).toBe(weight(b, a));
  });
});

describe("spectralEmbedding", () => {
  it("separates two groups joined by one weak edge", () => {
    // Two tight bundles of directions, one weak cross-link.
    const random = createRandom(1);
    const bundle = (axis: number) =>
      Array.from({ length: 30 }, () => {
        const v = new Float64Array(6);
        v[axis] = 1;
        for (let j = 0; j < 6; j++) v[j] += 0.05 * (random() - 0.5);
        const l = Math.hypot(...v);
        return v.map((x) => x / l);
      });
    const vs = [...bundle(0), ...bundle(3)];
    const g = neighbourGraph(nearestNeighbours(vs, 5));
    const emb = spectralEmbedding(g, 2);
    expect(emb.values[0]).toBeCloseTo(1, 6);
    // The second eigenvector has one sign on each bundle.
    const second = emb.vectors[1];
    const signA = Math.sign(second[0]);
    for (let i = 0; i < 30; i++) expect(Math.sign(second[i])).toBe(signA);
    for (let i = 30; i < 60; i++) expect(Math.sign(second[i])).toBe(-signA);
  });
});
