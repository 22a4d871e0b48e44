import { describe, expect, it } from "vitest";
import { createRandom, dot, norm, topEigenpairs, type SymmetricOperator } from "../../src/themes/linalg.js";

/** A = Q·diag(values)·Q with Q = I − 2uuᵀ (a Householder reflection): known eigenpairs Q·e_i. */
function reflectedDiagonal(values: number[], seed: number): { op: SymmetricOperator; vector: (i: number) => Float64Array } {
  const n = values.length;
  const random = createRandom(seed);
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = random() - 0.5;
  const l = norm(u);
  for (let i = 0; i < n; i++) u[i] /= l;
  const reflect = (x: Float64Array) => {
    const c = 2 * dot(u, x);
    return x.map((v, i) => v - c * u[i]);
  };
  return {
    op: {
      size: n,
      apply(x, out) {
        const y = reflect(x);
        for (let i = 0; i < n; i++) y[i] *= values[i];
        out.set(reflect(y));
      },
    },
    vector(i) {
      const e = new Float64Array(n);
      e[i] = 1;
      return reflect(e);
    },
  };
}

describe("createRandom", () => {
  it("repeats its sequence for a seed and stays in [0, 1)", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // Roughly uniform: mean near 1/2.
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.05);
  });
});

describe("topEigenpairs", () => {
  for (const n of [60, 900]) {
    it(`finds the largest eigenpairs of a ${n}×${n} symmetric operator (${n <= 400 ? "dense" : "Lanczos"})`, () => {
      const random = createRandom(3);
      const values = Array.from({ length: n }, () => random() * 0.8 - 0.4);
      const top = [3, 2.5, 2, 1.6, 1.3];
      top.forEach((v, j) => (values[10 * j + 1] = v));
      const { op, vector } = reflectedDiagonal(values, 11);
      const pairs = topEigenpairs(op, 5, { seed: 5 });
      expect(pairs.values.length).toBe(5);
      pairs.values.forEach((v, j) => expect(v).toBeCloseTo(top[j], 8));
      pairs.vectors.forEach((v, j) => {
        expect(norm(v)).toBeCloseTo(1, 10);
        expect(Math.abs(dot(v, vector(10 * j + 1)))).toBeCloseTo(1, 6);
        const av = new Float64Array(n);
        op.apply(v, av);
        for (let i = 0; i < n; i++) av[i] -= pairs.values[j] * v[i];
        expect(norm(av)).toBeLessThan(1e-6);
      });
    });
  }

  it("gives the same vectors, with the same signs, on every call", () => {
    const values = Array.from({ length: 500 }, (_, i) => (i < 4 ? 4 - i : 0.1 * Math.sin(i)));
    const { op } = reflectedDiagonal(values, 2);
    const a = topEigenpairs(op, 4, { seed: 9 });
    const b = topEigenpairs(op, 4, { seed: 9 });
    expect(b.values).toEqual(a.values);
    expect(b.vectors.map((v) => Array.from(v))).toEqual(a.vectors.map((v) => Array.from(v)));
  });

  it("handles asking for more pairs than the size, and for none", () => {
    const { op } = reflectedDiagonal([1, 2, 3], 1);
    expect(topEigenpairs(op, 10).values.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([3, 2, 1]);
    expect(topEigenpairs(op, 0)).toEqual({ values: [], vectors: [] });
  });
});
