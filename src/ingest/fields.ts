import { arxivIdFrom } from "../paper.js";
import { describeWhere, type ParseContext, type Where } from "./context.js";
import { normaliseDate } from "./dates.js";
import type { RawRecord } from "./records.js";

/** A column/key name reduced for matching: lower case, letters and digits only (`arxiv_id` → `arxivid`). */
export function keyOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Accepted column / key names per field (compared after {@link keyOf}), first match wins.
 * Documented in the README; keep the two in step.
 */
export const FIELD_NAMES = {
  title: ["title", "papertitle"],
  abstract: ["abstract", "summary", "abstracttext", "paperabstract", "description"],
  arxivId: ["arxivid", "arxiv", "arxividentifier", "eprint"],
  id: ["id", "paperid", "entryid", "identifier", "doi"],
  url: ["url", "absurl", "arxivurl", "paperurl", "link", "href", "pdfurl"],
  authors: ["authors", "author", "authornames", "creators"],
  authorCount: ["authorcount", "numauthors", "nauthors"],
  // Not "comments": arXiv metadata has a free-text comments field ("10 pages, 5 figures").
  commentCount: ["commentcount", "numcomments"],
  organization: ["organization", "organisation", "org"],
  published: [
    "published",
    "publishedat",
    "publisheddate",
    "publicationdate",
    "pubdate",
    "date",
    "submitted",
    "submittedat",
    "created",
    "createdat",
    "updatedate",
  ],
  upvotes: ["upvotes", "numupvotes", "likes", "votes"],
  listingDay: ["listingday", "day"],
} as const satisfies Record<string, readonly string[]>;

export type FieldName = keyof typeof FIELD_NAMES;

/** Maps an object's own keys to fields: `{ title: "Title", abstract: "summary", ... }`. */
export function mapKeys(keys: readonly string[]): Partial<Record<FieldName, string>> {
  const byKey = new Map<string, string>();
  for (const key of keys) {
    const k = keyOf(key);
    if (!byKey.has(k)) byKey.set(k, key);
  }
  const mapping: Partial<Record<FieldName, string>> = {};
  for (const field of Object.keys(FIELD_NAMES) as FieldName[]) {
    for (const candidate of FIELD_NAMES[field]) {
      const key = byKey.get(candidate);
      if (key !== undefined) {
        mapping[field] = key;
        break;
      }
    }
  }
  return mapping;
}

/** A string or number as text; anything else undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Author names from `["A", "B"]`, `[{ name: "A" }]`, `"A; B"`, `"A, B and C"`. */
export function authorNames(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const names = value
      .map((item) => (typeof item === "string" ? item : nameOf(item)))
      .filter((name): name is string => typeof name === "string" && name.trim() !== "");
    return names.length > 0 ? names : undefined;
  }
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return undefined;
    const parts = text.includes(";") ? text.split(";") : text.split(/\s*,\s*(?:and\s+)?|\s+and\s+/);
    const names = parts.map((part) => part.trim()).filter((part) => part !== "");
    return names.length > 0 ? names : undefined;
  }
  const single = nameOf(value);
  return single ? [single] : undefined;
}

function nameOf(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  return asText(record.name) ?? asText(record.fullname) ?? asText(record.fullName);
}

/** `{ name, fullname }` (Hugging Face) or a plain string. */
export function organizationName(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  return asText(record.fullname) ?? asText(record.fullName) ?? asText(record.name);
}

/** A count such as `14`, `"14"`, `"1,234"`, `"1.2k"`; undefined when absent, NaN when unreadable. */
export function parseCount(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? value : Number.NaN;
  if (typeof value !== "string") return Number.NaN;
  const match = /^\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([kK])?\s*$/.exec(value);
  if (!match) return Number.NaN;
  const number = Number(match[1].replace(/,/g, "")) * (match[2] ? 1000 : 1);
  return Number.isInteger(number) ? number : Math.round(number);
}

