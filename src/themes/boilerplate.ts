/**
 * Boilerplate learned from a listing: phrases spread evenly over all themes ("et al", "in
 * this paper", "code is available", a field's stock wording) say nothing about any one theme,
 * so they may never name one.
 */

/** What {@link learnBoilerplate} looks at. */
export interface PhraseSpread {
  /** Per paper: the phrase keys it holds. */
  perPaper: readonly ReadonlyMap<string, unknown>[];
  /** Per theme: indices into `perPaper`. */
  groups: readonly (readonly number[])[];
}

/**
 * Phrase keys found evenly across the themes: in at least 60% of the themes of 3 or more
 * papers, and in none of them at more than twice the listing-wide rate (so no theme owns
 * it). Phrases in fewer than max(3, 2% of the papers) papers are not judged. Needs at least
 * three themes of 3 or more papers (with fewer, nothing is learned).
 */
export function learnBoilerplate({ perPaper, groups }: PhraseSpread): Set<string> {
  const out = new Set<string>();
  const themes = groups.filter((g) => g.length >= 3);
  if (themes.length < 3) return out;
  const n = themes.reduce((s, g) => s + g.length, 0);
  const minDf = Math.max(3, Math.ceil(0.02 * n));
  // Phrase → papers per theme.
  const counts = new Map<string, Int32Array>();
  themes.forEach((g, t) => {
    for (const i of g) {
      for (const key of perPaper[i].keys()) {
        let c = counts.get(key);
        if (!c) counts.set(key, (c = new Int32Array(themes.length)));
        c[t]++;
      }
    }
  });
  for (const [key, c] of counts) {
    let df = 0;
    let present = 0;
    for (let t = 0; t < c.length; t++) {
      df += c[t];
      if (c[t] > 0) present++;
    }
    if (df < minDf || present < 0.6 * themes.length) continue;
    const rate = df / n;
    let maxRatio = 0;
    for (let t = 0; t < c.length; t++) maxRatio = Math.max(maxRatio, c[t] / themes[t].length / rate);
    if (maxRatio <= 2) out.add(key);
  }
  return out;
}
