/**
 * A dense matrix stored row-major in a Float64Array: entry (i, j) is `data[i * cols + j]`.
 */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A new all-zero dense matrix. */
export function zerosDense(rows: number, cols: number): DenseMatrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** One sparse row: parallel arrays of column indices (strictly increasing) and values. */
export interface SparseRow {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/**
 * A sparse matrix in compressed sparse row (CSR) form. Row `i` holds the entries
 * `indices[indptr[i] .. indptr[i+1])` with the matching `values`; column indices are
 * strictly increasing within a row.
 */
export class SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;

  constructor(rows: number, cols: number, indptr: Int32Array, indices: Int32Array, values: Float64Array) {
    if (indptr.length !== rows + 1) throw new RangeError(`indptr must have ${rows + 1} entries, got ${indptr.length}`);
    if (indices.length !== values.length) throw new RangeError("indices and values must have the same length");
    if (indptr[rows] !== indices.length) throw new RangeError("indptr does not match the number of stored entries");
    this.rows = rows;
    this.cols = cols;
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
  }

  /** Builds a matrix from sparse rows (each with increasing column indices). */
  static fromRows(rows: readonly SparseRow[], cols: number): SparseMatrix {
    const indptr = new Int32Array(rows.length + 1);
    let nnz = 0;
    rows.forEach((r, i) => {
      nnz += r.indices.length;
      indptr[i + 1] = nnz;
    });
    const indices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    rows.forEach((r, i) => {
      for (let k = 0; k < r.indices.length; k++) {
        const c = r.indices[k];
        if (c < 0 || c >= cols) throw new RangeError(`column ${c} out of range [0, ${cols})`);
        if (k > 0 && c <= r.indices[k - 1]) throw new RangeError("column indices must be strictly increasing in a row");
      }
      indices.set(r.indices, indptr[i]);
      values.set(r.values, indptr[i]);
    });
    return new SparseMatrix(rows.length, cols, indptr, indices, values);
  }

  /** Builds a sparse matrix from a dense row-major array of arrays (zeros are not stored). */
  static fromDense(rows: readonly (readonly number[])[]): SparseMatrix {
    const cols = rows.length > 0 ? rows[0].length : 0;
    return SparseMatrix.fromRows(
      rows.map((r) => {
        const idx: number[] = [];
        const val: number[] = [];
        r.forEach((v, j) => {
          if (v !== 0) {
            idx.push(j);
            val.push(v);
          }
        });
        return { indices: Int32Array.from(idx), values: Float64Array.from(val) };
      }),
      cols,
    );
  }

  /** Number of stored entries. */
  get nnz(): number {
    return this.indices.length;
  }

  /** Entry (i, j) (0 when not stored). */
  get(i: number, j: number): number {
    for (let k = this.indptr[i]; k < this.indptr[i + 1]; k++) if (this.indices[k] === j) return this.values[k];
    return 0;
  }

  /** Row i as a sparse row (views, not copies). */
  row(i: number): SparseRow {
    const a = this.indptr[i];
    const b = this.indptr[i + 1];
    return { indices: this.indices.subarray(a, b), values: this.values.subarray(a, b) };
  }

  /** A copy of this matrix with the given rows in the given order. */
  selectRows(rowIndices: readonly number[]): SparseMatrix {
    return SparseMatrix.fromRows(
      rowIndices.map((i) => {
        const r = this.row(i);
        return { indices: r.indices.slice(), values: r.values.slice() };
      }),
      this.cols,
    );
  }

  /** This matrix as dense rows (for tests and tiny matrices). */
  toDense(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) {
      const r = new Array<number>(this.cols).fill(0);
      for (let k = this.indptr[i]; k < this.indptr[i + 1]; k++) r[this.indices[k]] = this.values[k];
      out.push(r);
    }
    return out;
  }

  /** `this × B` for a dense B with `this.cols` rows. */
  multiplyDense(b: DenseMatrix): DenseMatrix {
    if (b.rows !== this.cols) throw new RangeError(`cannot multiply ${this.rows}×${this.cols} by ${b.rows}×${b.cols}`);
    const k = b.cols;
    const out = new Float64Array(this.rows * k);
    const bd = b.data;
    for (let i = 0; i < this.rows; i++) {
      const o = i * k;
      for (let p = this.indptr[i]; p < this.indptr[i + 1]; p++) {
        const a = this.values[p];
        const r = this.indices[p] * k;
        for (let c = 0; c < k; c++) out[o + c] += a * bd[r + c];
      }
    }
    return { rows: this.rows, cols: k, data: out };
  }

  /** `thisᵀ × B` for a dense B with `this.rows` rows. */
  transposeMultiplyDense(b: DenseMatrix): DenseMatrix {
    if (b.rows !== this.rows) throw new RangeError(`cannot multiply (${this.rows}×${this.cols})ᵀ by ${b.rows}×${b.cols}`);
    const k = b.cols;
    const out = new Float64Array(this.cols * k);
    const bd = b.data;
    for (let i = 0; i < this.rows; i++) {
      const r = i * k;
      for (let p = this.indptr[i]; p < this.indptr[i + 1]; p++) {
        const a = this.values[p];
        const o = this.indices[p] * k;
        for (let c = 0; c < k; c++) out[o + c] += a * bd[r + c];
      }
    }
    return { rows: this.cols, cols: k, data: out };
  }
}

/** Scales a sparse row in place to unit Euclidean length (an all-zero row stays zero). */
export function normalizeSparseRow(row: SparseRow): void {
  let s = 0;
  for (let k = 0; k < row.values.length; k++) s += row.values[k] * row.values[k];
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let k = 0; k < row.values.length; k++) row.values[k] *= inv;
}
