/**
 * Ingest: turn the paper listings people have — a Hugging Face papers page copied as
 * text, Daily Papers API JSON, arXiv API Atom XML, JSON / JSONL / CSV exports — into clean
 * {@link Paper} records.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError, ParseError } from "../errors.js";
import type { Paper } from "../paper.js";
import { defaultNotice } from "../progress.js";
import { readArxivAtom } from "./arxiv-atom.js";
import { ParseContext } from "./context.js";
import { readCsv } from "./csv.js";
import { detect, type Detection } from "./detect.js";
import { readHfText } from "./hf-text.js";
import { readJson, readJsonl } from "./json.js";
import { finaliseRecords, type RawRecord } from "./records.js";
import { LISTING_FORMATS, type ListingFormat, type ParseOptions, type ParseResult } from "./types.js";

export type { ListingFormat, ParseOptions, ParseResult, ParseWarning, ParseWarningKind } from "./types.js";
export { LISTING_FORMATS } from "./types.js";
export { FIELD_NAMES } from "./fields.js";

/** The listing shipped with the package (82 Hugging Face papers about tokens and masking), as an absolute path. */
export const DEFAULT_LISTING_PATH: string = fileURLToPath(new URL("../../data/hf-papers-token-listing.txt", import.meta.url));

/** The shipped listing was captured on Nov 21, 2025: its dates without a year are from 2025 (or late 2024). */
export const DEFAULT_LISTING_REFERENCE_YEAR = 2025;

const FORMAT_NAMES: Record<ListingFormat, string> = {
  "hf-text": "a Hugging Face papers listing (text)",
  "hf-json": "Hugging Face Daily Papers JSON",
  "arxiv-atom": "arXiv Atom XML",
  json: "JSON",
  jsonl: "JSONL",
  csv: "CSV",
};

function checkOptions(options: ParseOptions): void {
  if (options.format !== undefined && !LISTING_FORMATS.includes(options.format)) {
    throw new InvalidArgumentError(`Unknown format "${String(options.format)}"; use one of ${LISTING_FORMATS.join(", ")}, or leave it out to detect the format from the content.`);
  }
}

/**
 * Parses a listing and returns the papers together with every warning (records skipped,
 * fields left out, duplicates), the format it was read as and, for Hugging Face text
 * listings, the listing date used for dates without a year.
 *
 * Warnings are returned, and also passed to `options.onWarning` when given; nothing is
 * printed. With `strict: true` the first warning is thrown as a {@link ParseError} instead.
 *
 * @throws {ParseError} empty input, an unknown format, malformed JSON/XML/CSV (with the
 *   line), an input whose records all lack a title or an abstract, or a warning in strict mode.
 * @throws {InvalidArgumentError} an unknown `format`, a bad `referenceYear` or `listingDate`.
 *
 * @example
 * ```ts
 * const { papers, warnings, format } = parseListing(csvText, { format: "csv" });
 * for (const w of warnings) console.warn(`line ${w.line}: ${w.message}`);
 * ```
 */
export function parseListing(text: string, options: ParseOptions = {}): ParseResult {
  return parseText(text, options);
}

/** {@link parseListing}, reusing a detection already made (and the JSON it parsed). */
function parseText(text: string, options: ParseOptions, detected?: Detection): ParseResult {
  if (typeof text !== "string") {
    throw new InvalidArgumentError(`parseListing expects the listing's text as a string; got ${text === null ? "null" : typeof text}. To read a file, use readListing(path).`);
  }
  checkOptions(options);
  const ctx = new ParseContext(options);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/\S/.test(body)) {
    throw ctx.error("the listing is empty: there is no text to read papers from.");
  }
  const detection: Detection = options.format ? { format: options.format } : (detected ?? detect(body, ctx));
  const format = detection.format;
  let records: RawRecord[];
  let listingDate: string | undefined;
  switch (format) {
    case "hf-text": {
      const result = readHfText(body, ctx);
      records = result.records;
      listingDate = result.listingDate;
      if (records.length === 0) {
        throw ctx.error(
          options.format
            ? "no papers found: a Hugging Face text listing has, per paper, a title line, a blank line and the abstract paragraph."
            : "unknown format: this is not arXiv Atom XML, JSON, JSONL or CSV with title and abstract columns, and no paper (a title line, a blank line, an abstract paragraph) was found in it as a Hugging Face text listing. Pass `format` if you know what it is.",
        );
      }
      break;
    }
    case "hf-json":
    case "json":
      records = readJson(body, ctx, format === "hf-json", detection.json);
      break;
    case "jsonl":
      records = readJsonl(body, ctx);
      break;
    case "csv":
      records = readCsv(body, ctx);
      break;
    case "arxiv-atom":
      records = readArxivAtom(body, ctx);
      break;
  }
  const papers = finaliseRecords(records, ctx);
  if (records.length > 0 && papers.length === 0) {
    const first = ctx.warnings[0]?.message ?? "";
    throw ctx.error(
      `none of the ${records.length} record${records.length === 1 ? "" : "s"} read as ${FORMAT_NAMES[format]} could be used${first ? ` (first problem: ${first})` : ""}. Each paper needs a title and an abstract.`,
    );
  }
  const result: ParseResult = { papers, warnings: ctx.warnings, format };
  if (listingDate !== undefined) result.listingDate = listingDate;
  return result;
}

