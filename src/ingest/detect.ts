import type { ParseContext } from "./context.js";
import { firstLine, looksLikeCsvHeader } from "./csv.js";
import { isHfEntry } from "./json.js";
import type { ListingFormat } from "./types.js";

/** The detected format, and the parsed JSON document when detection had to parse it. */
export interface Detection {
  format: ListingFormat;
  json?: { value: unknown };
  /**
   * A JSON document too long to parse during detection: `format` is "json", and the parser
   * reads it as Hugging Face Daily Papers JSON if its entries turn out to be.
   */
  jsonMayBeHf?: boolean;
}

/** How much of the input detection looks at (characters). */
export const DETECTION_PREFIX = 64 * 1024;

/** `[` or `{` followed by what JSON can hold there (so `[CLS] Token ...` stays a text listing). */
const JSON_START = /^(?:\[\s*(?:[{["\]\d-]|true|false|null)|\{\s*["}])/;

/** Whether a parsed JSON document holds Hugging Face Daily Papers entries. */
export function isHfJson(value: unknown): boolean {
  const items = Array.isArray(value)
    ? value
    : value && typeof value === "object"
      ? (Object.values(value).find(Array.isArray) ?? [value])
      : [];
  return (items as unknown[]).slice(0, 50).some(isHfEntry);
}

function parsesAsObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Whether a text has a line break within its first `limit` characters. */
export function hasLineBreak(text: string, limit = DETECTION_PREFIX): boolean {
  const head = text.length > limit ? text.slice(0, limit) : text;
  return head.includes("\n") || head.includes("\r");
}

/**
 * Detects the format from the content, looking only at its first {@link DETECTION_PREFIX}
 * characters (`text` may be just the start of a longer input: `complete` false): Atom XML (`<feed`), JSON (Hugging Face Daily Papers
 * when its entries carry a `paper` object), JSONL (one object per line), CSV/TSV (a header
 * with a title and an abstract column), else a Hugging Face text listing. PDFs, binary
 * files, HTML pages and RSS are refused with a ParseError that says what to do instead.
 */
export function detect(text: string, ctx: ParseContext, complete = text.length <= DETECTION_PREFIX): Detection {
  const prefix = text.length > DETECTION_PREFIX ? text.slice(0, DETECTION_PREFIX) : text;
  const head = prefix.slice(0, 4096);
  if (head.startsWith("%PDF-")) {
    throw ctx.error(
      "this is a PDF file, not a paper listing. Give a listing: copied Hugging Face papers text, Daily Papers JSON, arXiv Atom XML, or JSON/JSONL/CSV records with a title and an abstract.",
    );
  }
  if (/[\u0000-\u0008\u000E-\u001A]/.test(head)) {
    throw ctx.error(
      "this looks like a binary file (it contains control characters), not a text listing. Give a UTF-8 text file: copied Hugging Face papers text, Daily Papers JSON, arXiv Atom XML, or JSON/JSONL/CSV.",
    );
  }
  const start = head.trimStart();
  if (start.startsWith("<")) {
    if (/^<(?:!doctype\s+html|html)[\s>]/i.test(start)) {
      throw ctx.error(
        "this is an HTML page. Open it in a browser, select the paper list and copy it as text, or save the JSON of the Daily Papers API instead.",
      );
    }
    if (/<feed[\s>]/.test(head)) return { format: "arxiv-atom" };
    if (/<rss[\s>]/.test(head)) {
      throw ctx.error(
        'RSS feeds are not supported. Use the Atom feed of the arXiv API (export.arxiv.org/api/query?search_query=...), or format "json"/"csv" exports.',
      );
    }
    throw ctx.error("this XML is not an Atom <feed>. papermap reads the Atom XML of the arXiv API; other XML is not supported.");
  }
  if (JSON_START.test(start)) {
    if (!complete) {
      // One object per line (the first line complete within the prefix), else one document.
      const lineEnd = prefix.search(/\r|\n/);
      return lineEnd >= 0 && parsesAsObject(firstLine(prefix).trim()) ? { format: "jsonl" } : { format: "json", jsonMayBeHf: true };
    }
    try {
      const value: unknown = JSON.parse(text);
      return { format: isHfJson(value) ? "hf-json" : "json", json: { value } };
    } catch {
      // Not one JSON document: one object per line, or malformed JSON.
      return { format: parsesAsObject(firstLine(text).trim()) ? "jsonl" : "json" };
    }
  }
  if ((complete || hasLineBreak(prefix)) && looksLikeCsvHeader(firstLine(prefix))) return { format: "csv" };
  return { format: "hf-text" };
}
