import { InvalidArgumentError } from "../errors.js";
import type { ParseContext } from "./context.js";
import { isValidDate, monthNumber, parseIsoDate, toIso, today, yearForUndatedDay, type CalendarDate, compareDates } from "./dates.js";
import { parseCount } from "./fields.js";
import type { RawRecord } from "./records.js";

/*
 * A Hugging Face papers listing copied from the browser as text:
 *
 *   <page chrome: "Daily Papers", "byAK and the research community", the listing date "Nov 21">
 *
 *   Title of the first paper
 *
 *   Abstract paragraph ...
 *
 *     • 7 authors              (or an organization line, e.g. "naver-ai NAVER AI Lab")
 *   ·
 *   Feb 11 2                   (date, then upvotes; "Jan 9, 2024 14"; "Nov 11, 2024")
 *
 *   Title of the next paper    (the metadata block is optional)
 *   ...
 *
 * The input is cut into blocks at blank lines. Metadata lines are recognised wherever they
 * stand at the end of a block; the remaining text blocks between two metadata blocks are
 * split into (title, abstract paragraph(s)) papers by a small dynamic programme that
 * prefers the plain alternation title / abstract and pays for every deviation (a skipped
 * block, a title without abstract, a second abstract paragraph). Every deviation it picks
 * is reported as a warning; known page chrome is skipped silently.
 */

/** Lines of the Hugging Face page around the listing that are not papers (compared in lower case). */
export const PAGE_CHROME: ReadonlySet<string> = new Set([
  "new",
  "get trending papers in your email inbox!",
  "subscribe",
  "daily papers",
  "byak and the research community",
  "papers",
  "trending",
  "search",
  "previous",
  "next",
  "hugging face",
  "models",
  "datasets",
  "spaces",
  "community",
  "docs",
  "enterprise",
  "pricing",
  "log in",
  "sign up",
  "submit",
  "daily",
  "weekly",
  "monthly",
  "show more",
  "load more",
  "system theme",
  "website",
  "company",
  "tos",
  "privacy",
  "about",
  "jobs",
  "changelog",
  "inference",
  "collections",
  "posts",
  "resources",
  "learn",
  "blog",
  "forum",
  "service status",
]);

const DATE_LINE = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:,\s*(\d{4}))?(?:\s+(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?[kK]?))?$/;
const DOT_LINE = /^[·•‧∙⋅]$/;
const AUTHORS_LINE = /^(?:[•·∙*-]\s*)?(\d+)\s+authors?$/i;

interface DateParts {
  month: number;
  day: number;
  year?: number;
}

interface Meta {
  line: number;
  authorCount?: number;
  organization?: string;
  date?: DateParts;
  upvotes?: number;
  /** The block is one date line and nothing else (the listing date in the page header). */
  lone: boolean;
}

interface TextItem {
  kind: "text";
  text: string;
  line: number;
  lineCount: number;
}

interface MetaItem {
  kind: "meta";
  meta: Meta;
}

function parseDateLine(line: string): { date: DateParts; upvotes?: number } | undefined {
  const match = DATE_LINE.exec(line);
  if (!match) return undefined;
  const month = monthNumber(match[1]);
  const day = Number(match[2]);
  if (month === undefined || day < 1 || day > 31) return undefined;
  const date: DateParts = { month, day };
  if (match[3] !== undefined) date.year = Number(match[3]);
  const upvotes = match[4] === undefined ? undefined : parseCount(match[4]);
  return { date, upvotes: upvotes !== undefined && !Number.isNaN(upvotes) ? upvotes : undefined };
}

