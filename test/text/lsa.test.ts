import { describe, expect, it } from "vitest";
import { fitLsaProjection, smoothTargets, type LsaOptions } from "../../src/text/lsa.js";
import { seededRandom } from "../../src/text/random.js";
import { SparseMatrix } from "../../src/text/sparse.js";

/** A random sparse matrix with unit rows (like TF-IDF rows). */
function randomRows(n: number, m: number, seed: number, density = 0.3): SparseMatrix {
  const rand = seededRandom(seed);
  const rows = Array.from({ length: n }, () => {
    const r: number[] = Array.from({ length: m }, () => (rand() < density ? rand() : 0));
    if (!r.some((x) => x !== 0)) r[Math.floor(rand() * m)] = 1;
    const norm = Math.hypot(...r);
    return r.map((x) => x / norm);
  });
  return SparseMatrix.fromDense(rows);
}

function project(x: SparseMatrix, p: { components: number; projection: Float32Array }): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < x.rows; i++) {
    const v = new Array<number>(p.components).fill(0);
    const row = x.row(i);
    row.indices.forEach((t, k) => {
      for (let c = 0; c < p.components; c++) v[c] += row.values[k] * p.projection[t * p.components + c];
    });
    out.push(v);
  }
  return out;
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const unit = (a: number[]) => {
  const n = Math.sqrt(dot(a, a));
  return a.map((x) => x / n);
};

const plain: LsaOptions = {
  dimension: 8,
  dropComponents: 0,
  singularValuePower: 1,
  smoothing: 0,
  smoothingNeighbors: 2,
  smoothingComponents: 8,
  smoothingMaxDocuments: 1000,
  powerIterations: 4,
  seed: 1,
};

describe("fitLsaProjection", () => {
  it("at full rank with s¹ scaling, preserves every cosine of the TF-IDF rows", () => {
    const x = randomRows(6, 20, 2);
    const p = fitLsaProjection(x, plain);
    expect(p.components).toBe(6);
    const e = project(x, p);
    const dense = x.toDense();
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(dot(e[i], e[j])).toBeCloseTo(dot(dense[i], dense[j]), 6);
  });

  it("leaves out dropped components and truncates to the dimension", () => {
    const x = randomRows(30, 40, 3);
    const p = fitLsaProjection(x, { ...plain, dimension: 5, dropComponents: 1 });
    expect(p.components).toBe(5);
    expect(p.projection.length).toBe(40 * 5);
    // The dropped first component is the corpus' dominant direction: the projections of the
    // rows now have mean close to zero relative to the full-LSA case.
    const full = project(x, fitLsaProjection(x, { ...plain, dimension: 5 }));
    const dropped = project(x, p);
    const meanNorm = (e: number[][]) => Math.hypot(...e[0].map((_, c) => e.reduce((s, r) => s + r[c], 0) / e.length));
    expect(meanNorm(dropped)).toBeLessThan(meanNorm(full));
  });

  it("with smoothing at full rank, maps each fitted row exactly to its smoothed target", () => {
    const x = randomRows(12, 40, 4);
    const options: LsaOptions = { ...plain, dimension: 12, smoothing: 1.5, smoothingNeighbors: 3, smoothingComponents: 12 };
    const p = fitLsaProjection(x, options);
    const smoothed = project(x, p).map(unit);
    const base = project(x, fitLsaProjection(x, { ...options, smoothing: 0 })).map(unit);
    const target = smoothTargets(Float64Array.from(base.flat()), 12, 12, 3, 1.5);
    for (let i = 0; i < 12; i++) {
      const t = Array.from(target.subarray(i * 12, i * 12 + 12));
      expect(dot(smoothed[i], t)).toBeCloseTo(1, 6);
    }
  });

  it("fits the smoothing map on a sample of documents when there are many", () => {
    const x = randomRows(60, 50, 5);
    const p = fitLsaProjection(x, {
      ...plain,
      dimension: 6,
      smoothing: 2,
      smoothingNeighbors: 4,
      smoothingComponents: 12,
      smoothingMaxDocuments: 25,
    });
    expect(p.components).toBe(6);
    expect(p.projection.every(Number.isFinite)).toBe(true);
    expect(p.projection.some((v) => v !== 0)).toBe(true);
  });

  it("returns no components for an empty matrix", () => {
    const x = SparseMatrix.fromRows([], 0);
    expect(fitLsaProjection(x, plain)).toEqual({ components: 0, projection: new Float32Array(0) });
  });
});

describe("smoothTargets", () => {
  it("adds β × the similarity-weighted mean of the nearest rows (hand-checked, k = 1)", () => {
    // a = (1, 0), b = (0.8, 0.6), c = (0, 1); a·b = 0.8, b·c = 0.6, a·c = 0.
    const rows = Float64Array.from([1, 0, 0.8, 0.6, 0, 1]);
    const t = smoothTargets(rows, 3, 2, 1, 1);
    const expectUnit = (i: number, v: [number, number]) => {
      const n = Math.hypot(...v);
      expect(t[i * 2]).toBeCloseTo(v[0] / n, 12);
      expect(t[i * 2 + 1]).toBeCloseTo(v[1] / n, 12);
    };
    expectUnit(0, [1.8, 0.6]); // a + b
    expectUnit(1, [1.8, 0.6]); // b + a (a is closer to b than c is)
    expectUnit(2, [0.8, 1.6]); // c + b
  });

  it("ignores neighbours with negative similarity", () => {
    const rows = Float64Array.from([1, 0, -1, 0]);
    const t = smoothTargets(rows, 2, 2, 1, 1);
    expect(Array.from(t)).toEqual([1, 0, -1, 0]);
  });
});
