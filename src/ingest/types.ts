import type { Paper } from "../paper.js";

/** The listing formats papermap reads. */
export type ListingFormat = "hf-text" | "hf-json" | "arxiv-atom" | "json" | "jsonl" | "csv";

/** Every format, in the order format detection considers them. */
export const LISTING_FORMATS: readonly ListingFormat[] = ["arxiv-atom", "hf-json", "json", "jsonl", "csv", "hf-text"];

/** Why a part of a listing was not turned into a paper as it stood. */
export type ParseWarningKind =
  /** A record with no title: skipped. */
  | "missing-title"
  /** A record with no abstract: skipped. */
  | "missing-abstract"
  /** A JSON/JSONL/CSV record that is not an object (a number, a list, ...): skipped. */
  | "not-a-record"
  /** A second record with the same id (same arXiv id, or same source id): skipped, the first kept. */
  | "duplicate-id"
  /** Two different papers (different abstracts) with the same title and no other id: the second gets `<slug>-2`. */
  | "duplicate-title"
  /** A field that could not be read (a date that is not a date, a negative upvote count): left out, the paper kept. */
  | "invalid-field"
  /** Text of a Hugging Face text listing that is neither a paper nor known page chrome: ignored. */
  | "unrecognised-text"
  /** Hugging Face text: a short paragraph read as an abstract, or as the continuation of the abstract before it. */
  | "ambiguous-paragraph"
  /** A metadata block (`• N authors`, `·`, date) that follows no paper: ignored. */
  | "orphan-metadata"
  /** A file that is not valid UTF-8 (Latin-1, Windows-1252): its undecodable bytes read as U+FFFD, the lines named. */
  | "invalid-encoding"
  /** A CSV field that runs over a line break into what looks like the next record (a missing closing quote?): kept as read. */
  | "merged-record";

/** One thing the parser skipped or changed, with where it is in the input. */
export interface ParseWarning {
  kind: ParseWarningKind;
  /** A complete sentence saying what was wrong and what was done about it. */
  message: string;
  /** 1-based line in the input, when known. */
  line?: number;
  /** 1-based record number (JSON element, JSONL line's record, CSV data row, Atom entry, listing paper). */
  record?: number;
  /** For `duplicate-id` / `duplicate-title`: the earlier record it collides with. */
  duplicateOf?: { id: string; line?: number; record?: number };
}

/** Options of {@link parsePapers} and {@link loadPapers}. */
export interface ParseOptions {
  /** The input's format; detected from the content when absent. */
  format?: ListingFormat;
  /**
   * Hugging Face text listings: the year of dates written without one (`Feb 11`). Default:
   * the listing's own date line if it shows a year, else the current year. A date that would
   * lie after the listing date belongs to the year before.
   */
  referenceYear?: number;
  /**
   * Hugging Face text listings: the day the listing was captured, `YYYY-MM-DD`. Default: the
   * date line in the page header (`Nov 21`) in `referenceYear`; without one, today when
   * `referenceYear` is not given, else the end of `referenceYear`.
   */
  listingDate?: string;
  /**
   * Called once for every warning. When absent, {@link parsePapers} and {@link loadPapers}
   * write warnings to stderr (`parseListing` / `readListing` return them instead).
   */
  onWarning?: (warning: ParseWarning) => void;
  /** Throw a {@link ParseError} at the first warning instead of skipping. Default false. */
  strict?: boolean;
  /** A name for the input used in messages (a file name). `loadPapers` sets it to the path. */
  source?: string;
}

/** Everything a parse produced: the papers and what was skipped on the way. */
export interface ParseResult {
  papers: Paper[];
  warnings: ParseWarning[];
  /** The format the input was read as. */
  format: ListingFormat;
  /** Hugging Face text listings: the listing date used for dates without a year, `YYYY-MM-DD`. */
  listingDate?: string;
}
