import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import {
  compressGaps,
  principalComponents,
  projectMap,
  projectPca,
  projectUmap,
  rescaleToUnit,
  seededRandom,
} from "../../src/report/projection.js";

/** Points with standard deviations 10, 3 and 0.1 along three random orthogonal-ish axes in 20-D. */
function anisotropicCloud(n: number, seed: number) {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  // Axes: e0, e1, e2 rotated by a fixed mix so the answer is not simply "the first coordinates".
  const d = 20;
  const axis = (k: number) => {
    const v = new Float64Array(d);
    v[k] = 1 / Math.SQRT2;
    v[k + 5] = 1 / Math.SQRT2;
    return v;
  };
  const [a, b, c] = [axis(0), axis(1), axis(2)];
  const latent: number[][] = [];
  const vectors = Array.from({ length: n }, () => {
    const s = [10 * gauss(), 3 * gauss(), 0.1 * gauss()];
    latent.push(s);
    const v = new Float32Array(d);
    for (let j = 0; j < d; j++) v[j] = 5 + s[0] * a[j] + s[1] * b[j] + s[2] * c[j];
    return v;
  });
  return { vectors, latent };
}

function correlation(x: number[], y: number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe("principalComponents", () => {
  it("finds the directions of largest variance, in order", () => {
    const { vectors, latent } = anisotropicCloud(300, 7);
    const pcs = principalComponents(vectors, 2);
    expect(
      Math.abs(
        correlation(
          pcs.map((r) => r[0]),
          latent.map((s) => s[0]),
        ),
      ),
    ).toBeGreaterThan(0.99);
    expect(
      Math.abs(
        correlation(
          pcs.map((r) => r[1]),
          latent.map((s) => s[1]),
        ),
      ),
    ).toBeGreaterThan(0.99);
  });

  it("gives centred coordinates whose spread matches the data's (variance along the first axis ≈ 100)", () => {
    const { vectors } = anisotropicCloud(2000, 3);
    const first = principalComponents(vectors, 1).map((r) => r[0]);
    const mean = first.reduce((s, v) => s + v, 0) / first.length;
    const variance = first.reduce((s, v) => s + (v - mean) ** 2, 0) / first.length;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(variance).toBeGreaterThan(85);
    expect(variance).toBeLessThan(115);
  });

  it("is deterministic", () => {
    const { vectors } = anisotropicCloud(100, 11);
    expect(principalComponents(vectors, 2)).toEqual(principalComponents(vectors, 2));
  });

  it("leaves a component at 0 when the data has no variance left for it", () => {
    const vectors = [0, 1, 2, 3].map((t) => Float32Array.from([t, 2 * t, 0]));
    const pcs = principalComponents(vectors, 2);
    expect(pcs.map((r) => r[1])).toEqual([0, 0, 0, 0]);
    expect(new Set(pcs.map((r) => r[0])).size).toBe(4);
  });

  it("refuses vectors of different lengths or with non-finite values", () => {
    expect(() => principalComponents([new Float32Array(3), new Float32Array(4)], 2)).toThrow(InvalidArgumentError);
    expect(() => principalComponents([Float32Array.from([1, NaN])], 2)).toThrow(InvalidArgumentError);
  });
});

describe("projectPca / projectMap", () => {
  it("puts every point in [0, 1]² and uses the whole range on both axes", () => {
    const { vectors } = anisotropicCloud(120, 5);
    const points = projectPca(vectors);
    expect(points).toHaveLength(120);
    for (const p of points) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(1);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(1);
    }
    expect(Math.min(...points.map((p) => p.x))).toBe(0);
    expect(Math.max(...points.map((p) => p.x))).toBe(1);
    expect(Math.min(...points.map((p) => p.y))).toBe(0);
    expect(Math.max(...points.map((p) => p.y))).toBe(1);
  });

  it("handles 0 vectors, 1 vector and identical vectors", () => {
    expect(projectPca([])).toEqual([]);
    expect(projectPca([Float32Array.from([1, 2, 3])])).toEqual([{ x: 0.5, y: 0.5 }]);
    const same = Float32Array.from([0.6, 0.8]);
    expect(projectPca([same, same, same])).toEqual([
      { x: 0.5, y: 0.5 },
      { x: 0.5, y: 0.5 },
      { x: 0.5, y: 0.5 },
    ]);
    for (const method of ["pca", "umap"] as const) {
      expect(projectMap([], { method })).toEqual([]);
      expect(projectMap([Float32Array.from([1, 0])], { method })).toEqual([{ x: 0.5, y: 0.5 }]);
    }
  });

  it("rescaleToUnit maps each column's range onto [0, 1]", () => {
    expect(
      rescaleToUnit([
        [-2, 10],
        [0, 20],
        [2, 30],
      ]),
    ).toEqual([
      { x: 0, y: 0 },
      { x: 0.5, y: 0.5 },
      { x: 1, y: 1 },
    ]);
  });
});