/** Adds a count field to `raw`, warning (and leaving it out) when it is not a count. */
export function setCount(raw: RawRecord, field: "upvotes" | "authorCount" | "commentCount", value: unknown, ctx: ParseContext): void {
  const count = parseCount(value);
  if (count === undefined) return;
  if (Number.isNaN(count)) {
    ctx.warn({
      kind: "invalid-field",
      message: `${capital(describeWhere(raw.where))}: ${field} ${JSON.stringify(value)} is not a count; left out.`,
      ...raw.where,
    });
    return;
  }
  raw[field] = count;
}

/** Adds `published`, warning (and leaving it out) when the value is not a calendar day. */
export function setPublished(raw: RawRecord, value: unknown, ctx: ParseContext): void {
  setDay(raw, "published", value, ctx, "date", "2025-02-11 or Feb 11, 2025");
}

/** Adds `listingDay`, warning (and leaving it out) when the value is not a calendar day. */
export function setListingDay(raw: RawRecord, value: unknown, ctx: ParseContext): void {
  setDay(raw, "listingDay", value, ctx, "listing day", "2025-02-11");
}

function setDay(raw: RawRecord, field: "published" | "listingDay", value: unknown, ctx: ParseContext, what: string, example: string): void {
  if (value === undefined || value === null || value === "") return;
  const text = asText(value);
  const iso = text === undefined ? undefined : normaliseDate(text);
  if (iso === undefined) {
    ctx.warn({
      kind: "invalid-field",
      message: `${capital(describeWhere(raw.where))}: ${what} ${JSON.stringify(value)} is not a calendar day (expected e.g. ${example}); left out.`,
      ...raw.where,
    });
    return;
  }
  raw[field] = iso;
}

function capital(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : "A record";
}

/**
 * Sets `arxivId` / `sourceId` / `url` from the candidate id fields: an explicit arXiv id
 * field first, then an id field holding an arXiv id, then a URL pointing at arXiv, then the
 * id field as the source's own id.
 */
export function setIds(raw: RawRecord, values: { arxivId?: unknown; id?: unknown; url?: unknown }): void {
  const arxivField = asText(values.arxivId);
  const idField = asText(values.id);
  const urlField = asText(values.url);
  const arxivId =
    (arxivField !== undefined ? arxivIdFrom(arxivField) : undefined) ??
    (idField !== undefined ? arxivIdFrom(idField) : undefined) ??
    (urlField !== undefined ? arxivIdFrom(urlField) : undefined);
  if (arxivId) raw.arxivId = arxivId;
  else if (idField !== undefined && idField.trim() !== "") raw.sourceId = idField.trim();
  else if (arxivField !== undefined && arxivField.trim() !== "") raw.sourceId = arxivField.trim();
  if (urlField !== undefined && urlField.trim() !== "") raw.url = urlField.trim();
}

/** A generic JSON/JSONL/CSV object as a raw record, using {@link FIELD_NAMES}. */
export function recordFromObject(
  object: Record<string, unknown>,
  where: Where,
  ctx: ParseContext,
  mapping = mapKeys(Object.keys(object)),
): RawRecord {
  const get = (field: FieldName): unknown => {
    const key = mapping[field];
    return key === undefined ? undefined : object[key];
  };
  const raw: RawRecord = { where, title: asText(get("title")), abstract: asText(get("abstract")) };
  setIds(raw, { arxivId: get("arxivId"), id: get("id"), url: get("url") });
  const authors = authorNames(get("authors"));
  if (authors) raw.authors = authors;
  setCount(raw, "authorCount", get("authorCount"), ctx);
  const organization = organizationName(get("organization"));
  if (organization) raw.organization = organization;
  setPublished(raw, get("published"), ctx);
  setListingDay(raw, get("listingDay"), ctx);
  setCount(raw, "upvotes", get("upvotes"), ctx);
  setCount(raw, "commentCount", get("commentCount"), ctx);
  return raw;
}
