/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same
 * sequence on every platform, which keeps fitted models reproducible.
 * Returns numbers uniform in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box–Muller) drawn from a uniform generator. */
export function gaussianSampler(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * `count` items of `list` drawn without replacement (a partial Fisher–Yates shuffle of a
 * copy, driven by `rand`): the same generator state gives the same sample.
 */
export function seededSample<T>(list: readonly T[], count: number, rand: () => number): T[] {
  const out = [...list];
  const take = Math.min(count, out.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(rand() * (out.length - i));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out.slice(0, take);
}
