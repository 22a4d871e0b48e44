import { describeWhere, type ParseContext, type Where } from "./context.js";
import { asText, authorNames, organizationName, recordFromObject, setCount, setIds, setPublished } from "./fields.js";
import type { RawRecord } from "./records.js";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A Hugging Face Daily Papers entry: `{ paper: { id, title, summary, ... }, ... }`. */
export function isHfEntry(value: unknown): value is JsonObject & { paper: JsonObject } {
  return isObject(value) && isObject(value.paper) && ("title" in value.paper || "summary" in value.paper);
}

/** Keys under which exports commonly wrap their array of records. */
const WRAPPER_KEYS = ["papers", "dailyPapers", "data", "items", "records", "results", "entries", "rows"];

/** `JSON.parse` with errors turned into ParseError naming the line and column. */
export function parseJsonText(text: string, ctx: ParseContext, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(detail);
    let line = lineOffset + 1;
    let column: number | undefined;
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const lines = before.split("\n");
      line = lineOffset + lines.length;
      column = lines[lines.length - 1].length + 1;
    }
    const reason = detail.replace(/\s*in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "");
    throw ctx.error(
      `not valid JSON${column !== undefined ? ` (column ${column})` : ""}: ${reason}. Fix the file, or check it was saved completely.`,
      { line },
      error,
    );
  }
}

/** The array of records inside a parsed JSON document. */
export function recordArray(value: unknown, ctx: ParseContext): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) {
    for (const key of WRAPPER_KEYS) {
      if (Array.isArray(value[key])) return value[key] as unknown[];
    }
    if (isHfEntry(value) || "title" in value || "abstract" in value || "summary" in value) return [value];
    const keys = Object.keys(value).slice(0, 8).join(", ");
    throw ctx.error(
      `expected an array of paper records (or an object with a "papers" array); found an object with keys ${keys || "(none)"}.`,
    );
  }
  throw ctx.error(`expected an array of paper records; found ${value === null ? "null" : typeof value}.`);
}

/** A Hugging Face Daily Papers entry as a raw record. */
export function recordFromHfEntry(entry: JsonObject & { paper: JsonObject }, where: Where, ctx: ParseContext): RawRecord {
  const paper = entry.paper;
  const raw: RawRecord = {
    where,
    title: asText(paper.title) ?? asText(entry.title),
    abstract: asText(paper.summary) ?? asText(entry.summary) ?? asText(paper.abstract),
  };
  setIds(raw, { id: paper.id ?? entry.id, url: paper.url ?? entry.url });
  const authors = authorNames(paper.authors ?? entry.authors);
  if (authors) raw.authors = authors;
  const organization = organizationName(paper.organization ?? entry.organization);
  if (organization) raw.organization = organization;
  setPublished(raw, paper.publishedAt ?? entry.publishedAt, ctx);
  setCount(raw, "upvotes", paper.upvotes ?? entry.upvotes, ctx);
  setCount(raw, "commentCount", entry.numComments ?? paper.numComments, ctx);
  return raw;
}

/** Any element of a JSON listing as a raw record; `undefined` (with a warning) when it is not an object. */
export function recordFromValue(value: unknown, where: Where, ctx: ParseContext): RawRecord | undefined {
  if (isHfEntry(value)) return recordFromHfEntry(value, where, ctx);
  if (isObject(value)) return recordFromObject(value, where, ctx);
  const found = Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
  const place = describeWhere(where);
  ctx.warn({
    kind: "not-a-record",
    message: `${place.charAt(0).toUpperCase()}${place.slice(1)} is ${found}, not an object with a title and an abstract; skipped.`,
    ...where,
  });
  return undefined;
}

/** JSON: an array of records (generic or Hugging Face Daily Papers entries). */
export function readJson(text: string, ctx: ParseContext, requireHf: boolean, parsed?: { value: unknown }): RawRecord[] {
  const items = recordArray(parsed ? parsed.value : parseJsonText(text, ctx), ctx);
  if (requireHf && items.length > 0 && !items.some(isHfEntry)) {
    throw ctx.error(
      'not Hugging Face Daily Papers JSON: no entry has a "paper" object with a title or summary. Parse it with format "json" instead.',
    );
  }
  const records: RawRecord[] = [];
  items.forEach((item, index) => {
    const raw = recordFromValue(item, { record: index + 1 }, ctx);
    if (raw) records.push(raw);
  });
  if (records.length === 0 && items.length > 0) throw noObjects(items, ctx);
  return records;
}

/** Every element is a number, a string, a list or null: there is no record at all. */
function noObjects(items: readonly unknown[], ctx: ParseContext): Error {
  const kinds = [...new Set(items.slice(0, 50).map((v) => (Array.isArray(v) ? "arrays" : v === null ? "null" : `${typeof v}s`)))];
  return ctx.error(
    `none of the ${items.length} record${items.length === 1 ? "" : "s"} is an object (found ${kinds.join(", ")}); each paper must be an object with a title and an abstract, e.g. {"title": "…", "abstract": "…"}.`,
  );
}

/** JSONL / NDJSON: one record per line; blank lines ignored. */
export function readJsonl(text: string, ctx: ParseContext): RawRecord[] {
  const lines = text.split(/\r\n|\n|\r/);
  const records: RawRecord[] = [];
  const values: unknown[] = [];
  let record = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    record++;
    const value = parseJsonText(line, ctx, i);
    values.push(value);
    const raw = recordFromValue(value, { record, line: i + 1 }, ctx);
    if (raw) records.push(raw);
  }
  if (records.length === 0 && values.length > 0) throw noObjects(values, ctx);
  return records;
}