/** Warnings go to `onWarning`, or to stderr when the caller gave none (never silently dropped). */
function withWarningSink(options: ParseOptions): ParseOptions {
  return options.onWarning ? options : { ...options, onWarning: (warning) => defaultNotice(warning.message) };
}

/**
 * Parses a listing given as text into papers. The format is detected from the content
 * unless `options.format` says it: `"hf-text"` (a Hugging Face papers page copied as text),
 * `"hf-json"` (Daily Papers API JSON), `"arxiv-atom"` (arXiv API Atom XML), `"json"`,
 * `"jsonl"`, `"csv"` (records with a title and an abstract).
 *
 * Records that cannot be used (no title, no abstract, a duplicate id) are skipped with a
 * warning passed to `options.onWarning` — written to stderr when no callback is given.
 *
 * @throws {ParseError} empty input, an unknown format, malformed JSON/XML/CSV (naming the
 *   line), every record unusable, or any warning when `strict` is set.
 * @throws {InvalidArgumentError} an unknown `format`, a bad `referenceYear` or `listingDate`.
 */
export function parsePapers(text: string, options: ParseOptions = {}): Paper[] {
  return parseListing(text, withWarningSink(options)).papers;
}

const EXTENSION_FORMATS: Record<string, ListingFormat> = {
  ".csv": "csv",
  ".tsv": "csv",
  ".json": "json",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
};

/** UTF-8 (with or without BOM), or UTF-16 when the file starts with a UTF-16 BOM. */
function decode(bytes: Buffer, path: string): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  } catch (error) {
    throw new ParseError(`Cannot decode the listing "${path}" as UTF-16 on this Node.js build; save it as UTF-8.`, {}, { cause: error });
  }
  return new TextDecoder("utf-8").decode(bytes);
}

/**
 * Reads a listing file and returns the papers, the warnings and the format (see
 * {@link parseListing}). The format is detected from the content; a `.csv`/`.tsv`/`.json`/
 * `.jsonl` extension is only used when the content looks like none of the structured
 * formats, so that a broken CSV or JSON file gets a CSV or JSON error message.
 *
 * @throws {ParseError} the file cannot be read (missing, a directory, no permission), or
 *   as {@link parseListing}.
 *
 * @example
 * ```ts
 * const { papers, warnings } = await readListing("daily-papers.json");
 * const library = await PaperLibrary.create(papers);
 * ```
 */
export async function readListing(path: string, options: ParseOptions = {}): Promise<ParseResult> {
  if (typeof path !== "string" || path === "") {
    throw new InvalidArgumentError("readListing expects the path of a listing file.");
  }
  checkOptions(options);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory, not a file" : code === "EACCES" || code === "EPERM" ? "permission denied" : (error as Error).message;
    throw new ParseError(`Cannot read the listing "${path}": ${reason}.`, {}, { cause: error });
  }
  const text = decode(bytes, path);
  const withSource: ParseOptions = { source: path, ...options };
  let detection: Detection | undefined;
  if (!options.format) {
    const hinted = EXTENSION_FORMATS[extname(path).toLowerCase()];
    if (hinted && /\S/.test(text)) {
      detection = detect(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, new ParseContext(withSource));
      if (detection.format === "hf-text") detection = { format: hinted };
    }
  }
  return parseText(text, withSource, detection);
}

/**
 * Reads a listing file into papers; see {@link parsePapers} for formats, options and
 * warnings.
 *
 * @throws {ParseError} the file cannot be read, or as {@link parsePapers}.
 */
export async function loadPapers(path: string, options: ParseOptions = {}): Promise<Paper[]> {
  return (await readListing(path, withWarningSink(options))).papers;
}

/**
 * The listing shipped with the package ({@link DEFAULT_LISTING_PATH}): 82 papers from
 * Hugging Face about tokens and masking, read with `referenceYear: 2025`.
 */
export async function loadDefaultListing(options: Pick<ParseOptions, "onWarning"> = {}): Promise<Paper[]> {
  return loadPapers(DEFAULT_LISTING_PATH, { format: "hf-text", referenceYear: DEFAULT_LISTING_REFERENCE_YEAR, ...options });
}
