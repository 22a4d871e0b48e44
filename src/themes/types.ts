import type { Paper } from "../paper.js";

/** One named group of papers. */
export interface Theme {
  id: string;
  /**
   * 1–4 words a researcher would write, e.g. "visual token pruning": a phrase most of the
   * theme's papers share and the rest of the listing mostly lacks (see `labelCoverage`).
   * Unique among the themes of one result.
   */
  label: string;
  /**
   * Up to 3 phrases that each name a visible group of papers inside the theme, largest group
   * first ("medical imaging" — "segmentation", "registration", "pathology foundation models").
   */
  subtopics: string[];
  /** 5–10 distinctive phrases, most distinctive first, no near-duplicates, none repeating the label or a sub-topic. */
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
