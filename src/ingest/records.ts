import { arxivAbsUrl, cleanText, collapseWhitespace, titleSlug, type Paper } from "../paper.js";
import { describeWhere, type ParseContext, type Where } from "./context.js";

/** One record as a format parser read it, before cleaning, validation and id assignment. */
export interface RawRecord {
  where: Where;
  title?: string;
  abstract?: string;
  /** Versionless arXiv id, when the source has one. */
  arxivId?: string;
  /** The source's own id when it is not an arXiv id (a DOI, an OpenReview id, a row id). */
  sourceId?: string;
  authors?: string[];
  authorCount?: number;
  organization?: string;
  /** ISO `YYYY-MM-DD`. */
  published?: string;
  /** ISO `YYYY-MM-DD`: the day the paper appeared in a listing. */
  listingDay?: string;
  upvotes?: number;
  commentCount?: number;
  url?: string;
}

function quoteTitle(title: string): string {
  return title.length > 70 ? `"${title.slice(0, 67)}..."` : `"${title}"`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Cleans the records (HTML removed, entities decoded, whitespace collapsed), skips those
 * without a title or abstract, assigns ids and resolves duplicates — every skip and change
 * reported through `ctx`:
 *
 * - id = the arXiv id when known, else the source's own id, else a slug of the title;
 * - the same arXiv/source id twice: the first record is kept, the second skipped
 *   (`duplicate-id`, naming both records);
 * - the same title slug twice (no other id): skipped if title and abstract are identical
 *   (`duplicate-id`), else the later paper is kept as `<slug>-2` (`-3`, ...), with a
 *   `duplicate-title` warning when the two titles are the same text.
 */
export function finaliseRecords(records: readonly RawRecord[], ctx: ParseContext): Paper[] {
  const papers: Paper[] = [];
  const seen = new Map<string, { paper: Paper; where: Where }>();
  for (const raw of records) {
    const where = raw.where;
    const place = (): string => capitalised(describeWhere(where) || "a record");
    const title = cleanText(raw.title ?? "");
    const abstract = cleanText(raw.abstract ?? "");
    if (title === "") {
      ctx.warn({
        kind: "missing-title",
        message: `${place()} has no title; skipped.`,
        ...raw.where,
      });
      continue;
    }
    if (abstract === "") {
      ctx.warn({
        kind: "missing-abstract",
        message: `${place()}, ${quoteTitle(title)}, has no abstract; skipped.`,
        ...raw.where,
      });
      continue;
    }

    const explicitId = raw.arxivId ?? (raw.sourceId !== undefined ? collapseWhitespace(raw.sourceId) : undefined);
    let id = explicitId || titleSlug(title);
    const earlier = seen.get(id);
    if (earlier) {
      const identical = earlier.paper.title === title && earlier.paper.abstract === abstract;
      const earlierPlace = describeWhere(earlier.where) || "an earlier record";
      if (explicitId || identical) {
        ctx.warn({
          kind: "duplicate-id",
          message:
            `${place()}, ${quoteTitle(title)}, has the same id "${id}" as ${earlierPlace}` +
            `${identical ? " (same title and abstract)" : ` (${quoteTitle(earlier.paper.title)}, different text)`}; ` +
            `kept ${earlierPlace}, skipped ${place().toLowerCase()}.`,
          ...raw.where,
          duplicateOf: { id, ...earlier.where },
        });
        continue;
      }
      let n = 2;
      while (seen.has(`${id}-${n}`)) n++;
      const newId = `${id}-${n}`;
      // Titles that only share their slug (punctuation, case, a cut after 80 characters) are
      // different titles: the suffix is the documented id rule, not worth a warning.
      if (earlier.paper.title === title) {
        ctx.warn({
          kind: "duplicate-title",
          message: `${place()} has the same title as ${earlierPlace}, ${quoteTitle(title)}, but a different abstract; kept both, this one with id "${newId}".`,
          ...raw.where,
          duplicateOf: { id, ...earlier.where },
        });
      }
      id = newId;
    }

    const paper: Paper = { id, title, abstract };
    const authors = raw.authors?.map((name) => cleanText(name)).filter((name) => name !== "");
    if (authors && authors.length > 0) paper.authors = authors;
    const authorCount = raw.authorCount ?? paper.authors?.length;
    if (authorCount !== undefined) paper.authorCount = authorCount;
    const organization = raw.organization === undefined ? "" : cleanText(raw.organization);
    if (organization !== "") paper.organization = organization;
    if (raw.published !== undefined) paper.published = raw.published;
    if (raw.listingDay !== undefined) paper.listingDay = raw.listingDay;
    if (raw.upvotes !== undefined) paper.upvotes = raw.upvotes;
    if (raw.commentCount !== undefined) paper.commentCount = raw.commentCount;
    const url = raw.arxivId ? arxivAbsUrl(raw.arxivId) : raw.url?.trim();
    if (url) paper.url = url;

    seen.set(id, { paper, where: raw.where });
    papers.push(paper);
  }
  return papers;
}
