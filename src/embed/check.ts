import { InvalidArgumentError } from "../errors.js";
import { dot } from "../vector-math.js";
import type { EmbedKind, Embedder } from "./types.js";

/** How far a query vector's length may be from 1 before it is scaled to unit length. */
const UNIT_TOLERANCE = 1e-4;

/**
 * Checks what `embedder.embed` returned for `count` texts of kind `kind`: an array of
 * `count` vectors, each an array (or typed array) of `embedder.dimension` finite numbers.
 * Returns them as Float32Arrays; with `unit: true` each is scaled to unit length (a vector
 * already of length 1 within 1e-4 is kept as it is; a zero vector stays zero: it is
 * similar to nothing). Anything else throws {@link InvalidArgumentError} naming the
 * embedder, the text and what was wrong.
 *
 * Documents and queries go through this one check, so a custom embedder is held to the
 * same rules for both.
 */
export function checkEmbeddings(
  embedder: Embedder,
  vectors: unknown,
  count: number,
  kind: EmbedKind,
  options: { unit?: boolean } = {},
): Float32Array[] {
  const who = `The embedder "${embedder.id}"`;
  const texts = kind === "query" ? "query" : count === 1 ? "document" : `${count} documents`;
  const rule = `embed() must resolve to an array holding one vector of ${embedder.dimension} finite numbers per text`;
  if (!Array.isArray(vectors)) {
    throw new InvalidArgumentError(`${who} returned ${describe(vectors)} for the ${texts}; ${rule}.`);
  }
  if (vectors.length !== count) {
    throw new InvalidArgumentError(`${who} returned ${vectors.length} vector(s) for the ${texts} (${count} text(s)); ${rule}.`);
  }
  return vectors.map((v: unknown, i) => {
    const which = kind === "query" ? "the query" : `document ${i + 1} of ${count}`;
    if (v === null || typeof v !== "object" || typeof (v as ArrayLike<number>).length !== "number") {
      throw new InvalidArgumentError(`${who} returned ${describe(v)} as the vector of ${which}; ${rule}.`);
    }
    const array = v as ArrayLike<unknown>;
    if (array.length !== embedder.dimension) {
      throw new InvalidArgumentError(
        `${who} returned a vector of ${array.length} components for ${which}, but it declares dimension ${embedder.dimension}; ${rule}.`,
      );
    }
    const out = new Float32Array(array.length);
    for (let j = 0; j < array.length; j++) {
      const x = array[j];
      if (typeof x !== "number" || !Number.isFinite(x) || !Number.isFinite(Math.fround(x))) {
        throw new InvalidArgumentError(
          `${who} returned a non-finite component (${String(x)}) at position ${j} of the vector of ${which}; ${rule}.`,
        );
      }
      out[j] = x;
    }
    if (options.unit) {
      const length = Math.sqrt(dot(out, out));
      if (length > 0 && Math.abs(length - 1) > UNIT_TOLERANCE) for (let j = 0; j < out.length; j++) out[j] /= length;
    }
    return out;
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  return `a ${typeof value}`;
}
