/** Everything a library persists besides papers, vectors and keyword index. */
export interface LibraryState {
  /** Named sets of paper ids (e.g. liked papers), owned by src/recommend/. */
  collections: Record<string, string[]>;
  /** The living themes (opaque JSON owned by src/themes/living.ts), null before first use. */
  themes: unknown | null;
}

/** The state of a new library: no collections, no themes. */
export function emptyState(): LibraryState {
  return { collections: {}, themes: null };
}

/**
 * Checks the envelope of a saved `state.json` (an object with a `collections` object and a
 * `themes` entry) and returns it as a {@link LibraryState}. The sections themselves are
 * checked by their owners. Returns a description of the problem instead when malformed.
 */
export function parseStateEnvelope(raw: unknown): LibraryState | string {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return "it is not a JSON object";
  const r = raw as Record<string, unknown>;
  const collections = r.collections ?? {};
  if (collections === null || typeof collections !== "object" || Array.isArray(collections)) {
    return `"collections" is not an object of named id lists`;
  }
  const themes = r.themes === undefined ? null : r.themes;
  return { collections: collections as Record<string, string[]>, themes };
}
