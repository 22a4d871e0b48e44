import type { ParseContext } from "./context.js";
import { firstLine, looksLikeCsvHeader } from "./csv.js";
import { isHfEntry } from "./json.js";
import type { ListingFormat } from "./types.js";

/** The detected format, and the parsed JSON document when detection had to parse it. */
export interface Detection {
  format: ListingFormat;
  json?: { value: unknown };
}

/** `[` or `{` followed by what JSON can hold there (so `[CLS] Token ...` stays a text listing). */
const JSON_START = /^(?:\[\s*(?:[{["\]\d-]|true|false|null)|\{\s*["}])/;

function parsesAsObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Detects the format from the content: Atom XML (`<feed`), JSON (Hugging Face Daily Papers
 * when its entries carry a `paper` object), JSONL (one object per line), CSV/TSV (a header
 * with a title and an abstract column), else a Hugging Face text listing. PDFs, binary
 * files, HTML pages and RSS are refused with a ParseError that says what to do instead.
 */
export function detect(text: string, ctx: ParseContext): Detection {
  const head = text.slice(0, 4096);
  if (head.startsWith("%PDF-")) {
    throw ctx.error("this is a PDF file, not a paper listing. Give a listing: copied Hugging Face papers text, Daily Papers JSON, arXiv Atom XML, or JSON/JSONL/CSV records with a title and an abstract.");
  }
  if (/[\u0000-\u0008\u000E-\u001A]/.test(head)) {
    throw ctx.error("this looks like a binary file (it contains control characters), not a text listing. Give a UTF-8 text file: copied Hugging Face papers text, Daily Papers JSON, arXiv Atom XML, or JSON/JSONL/CSV.");
  }
  const start = head.trimStart();
  if (start.startsWith("<")) {
    if (/^<(?:!doctype\s+html|html)[\s>]/i.test(start)) {
      throw ctx.error("this is an HTML page. Open it in a browser, select the paper list and copy it as text, or save the JSON of the Daily Papers API instead.");
    }
    if (/<feed[\s>]/.test(head)) return { format: "arxiv-atom" };
    if (/<rss[\s>]/.test(head)) {
      throw ctx.error('RSS feeds are not supported. Use the Atom feed of the arXiv API (export.arxiv.org/api/query?search_query=...), or format "json"/"csv" exports.');
    }
    throw ctx.error("this XML is not an Atom <feed>. papermap reads the Atom XML of the arXiv API; other XML is not supported.");
  }
  if (JSON_START.test(start)) {
    try {
      const value: unknown = JSON.parse(text);
      const items = Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value).find(Array.isArray) ?? [value] : [];
      return { format: (items as unknown[]).slice(0, 50).some(isHfEntry) ? "hf-json" : "json", json: { value } };
    } catch {
      // Not one JSON document: one object per line, or malformed JSON.
      return { format: parsesAsObject(firstLine(text).trim()) ? "jsonl" : "json" };
    }
  }
  if (looksLikeCsvHeader(firstLine(text))) return { format: "csv" };
  return { format: "hf-text" };
}
