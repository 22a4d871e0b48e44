/**
 * Ingest: turn the paper listings people have — a Hugging Face papers page copied as
 * text, Daily Papers API JSON, arXiv API Atom XML, JSON / JSONL / CSV exports — into clean
 * {@link Paper} records.
 */
import { isUtf8 } from "node:buffer";
import { open, readFile } from "node:fs/promises";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError, ParseError } from "../errors.js";
import type { Paper } from "../paper.js";
import { defaultNotice } from "../progress.js";
import { readArxivAtom } from "./arxiv-atom.js";
import { ParseContext } from "./context.js";
import { readCsv } from "./csv.js";
import { detect, DETECTION_PREFIX, hasLineBreak, isHfJson, type Detection } from "./detect.js";
import { readHfText } from "./hf-text.js";
import { parseJsonText, readJson, readJsonl } from "./json.js";
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
    throw new InvalidArgumentError(
      `Unknown format "${String(options.format)}"; use one of ${LISTING_FORMATS.join(", ")}, or leave it out to detect the format from the content.`,
    );
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

const UNKNOWN_FORMAT =
  "unknown format: this is not arXiv Atom XML, JSON, JSONL or CSV with title and abstract columns, and no paper (a title line, a blank line, an abstract paragraph) was found in it as a Hugging Face text listing. Pass `format` if you know what it is.";

/** The error for text whose first {@link DETECTION_PREFIX} characters hold no line break and no structured format. */
function oneLongLine(ctx: ParseContext): ParseError {
  return ctx.error(
    `unknown format: the first ${DETECTION_PREFIX.toLocaleString("en-US")} characters hold no line break, and this is not arXiv Atom XML, JSON or JSONL; a Hugging Face text listing or a CSV file has one short line per title or record. Pass \`format\` if you know what it is.`,
  );
}

/** {@link parseListing}, reusing a detection already made (and the JSON it parsed) and the context holding earlier warnings. */
function parseText(text: string, options: ParseOptions, detected?: Detection, context?: ParseContext): ParseResult {
  if (typeof text !== "string") {
    throw new InvalidArgumentError(
      `parseListing expects the listing's text as a string; got ${text === null ? "null" : typeof text}. To read a file, use readListing(path).`,
    );
  }
  checkOptions(options);
  const ctx = context ?? new ParseContext(options);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/\S/.test(body)) {
    throw ctx.error("the listing is empty: there is no text to read papers from.");
  }
  const detection: Detection = options.format ? { format: options.format } : (detected ?? detect(body, ctx));
  if (!options.format && detection.format === "hf-text" && body.length > DETECTION_PREFIX && !hasLineBreak(body)) throw oneLongLine(ctx);
  let format = detection.format;
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
            : UNKNOWN_FORMAT,
        );
      }
      break;
    }
    case "hf-json":
    case "json": {
      const value = detection.json ? detection.json.value : parseJsonText(body, ctx);
      if (format === "json" && detection.jsonMayBeHf && isHfJson(value)) format = "hf-json";
      records = readJson(body, ctx, format === "hf-json", { value });
      break;
    }
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
function decode(bytes: Uint8Array, path: string): string {
  try {
    if (isUtf16(bytes)) return new TextDecoder(bytes[0] === 0xff ? "utf-16le" : "utf-16be").decode(bytes.subarray(2));
  } catch (error) {
    throw new ParseError(`Cannot decode the listing "${path}" as UTF-16 on this Node.js build; save it as UTF-8.`, {}, { cause: error });
  }
  return new TextDecoder("utf-8").decode(bytes);
}

function isUtf16(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/**
 * The 1-based lines holding bytes that are not UTF-8 (at most `max` of them), and how many
 * lines do. Overlong forms and surrogates count as invalid, as for the decoder.
 */
export function invalidUtf8Lines(bytes: Uint8Array, max = 5): { lines: number[]; count: number } {
  const lines: number[] = [];
  let count = 0;
  let line = 1;
  let lastBad = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b === 0x0a) line++;
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      const lo = k === 1 && b === 0xe0 ? 0xa0 : k === 1 && b === 0xf0 ? 0x90 : 0x80;
      const hi = k === 1 && b === 0xed ? 0x9f : k === 1 && b === 0xf4 ? 0x8f : 0xbf;
      ok = c !== undefined && c >= lo && c <= hi;
    }
    if (ok) {
      i += need + 1;
      continue;
    }
    if (line !== lastBad) {
      count++;
      if (lines.length < max) lines.push(line);
      lastBad = line;
    }
    i++;
  }
  return { lines, count };
}

/** Warns (once, naming the lines) when the file is not valid UTF-8; the text is kept as decoded. */
function checkEncoding(bytes: Uint8Array, ctx: ParseContext): void {
  if (isUtf16(bytes) || isUtf8(bytes)) return;
  const { lines, count } = invalidUtf8Lines(bytes);
  if (lines.length === 0) return;
  const others = lines.slice(1);
  const more = count - lines.length;
  const also =
    others.length > 0
      ? ` (also line${others.length + more === 1 ? "" : "s"} ${others.join(", ")}${more > 0 ? ` and ${more} more` : ""})`
      : "";
  ctx.warn({
    kind: "invalid-encoding",
    message: `Line ${lines[0]} is not valid UTF-8${also}: its undecodable bytes were read as "\uFFFD". The file is probably in another encoding (Latin-1, Windows-1252); save it as UTF-8.`,
    line: lines[0],
  });
}

/** Reads up to `length` bytes from the start of a file, and whether that is the whole file. */
async function readStart(path: string, length: number): Promise<{ bytes: Buffer; complete: boolean }> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length + 1);
    const { bytesRead } = await handle.read(buffer, 0, length + 1, 0);
    return { bytes: buffer.subarray(0, Math.min(bytesRead, length)), complete: bytesRead <= length };
  } finally {
    await handle.close();
  }
}

function readError(path: string, error: unknown): ParseError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EISDIR"
        ? "it is a directory, not a file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : (error as Error).message;
  return new ParseError(`Cannot read the listing "${path}": ${reason}.`, {}, { cause: error });
}

/**
 * Reads a listing file and returns the papers, the warnings and the format (see
 * {@link parseListing}). The format is detected from the start of the file (so a file
 * that is no listing fails fast, whatever its size); a `.csv`/`.tsv`/`.json`/`.jsonl`
 * extension is only used when the content looks like none of the structured formats, so
 * that a broken CSV or JSON file gets a CSV or JSON error message. A file that is not
 * valid UTF-8 is read anyway, with an `invalid-encoding` warning naming the lines.
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
  const withSource: ParseOptions = { source: path, ...options };
  const ctx = new ParseContext(withSource);
  let start: { bytes: Buffer; complete: boolean };
  try {
    start = await readStart(path, DETECTION_PREFIX);
  } catch (error) {
    throw readError(path, error);
  }
  let detection: Detection | undefined;
  if (!options.format && !isUtf16(start.bytes)) {
    const head = new TextDecoder("utf-8").decode(start.bytes).replace(/^\uFEFF/, "");
    if (/\S/.test(head)) {
      detection = detect(head, ctx, start.complete);
      if (detection.format === "hf-text" && !start.complete && !hasLineBreak(head)) throw oneLongLine(ctx);
      const hinted = EXTENSION_FORMATS[extname(path).toLowerCase()];
      if (hinted && detection.format === "hf-text") detection = { format: hinted };
    }
  }
  let bytes: Uint8Array = start.bytes;
  if (!start.complete) {
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw readError(path, error);
    }
  }
  checkEncoding(bytes, ctx);
  return parseText(decode(bytes, path), withSource, detection, ctx);
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
