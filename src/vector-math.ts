/**
 * The few dense-vector helpers every stage needs (search, embedders, themes, reports), in
 * one place. Plain loops over array-likes: the same arithmetic, in the same order, as the
 * copies they replace, so results are unchanged bit for bit.
 */

/** Σ aᵢ·bᵢ over the length of `a` (`b` must be at least as long). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  const n = a.length;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean length. */
export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Scales `v` to unit length in place (a zero vector stays zero) and returns it. */
export function normalize<T extends Float32Array | Float64Array>(v: T): T {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

/** A unit-length Float64 copy (a zero vector stays zero). */
export function normalized(a: ArrayLike<number>): Float64Array {
  return normalize(Float64Array.from(a));
}

/** Dot product of two unit vectors: their cosine (0 when either is missing or the lengths differ). */
export function cosine(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b || a.length !== b.length) return 0;
  return dot(a, b);
}

/** True when every component is 0. */
export function isZero(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
}

/** The median of `xs` (0 when empty); `xs` is not changed. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `x` clamped to [0, 1]. */
export function clamp01(x: number): number {
  return x > 1 ? 1 : Math.max(x, 0);
}
