import { describe, expect, it } from "vitest";
import { normalizeSparseRow, SparseMatrix } from "../../src/text/sparse.js";

const m = SparseMatrix.fromDense([
  [1, 0, 2],
  [0, 0, 0],
  [0, 3, 4],
]);

describe("SparseMatrix", () => {
  it("stores only non-zero entries in CSR form", () => {
    expect(m.nnz).toBe(4);
    expect(Array.from(m.indptr)).toEqual([0, 2, 2, 4]);
    expect(Array.from(m.indices)).toEqual([0, 2, 1, 2]);
    expect(m.get(2, 1)).toBe(3);
    expect(m.get(1, 1)).toBe(0);
    expect(m.toDense()).toEqual([
      [1, 0, 2],
      [0, 0, 0],
      [0, 3, 4],
    ]);
  });

  it("multiplies by a dense matrix, and its transpose does too", () => {
    const b = { rows: 3, cols: 2, data: Float64Array.from([1, 2, 3, 4, 5, 6]) }; // [[1,2],[3,4],[5,6]]
    expect(Array.from(m.multiplyDense(b).data)).toEqual([11, 14, 0, 0, 29, 36]);
    const c = { rows: 3, cols: 1, data: Float64Array.from([1, 2, 3]) };
    // mᵀ · (1,2,3) = (1, 9, 2 + 12)
    expect(Array.from(m.transposeMultiplyDense(c).data)).toEqual([1, 9, 14]);
  });

  it("rejects mismatched shapes and unsorted rows", () => {
    expect(() => m.multiplyDense({ rows: 2, cols: 1, data: new Float64Array(2) })).toThrow(RangeError);
    expect(() => SparseMatrix.fromRows([{ indices: Int32Array.from([2, 1]), values: Float64Array.from([1, 1]) }], 3)).toThrow(RangeError);
    expect(() => SparseMatrix.fromRows([{ indices: Int32Array.from([3]), values: Float64Array.from([1]) }], 3)).toThrow(RangeError);
  });

  it("selects rows", () => {
    expect(m.selectRows([2, 0]).toDense()).toEqual([
      [0, 3, 4],
      [1, 0, 2],
    ]);
  });
});

describe("normalizeSparseRow", () => {
  it("scales to unit length and leaves an empty row alone", () => {
    const row = { indices: Int32Array.from([0, 1]), values: Float64Array.from([3, 4]) };
    normalizeSparseRow(row);
    expect(row.values[0]).toBeCloseTo(0.6, 12);
    expect(row.values[1]).toBeCloseTo(0.8, 12);
    const empty = { indices: new Int32Array(0), values: new Float64Array(0) };
    normalizeSparseRow(empty);
    expect(empty.values.length).toBe(0);
  });
});
