import type { Paper } from "../paper.js";

/** One named group of papers. */
export interface Theme {
  id: string;
  /** 1–4 words a researcher would write, e.g. "visual token pruning". */
  label: string;
  /** 5–10 distinctive phrases, most distinctive first, no near-duplicates. */
  keywords: string[];
  size: number;
  /** Members, closest to the theme's centre first. */
  papers: Paper[];
  /** The 3 most typical papers. */
  representative: Paper[];
}

export interface ThemeAssignment {
  themeId: string;
  /** In [0, 1]: how clearly the paper belongs to its theme (low = far from every centre). */
  confidence: number;
}

export interface ThemeResult {
  themes: Theme[];
  assignments: Map<string, ThemeAssignment>;
}
