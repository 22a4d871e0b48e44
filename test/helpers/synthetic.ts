import type { Embedder } from "../../src/embed/types.js";
import type { Paper } from "../../src/paper.js";

/**
 * A cheap deterministic embedder: a hashed bag of words (±1 per word in one of `dimension`
 * buckets), scaled to unit length. `calls` counts the texts it embedded. For tests and
 * benches that need many papers fast.
 */
export function hashingEmbedder(dimension: number, id = `test-hashing-${dimension}`): Embedder & { calls: number } {
  return {
    id,
    dimension,
    calls: 0,
    async embed(texts) {
      this.calls += texts.length;
      return texts.map((t) => {
        const v = new Float32Array(dimension);
        for (const w of t.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
          let h = 2166136261;
          for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
          v[(h >>> 0) % dimension] += (h & 1) === 0 ? 1 : -1;
        }
        const n = Math.hypot(...v);
        return n > 0 ? v.map((x) => x / n) : v;
      });
    },
  };
}

const WORDS = "token pruning speech codec masked image language vision audio graph robot retrieval diffusion tokenizer".split(" ");

/** `n` generated papers `p0`, `p1`, … with two-word topics, a unique number, and `upvotes` = i mod 10. */
export function syntheticPapers(n: number): Paper[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    title: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} study ${i}`,
    abstract: `${WORDS[(i * 3) % WORDS.length]} ${WORDS[(i * 5) % WORDS.length]} ${WORDS[(i * 11) % WORDS.length]} w${i % 997}`,
    upvotes: i % 10,
  }));
}
