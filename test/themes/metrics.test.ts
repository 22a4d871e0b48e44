import { describe, expect, it } from "vitest";
import { ari, nmi } from "../../src/themes/metrics.js";

describe("nmi and ari", () => {
  it("are 1 for the same partition under other names", () => {
    const a = [0, 0, 1, 1, 2, 2, 2];
    const b = ["x", "x", "y", "y", "z", "z", "z"];
    expect(nmi(a, b)).toBeCloseTo(1, 12);
    expect(ari(a, b)).toBeCloseTo(1, 12);
  });

  it("match scikit-learn's values on its documented example", () => {
    // sklearn: normalized_mutual_info_score([0,0,1,1],[0,0,1,2]) = v_measure = 0.8;
    // adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715.
    expect(nmi([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.8, 10);
    expect(ari([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285715, 12);
  });

  it("are 0 for independent partitions", () => {
    // Every cluster of b holds one member of each class of a.
    const a = [0, 1, 0, 1, 0, 1, 0, 1];
    const b = [0, 0, 1, 1, 2, 2, 3, 3];
    expect(nmi(a, b)).toBeCloseTo(0, 12);
    expect(ari(a, b)).toBeLessThanOrEqual(0);
  });

  it("rejects arrays of different lengths", () => {
    expect(() => nmi([0, 1], [0])).toThrow(RangeError);
  });
});

describe("cosineSilhouette", () => {
  it("equals the pairwise definition", async () => {
    const { cosineSilhouette } = await import("../../src/themes/metrics.js");
    const { createRandom } = await import("../../src/themes/linalg.js");
    const random = createRandom(5);
    const vs = Array.from({ length: 40 }, () => {
      const v = Float64Array.from({ length: 6 }, () => random() - 0.5);
      const l = Math.hypot(...v);
      return v.map((x) => x / l);
    });
    const labels: number[] = vs.map((v) => (v[0] > 0.2 ? 0 : v[1] > 0 ? 1 : 2));
    labels[7] = 3; // a singleton scores 0
    const dist = (a: Float64Array, b: Float64Array) => 1 - a.reduce((s, x, j) => s + x * b[j], 0);
    let expected = 0;
    vs.forEach((v, i) => {
      const own = labels.map((l, j) => (l === labels[i] && j !== i ? dist(v, vs[j]) : NaN)).filter((x) => !Number.isNaN(x));
      if (own.length === 0) return;
      const a = own.reduce((s, x) => s + x, 0) / own.length;
      let b = Infinity;
      for (const c of new Set(labels)) {
        if (c === labels[i]) continue;
        const ds = vs.filter((_, j) => labels[j] === c).map((u) => dist(v, u));
        b = Math.min(b, ds.reduce((s, x) => s + x, 0) / ds.length);
      }
      expected += (b - a) / Math.max(a, b);
    });
    expected /= vs.length;
    expect(cosineSilhouette(vs, labels)).toBeCloseTo(expected, 10);
    expect(
      cosineSilhouette(
        vs,
        vs.map(() => 0),
      ),
    ).toBe(0);
  });
});
