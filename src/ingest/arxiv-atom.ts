import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { ParseContext } from "./context.js";
import { asText, setIds, setPublished } from "./fields.js";
import type { RawRecord } from "./records.js";

type XmlNode = Record<string | symbol, unknown>;

const ARRAY_TAGS = new Set(["entry", "author", "link", "category"]);
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** All text inside a parsed XML node (attributes excluded), in document order. */
function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === "string") return node;
  if (typeof node === "number" || typeof node === "boolean") return String(node);
  if (Array.isArray(node)) {
    const parts = node.map(textOf).filter((t): t is string => t !== undefined);
    return parts.length > 0 ? parts.join(" ") : undefined;
  }
  if (typeof node === "object") {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("@_")) continue;
      const text = textOf(value);
      if (text !== undefined) parts.push(text);
    }
    return parts.length > 0 ? parts.join(" ") : undefined;
  }
  return undefined;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function attribute(node: unknown, name: string): string | undefined {
  if (node === null || typeof node !== "object") return undefined;
  return asText((node as XmlNode)[`@_${name}`]);
}

/** Returns a function from character index to 1-based line number. */
function lineIndex(text: string): (index: number | undefined) => number | undefined {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (index) => {
    if (index === undefined) return undefined;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The `<feed>` element of an Atom document, or undefined. */
function feedOf(document: XmlNode): XmlNode | undefined {
  const feed = document.feed;
  return feed !== null && typeof feed === "object" && !Array.isArray(feed) ? (feed as XmlNode) : undefined;
}

/**
 * arXiv API Atom XML (`http://export.arxiv.org/api/query?...`): one record per `<entry>`
 * with `id`, `title`, `summary`, `author/name`, `published`, `link`. Any Atom feed whose
 * entries carry a title and a summary (or content) is read the same way.
 */
export function readArxivAtom(text: string, ctx: ParseContext): RawRecord[] {
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    const unclosed = /^Invalid '\[(.*)\]' found/s.exec(msg);
    if (unclosed) {
      // The validator reports elements still open at the end of the input at line 1.
      const names = [...unclosed[1].matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`).join(", ");
      throw ctx.error(
        `not well-formed XML: the input ends while ${names} ${names.includes(",") ? "are" : "is"} still open. The file looks cut short; download or save it again.`,
        { line: text.split("\n").length },
      );
    }
    throw ctx.error(`not well-formed XML (column ${col}): ${msg} Fix the file, or check it was saved completely.`, { line });
  }
  let document: XmlNode;
  try {
    document = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@_",
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      processEntities: true,
      // HTML entities (&nbsp;, &eacute;) are decoded with the rest of the text by cleanText;
      // letting the XML parser do it as well doubles its time.
      htmlEntities: false,
      captureMetaData: true,
      isArray: (name) => ARRAY_TAGS.has(name),
    }).parse(text) as XmlNode;
  } catch (error) {
    throw ctx.error(`could not read the XML: ${error instanceof Error ? error.message : String(error)}`, {}, error);
  }
  const feed = feedOf(document);
  if (!feed) {
    const root = Object.keys(document).find((key) => !key.startsWith("?")) ?? "(none)";
    throw ctx.error(`expected an Atom <feed> (as returned by the arXiv API); the XML's root element is <${root}>.`);
  }
  const entries = asArray(feed.entry);
  const lineAt = lineIndex(text);
  const records: RawRecord[] = [];
  entries.forEach((entry, index) => {
    const node = (entry ?? {}) as XmlNode;
    const meta = node[META] as { startIndex?: number } | undefined;
    const where = { record: index + 1, line: lineAt(meta?.startIndex) };
    const id = textOf(node.id)?.trim();
    if (id && /arxiv\.org\/api\/errors/i.test(id)) {
      const message = textOf(node.summary)?.trim() || id;
      throw ctx.error(`the arXiv API returned an error instead of papers: "${message}". Fix the query and download the feed again.`, where);
    }
    const links = asArray(node.link);
    const alternate = links.find((link) => attribute(link, "rel") === "alternate" || attribute(link, "rel") === undefined);
    const raw: RawRecord = {
      where,
      title: textOf(node.title),
      abstract: textOf(node.summary) ?? textOf(node.content),
    };
    setIds(raw, { arxivId: textOf(node.id), id, url: attribute(alternate, "href") });
    const authors = asArray(node.author)
      .map((author) => textOf((author as XmlNode | undefined)?.name))
      .filter((name): name is string => name !== undefined && name.trim() !== "");
    if (authors.length > 0) raw.authors = authors;
    setPublished(raw, textOf(node.published) ?? textOf(node.updated), ctx);
    records.push(raw);
  });
  return records;
}
