import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/text/random.js";
import { SparseMatrix, type DenseMatrix } from "../../src/text/sparse.js";
import { orthonormalizeColumns, randomizedSvd } from "../../src/text/svd.js";

const col = (m: DenseMatrix, j: number) => Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

/** U diag(s) Vᵀ from given orthonormal columns. */
function compose(u: number[][], s: number[], v: number[][]): number[][] {
  return u.map((_, i) => v.map((_, j) => s.reduce((acc, sk, k) => acc + u[i][k] * sk * v[j][k], 0)));
}

describe("randomizedSvd", () => {
  // A 6×5 matrix of rank 3 with singular values 5, 3, 1, built from hand-made orthonormal vectors.
  const h = 0.5;
  const r2 = Math.SQRT1_2;
  const u = [
    [h, h, h],
    [h, -h, h],
    [h, h, -h],
    [h, -h, -h],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const v = [
    [r2, 0, 0],
    [r2, 0, 0],
    [0, 1, 0],
    [0, 0, r2],
    [0, 0, -r2],
  ];
  const a = compose(u, [5, 3, 1], v);

  it("recovers the singular values and reconstructs a known low-rank matrix", () => {
    const svd = randomizedSvd(SparseMatrix.fromDense(a), 3, { seed: 7 });
    expect(Array.from(svd.s)).toEqual([expect.closeTo(5, 10), expect.closeTo(3, 10), expect.closeTo(1, 10)]);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 5; j++) {
        let x = 0;
        for (let k = 0; k < 3; k++) x += svd.u.data[i * 3 + k] * svd.s[k] * svd.v.data[j * 3 + k];
        expect(x).toBeCloseTo(a[i][j], 10);
      }
    }
    // Singular vectors match the construction up to sign (fixed by the sign convention).
    for (let k = 0; k < 3; k++) {
      expect(
        Math.abs(
          dot(
            col(svd.u, k),
            u.map((r) => r[k]),
          ),
        ),
      ).toBeCloseTo(1, 10);
      expect(
        Math.abs(
          dot(
            col(svd.v, k),
            v.map((r) => r[k]),
          ),
        ),
      ).toBeCloseTo(1, 10);
    }
  });

  it("returns zero components beyond the rank of the matrix", () => {
    const svd = randomizedSvd(SparseMatrix.fromDense(a), 5, { seed: 7 });
    expect(svd.s.length).toBe(5);
    expect(svd.s[3]).toBe(0);
    expect(svd.s[4]).toBe(0);
    expect(col(svd.v, 4).every((x) => x === 0)).toBe(true);
  });

  it("matches a full SVD on the leading components of a random sparse matrix", () => {
    const rand = seededRandom(3);
    const rows = Array.from({ length: 40 }, () => Array.from({ length: 30 }, () => (rand() < 0.2 ? rand() : 0)));
    const exact = new SingularValueDecomposition(new Matrix(rows), { autoTranspose: true }).diagonal;
    const svd = randomizedSvd(SparseMatrix.fromDense(rows), 5, { seed: 11, powerIterations: 6 });
    for (let k = 0; k < 5; k++) expect(svd.s[k]).toBeCloseTo(exact[k], 6);
    for (let p = 0; p < 5; p++) {
      for (let q = 0; q < 5; q++) {
        expect(dot(col(svd.u, p), col(svd.u, q))).toBeCloseTo(p === q ? 1 : 0, 9);
        expect(dot(col(svd.v, p), col(svd.v, q))).toBeCloseTo(p === q ? 1 : 0, 9);
      }
    }
  });

  it("is deterministic for a seed and caps the rank at the matrix size", () => {
    const m = SparseMatrix.fromDense([
      [1, 0, 2],
      [0, 3, 0],
    ]);
    const a1 = randomizedSvd(m, 10, { seed: 5 });
    const a2 = randomizedSvd(m, 10, { seed: 5 });
    expect(a1.s.length).toBe(2);
    expect(Array.from(a1.u.data)).toEqual(Array.from(a2.u.data));
    // Rows (1,0,2) and (0,3,0) are orthogonal: singular values are their norms, largest first.
    expect(a1.s[0]).toBeCloseTo(3, 10);
    expect(a1.s[1]).toBeCloseTo(Math.sqrt(5), 10);
  });

  it("rejects a rank below 1", () => {
    expect(() => randomizedSvd(SparseMatrix.fromDense([[1]]), 0)).toThrow(RangeError);
  });
});

describe("orthonormalizeColumns", () => {
  it("gives orthonormal columns spanning the same space, zeroing dependent ones", () => {
    const y = { rows: 3, cols: 3, data: Float64Array.from([1, 2, 1, 0, 0, 0, 1, 2, 0]) };
    // columns: (1,0,1), (2,0,2) = 2·first, (1,0,0)
    const q = orthonormalizeColumns(y);
    expect(dot(col(q, 0), col(q, 0))).toBeCloseTo(1, 12);
    expect(col(q, 1)).toEqual([0, 0, 0]);
    expect(dot(col(q, 2), col(q, 2))).toBeCloseTo(1, 12);
    expect(dot(col(q, 0), col(q, 2))).toBeCloseTo(0, 12);
  });
});