/** `groups` tight clusters of unit vectors around random centres in 32-D. */
function clusters(groups: number, per: number, seed: number) {
  const random = seededRandom(seed);
  const centres = Array.from({ length: groups }, () => Array.from({ length: 32 }, () => random() - 0.5));
  const vectors: Float32Array[] = [];
  const label: number[] = [];
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < per; i++) {
      const v = Float32Array.from(centres[g], (c) => c + (random() - 0.5) * 0.15);
      const norm = Math.hypot(...v);
      vectors.push(v.map((x) => x / norm));
      label.push(g);
    }
  }
  return { vectors, label };
}

describe("projectUmap", () => {
  it("keeps clusters together: each point's nearest point on the map is from its own cluster", () => {
    const { vectors, label } = clusters(5, 16, 9);
    const points = projectUmap(vectors, { seed: 42 });
    let same = 0;
    points.forEach((p, i) => {
      let best = -1;
      let bestDist = Infinity;
      points.forEach((q, j) => {
        const d = (p.x - q.x) ** 2 + (p.y - q.y) ** 2;
        if (j !== i && d < bestDist) [best, bestDist] = [j, d];
      });
      if (label[best] === label[i]) same++;
    });
    expect(same / points.length).toBeGreaterThan(0.95);
    for (const p of points) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(1);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(1);
    }
  });

  it("is deterministic for a seed, and the seed matters", () => {
    const { vectors } = clusters(3, 10, 4);
    expect(projectUmap(vectors, { seed: 7 })).toEqual(projectUmap(vectors, { seed: 7 }));
    expect(projectUmap(vectors, { seed: 7 })).not.toEqual(projectUmap(vectors, { seed: 8 }));
    expect(projectMap(vectors, { seed: 7 })).toEqual(projectUmap(vectors, { seed: 7 }));
  });

  it("copes with few points, identical points and all-zero vectors", () => {
    const few = clusters(1, 4, 1).vectors;
    expect(projectUmap(few)).toEqual(projectPca(few));
    const same = Array.from({ length: 8 }, () => Float32Array.from([0.6, 0.8, 0]));
    for (const p of projectUmap(same)) {
      expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    }
    const withZeros = [...clusters(2, 6, 3).vectors, new Float32Array(32), new Float32Array(32)];
    const points = projectUmap(withZeros);
    expect(points).toHaveLength(14);
    for (const p of points) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  });
});

describe("compressGaps", () => {
  it("caps a wide empty band at 3 × the 90th-percentile gap and keeps the rest exactly", () => {
    // Two groups of 10 values spaced 1 apart, 1,000 apart from each other.
    const values = [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 1009 + i)];
    const out = compressGaps(values);
    expect(out.slice(0, 10)).toEqual(values.slice(0, 10));
    expect(out[10] - out[9]).toBe(3); // the band of 1,000 shrinks to 3 × the typical gap of 1
    for (let i = 11; i < 20; i++) expect(out[i] - out[i - 1]).toBe(1);
  });

  it("keeps the order of unsorted values and leaves evenly spread values alone", () => {
    const values = [5, -3, 12, 0, 7, 2];
    const out = compressGaps(values);
    const rank = (xs: number[]) => xs.map((x) => xs.filter((y) => y < x).length);
    expect(rank(out)).toEqual(rank(values));
    const even = [0, 1, 2, 3, 4, 5];
    expect(compressGaps(even)).toEqual(even);
    expect(compressGaps([1, 1, 1])).toEqual([1, 1, 1]);
    expect(compressGaps([4, 9])).toEqual([4, 9]);
  });
});
