import { describe, expect, it } from "vitest";
import { createRandom, dot } from "../../src/themes/linalg.js";
import { projectWith, reduceDimensions } from "../../src/themes/reduce.js";

/** Unit vectors of dimension d that lie in a random 3-dimensional subspace. */
function inSubspace(n: number, d: number, seed: number): Float64Array[] {
  const random = createRandom(seed);
  const basis = [0, 1, 2].map(() => Float64Array.from({ length: d }, () => random() - 0.5));
  return Array.from({ length: n }, () => {
    const c = [random() - 0.5, random() - 0.5, random() - 0.5];
    const v = new Float64Array(d);
    basis.forEach((b, k) => b.forEach((x, j) => (v[j] += c[k] * x)));
    const l = Math.hypot(...v);
    return v.map((x) => x / l);
  });
}

describe("reduceDimensions", () => {
  for (const [n, d] of [
    [40, 12],
    [8, 30],
  ]) {
    it(`keeps every cosine when the data spans only 3 dimensions (n=${n}, d=${d})`, () => {
      const all = inSubspace(n + 1, d, n + d);
      const vs = all.slice(0, n);
      const r = reduceDimensions(vs, 3);
      expect(r.vectors[0].length).toBe(3);
      for (let i = 0; i < n; i++) {
        expect(Math.hypot(...r.vectors[i])).toBeCloseTo(1, 10);
        for (let j = 0; j < n; j++) expect(dot(r.vectors[i], r.vectors[j])).toBeCloseTo(dot(vs[i], vs[j]), 8);
      }
      // A new vector from the same subspace projects the same way.
      const extra = all[n];
      expect(dot(projectWith(r, extra), r.vectors[0])).toBeCloseTo(dot(extra, vs[0]), 6);
    });
  }

  it("keeps the direction of largest spread first, and centres when asked", () => {
    // Points along the x axis with a little y noise, shifted far along z.
    const random = createRandom(2);
    const vs = Array.from({ length: 31 }, (_, i) => Float64Array.of(i - 15, 0.1 * (random() - 0.5), 50));
    const centred = reduceDimensions(vs, 1, { centre: true });
    expect(Math.abs(centred.components[0][0])).toBeCloseTo(1, 3);
    const plain = reduceDimensions(vs, 1);
    // Without centring the offset dominates: the first direction is (nearly) z.
    expect(Math.abs(plain.components[0][2])).toBeGreaterThan(0.99);
  });
});
