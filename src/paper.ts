/** One research paper, as every stage of papermap sees it. */
export interface Paper {
  /** Stable id: the arXiv id when known, else a slug of the title (unique within a listing). */
  id: string;
  title: string;
  /** Whitespace collapsed, HTML tags removed, entities decoded. */
  abstract: string;
  /** Author names, when the source has them. */
  authors?: string[];
  /** Number of authors, e.g. from "• 7 authors". */
  authorCount?: number;
  /** Organization line of a Hugging Face listing, e.g. "naver-ai NAVER AI Lab". */
  organization?: string;
  /** ISO date, YYYY-MM-DD. */
  published?: string;
  upvotes?: number;
  url?: string;
}

/** The text a paper is embedded and indexed as: `title + ". " + abstract`. */
export function paperText(paper: Pick<Paper, "title" | "abstract">): string {
  const title = paper.title.trim().replace(/[.!?:;]+$/, "");
  return `${title}. ${paper.abstract}`;
}