/** Splits the trailing metadata lines off a block: `[organization | • N authors] [·] [date [upvotes]]`. */
function peelMeta(lines: string[], start: number): { text: string[]; meta?: Meta } {
  let i = lines.length - 1;
  const meta: Meta = { line: 0, lone: false };
  let matched = 0;
  const dateLine = i >= 0 ? parseDateLine(lines[i]) : undefined;
  if (dateLine) {
    meta.date = dateLine.date;
    if (dateLine.upvotes !== undefined) meta.upvotes = dateLine.upvotes;
    i--;
    matched++;
  }
  let dot = false;
  if (i >= 0 && DOT_LINE.test(lines[i])) {
    dot = true;
    i--;
    matched++;
  }
  const authors = i >= 0 ? AUTHORS_LINE.exec(lines[i]) : null;
  if (authors) {
    meta.authorCount = Number(authors[1]);
    i--;
    matched++;
  } else if (dot && i >= 0 && lines[i].length <= 100 && lines[i].split(/\s+/).length <= 12) {
    meta.organization = lines[i];
    i--;
    matched++;
  }
  if (matched === 0) return { text: lines };
  meta.line = start + i + 1;
  meta.lone = matched === 1 && meta.date !== undefined && meta.upvotes === undefined;
  return { text: lines.slice(0, i + 1), meta };
}

/** The input as text paragraphs and metadata blocks, in order. */
function items(text: string): (TextItem | MetaItem)[] {
  const lines = text.split(/\r\n|\n|\r/);
  const result: (TextItem | MetaItem)[] = [];
  let block: string[] = [];
  let blockStart = 0;
  const flush = (): void => {
    if (block.length === 0) return;
    const { text: textLines, meta } = peelMeta(block, blockStart);
    if (textLines.length > 0) {
      result.push({ kind: "text", text: textLines.join(" "), line: blockStart, lineCount: textLines.length });
    }
    if (meta) result.push({ kind: "meta", meta });
    block = [];
  };
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") {
      flush();
      return;
    }
    if (block.length === 0) blockStart = index + 1;
    block.push(line);
  });
  flush();
  return result;
}

/** Page chrome is a short line; the length check keeps a huge paragraph from being copied to lower case. */
const isChrome = (item: TextItem): boolean => item.text.length <= 60 && PAGE_CHROME.has(item.text.toLowerCase());
const endsWithFullStop = (text: string): boolean => /\.["'”’)\]]?$/.test(text);

/** Looks like a title: short, at most two lines, not ending in a full stop. */
function titleLike(item: TextItem): boolean {
  return item.text.length <= 300 && item.lineCount <= 2 && !endsWithFullStop(item.text);
}

function titleCost(item: TextItem): number {
  return (item.text.length > 300 ? 6 : 0) + (/\.$/.test(item.text) ? 1 : 0) + (item.lineCount > 2 ? 2 : 0) + (isChrome(item) ? 10 : 0);
}

/**
 * Looks like (part of) an abstract: long, or a sentence of some length ending in a full
 * stop (titles end in `?` or `!` often enough that those only count past 120 characters).
 */
function abstractLike(item: TextItem): boolean {
  const length = item.text.length;
  return length >= 200 || (length >= 60 && endsWithFullStop(item.text)) || (length >= 120 && /[?!]["'”’)\]]?$/.test(item.text));
}

function abstractCost(item: TextItem): number {
  const base = !abstractLike(item) ? 4 : titleLike(item) ? 2 : item.text.length >= 200 ? 0 : 1;
  return base + (isChrome(item) ? 10 : 0);
}

const continuationCost = (item: TextItem): number => (titleLike(item) ? 6 : 2);
const TITLE_ONLY_COST = 3.5;
const ORPHAN_META_COST = 6;
/** At most this many extra paragraphs per abstract (bounds the programme to linear time). */
const MAX_CONTINUATIONS = 8;

type Segment = { kind: "skip"; index: number } | { kind: "title-only"; index: number } | { kind: "paper"; index: number; end: number };

/** States: 0 = no paper yet, 1 = a paper seen but the last segment is not one, 2 = the last segment is a paper. */
type State = 0 | 1 | 2;

/** Splits one run of text blocks (between metadata blocks) into papers, skips and titles without abstract. */
function segmentRun(texts: TextItem[], meta: Meta | undefined, paperSeen: boolean): { segments: Segment[]; orphanMeta: boolean } {
  const n = texts.length;
  const INF = Number.POSITIVE_INFINITY;
  const cost: number[][] = Array.from({ length: n + 1 }, () => [INF, INF, INF]);
  const back: ({ from: State; segment: Segment } | undefined)[][] = Array.from({ length: n + 1 }, () => [undefined, undefined, undefined]);
  cost[0][paperSeen ? 1 : 0] = 0;
  const relax = (i: number, state: State, value: number, from: State, segment: Segment): void => {
    if (value < cost[i][state]) {
      cost[i][state] = value;
      back[i][state] = { from, segment };
    }
  };
  for (let i = 0; i < n; i++) {
    for (const state of [0, 1, 2] as State[]) {
      const base = cost[i][state];
      if (base === INF) continue;
      const seen = state !== 0;
      // a paper: title i, abstract i+1 .. end
      let value = base + titleCost(texts[i]);
      for (let end = i + 1; end < n && end <= i + 1 + MAX_CONTINUATIONS; end++) {
        value += end === i + 1 ? abstractCost(texts[end]) : continuationCost(texts[end]);
        relax(end + 1, 2, value, state, { kind: "paper", index: i, end });
      }
      relax(i + 1, 2, base + TITLE_ONLY_COST + (titleLike(texts[i]) ? 0 : 6), state, { kind: "title-only", index: i });
      // Skipping is cheap only for page chrome, and for short non-sentences before the first paper.
      const skip = isChrome(texts[i]) ? 0 : !seen && !abstractLike(texts[i]) ? 1.5 : 5;
      relax(i + 1, seen ? 1 : 0, base + skip, state, { kind: "skip", index: i });
    }
  }
  // finish: a metadata block belongs to the last paper; otherwise it is orphaned
  let bestState: State = 0;
  let best = INF;
  for (const state of [0, 1, 2] as State[]) {
    let value = cost[n][state];
    if (meta && state !== 2) value += meta.lone && state === 0 ? 0 : ORPHAN_META_COST;
    if (value < best) {
      best = value;
      bestState = state;
    }
  }
  const segments: Segment[] = [];
  let i = n;
  let state = bestState;
  while (i > 0) {
    const step = back[i][state];
    if (!step) break;
    segments.push(step.segment);
    i = step.segment.index;
    state = step.from;
  }
  segments.reverse();
  return { segments, orphanMeta: meta !== undefined && bestState !== 2 };
}

function describeMeta(meta: Meta): string {
  const parts: string[] = [];
  if (meta.authorCount !== undefined) parts.push(`${meta.authorCount} authors`);
  if (meta.organization) parts.push(meta.organization);
  if (meta.date) parts.push(`date ${meta.date.month}/${meta.date.day}${meta.date.year ? "/" + meta.date.year : ""}`);
  return parts.join(", ");
}

function quote(text: string): string {
  return text.length > 60 ? `"${text.slice(0, 57)}..."` : `"${text}"`;
}

/** The listing date and the year for dates without one. */
function resolveCalendar(header: DateParts | undefined, ctx: ParseContext): { listingDate?: CalendarDate; referenceYear: number } {
  const { referenceYear, listingDate: listingOption } = ctx.options;
  if (referenceYear !== undefined && (!Number.isInteger(referenceYear) || referenceYear < 1000 || referenceYear > 9999)) {
    throw new InvalidArgumentError(`referenceYear must be a four-digit year such as 2025; got ${String(referenceYear)}.`);
  }
  let explicit: CalendarDate | undefined;
  if (listingOption !== undefined) {
    explicit = parseIsoDate(listingOption);
    if (!explicit || listingOption.trim().length !== 10) {
      throw new InvalidArgumentError(`listingDate must be a calendar day written YYYY-MM-DD, such as 2025-11-21; got "${listingOption}".`);
    }
  }
  if (explicit) return { listingDate: explicit, referenceYear: referenceYear ?? explicit.year };
  const now = today();
  if (header) {
    const givenYear = header.year ?? referenceYear;
    let year = givenYear ?? now.year;
    if (givenYear === undefined && compareDates({ year, month: header.month, day: header.day }, now) > 0) year--;
    if (isValidDate(year, header.month, header.day)) {
      const listingDate = { year, month: header.month, day: header.day };
      return { listingDate, referenceYear: referenceYear ?? year };
    }
  }
  if (referenceYear !== undefined) return { referenceYear };
  return { listingDate: now, referenceYear: now.year };
}

/** Hugging Face papers listing copied as text; see the comment at the top of this module. */
export function readHfText(text: string, ctx: ParseContext): { records: RawRecord[]; listingDate?: string } {
  const all = items(text);
  let paperSeen = false;
  let header: DateParts | undefined;
  const found: { title: TextItem; abstract: TextItem[]; meta?: Meta }[] = [];
  let run: TextItem[] = [];

  const closeRun = (meta: Meta | undefined): void => {
    const { segments, orphanMeta } = segmentRun(run, meta, paperSeen);
    for (const segment of segments) {
      const item = run[segment.index];
      if (segment.kind === "skip") {
        if (!isChrome(item)) {
          ctx.warn({
            kind: "unrecognised-text",
            message: `Line ${item.line}: ${quote(item.text)} is neither a paper (title, blank line, abstract) nor page chrome; ignored.`,
            line: item.line,
          });
        }
        continue;
      }
      paperSeen = true;
      if (segment.kind === "title-only") {
        found.push({ title: item, abstract: [] });
        continue;
      }
      const abstract = run.slice(segment.index + 1, segment.end + 1);
      if (!abstractLike(abstract[0])) {
        ctx.warn({
          kind: "ambiguous-paragraph",
          message: `Line ${abstract[0].line}: ${quote(abstract[0].text)} is short for an abstract but was read as the abstract of ${quote(item.text)}; if it is not one, text is missing around here.`,
          line: abstract[0].line,
        });
      }
      for (const extra of abstract.slice(1)) {
        if (titleLike(extra)) {
          ctx.warn({
            kind: "ambiguous-paragraph",
            message: `Line ${extra.line}: the short paragraph ${quote(extra.text)} was read as part of the abstract of ${quote(item.text)}; if it is the title of a paper, that paper's abstract is missing.`,
            line: extra.line,
          });
        }
      }
      found.push({ title: item, abstract });
    }
    if (meta) {
      if (!orphanMeta) found[found.length - 1].meta = meta;
      else if (meta.lone && !paperSeen && header === undefined) header = meta.date;
      else {
        ctx.warn({
          kind: "orphan-metadata",
          message: `Line ${meta.line}: a metadata block (${describeMeta(meta)}) follows no paper; ignored.`,
          line: meta.line,
        });
      }
    }
    run = [];
  };

  for (const item of all) {
    if (item.kind === "text") run.push(item);
    else closeRun(item.meta);
  }
  if (run.length > 0) closeRun(undefined);

  const calendar = resolveCalendar(header, ctx);
  const records = found.map(({ title, abstract, meta }, index): RawRecord => {
    const raw: RawRecord = {
      where: { record: index + 1, line: title.line },
      title: title.text,
      abstract: abstract.map((p) => p.text).join(" "),
    };
    if (meta) {
      if (meta.authorCount !== undefined) raw.authorCount = meta.authorCount;
      if (meta.organization !== undefined) raw.organization = meta.organization;
      if (meta.upvotes !== undefined) raw.upvotes = meta.upvotes;
      if (meta.date) {
        const { month, day } = meta.date;
        const year = meta.date.year ?? yearForUndatedDay(month, day, calendar.referenceYear, calendar.listingDate);
        if (isValidDate(year, month, day)) raw.published = toIso({ year, month, day });
        else {
          ctx.warn({
            kind: "invalid-field",
            message: `Line ${meta.line}: ${year}-${month}-${day} is not a calendar day; the date of ${quote(title.text)} is left out.`,
            line: meta.line,
            record: index + 1,
          });
        }
      }
    }
    return raw;
  });
  return { records, listingDate: calendar.listingDate ? toIso(calendar.listingDate) : undefined };
}
