import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { PAGE_CHROME } from "../../src/ingest/hf-text.js";
import { LISTING_FORMATS, parseListing, type ListingFormat, type ParseOptions } from "../../src/ingest/index.js";
import { cleanText } from "../../src/paper.js";

// ---------------------------------------------------------------------------
// Well-formed Hugging Face text listings
// ---------------------------------------------------------------------------

const word = fc.stringMatching(/^[a-z]{2,9}$/);
const capital = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** A piece of abstract text as written in the listing and as it must come out. */
interface Piece {
  raw: string;
  clean: string;
}
const plain = word.map((w): Piece => ({ raw: w, clean: w }));
const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 20, arbitrary: plain },
  { weight: 1, arbitrary: fc.constant({ raw: "FID<2", clean: "FID<2" }) },
  { weight: 1, arbitrary: fc.constant({ raw: "(<4%)", clean: "(<4%)" }) },
  { weight: 1, arbitrary: fc.constant({ raw: "a < b", clean: "a < b" }) },
  { weight: 1, arbitrary: fc.constant({ raw: "&amp;", clean: "&" }) },
  { weight: 1, arbitrary: fc.constant({ raw: "x&lt;y", clean: "x<y" }) },
  { weight: 1, arbitrary: word.map((w) => ({ raw: `<span style="font-weight: bold; color: rgb(214, 21, 21);">${w}</span>`, clean: w })) },
);
const sentence = fc.tuple(word, fc.array(piece, { minLength: 4, maxLength: 17 })).map(
  ([first, pieces]): Piece => ({
    raw: [capital(first), ...pieces.map((p) => p.raw)].join(" ") + ".",
    clean: [capital(first), ...pieces.map((p) => p.clean)].join(" ") + ".",
  }),
);
const abstractText = fc
  .array(sentence, { minLength: 2, maxLength: 6 })
  .map((sentences): Piece => ({ raw: sentences.map((s) => s.raw).join(" "), clean: sentences.map((s) => s.clean).join(" ") }))
  .filter((a) => a.clean.length >= 60);
const title = fc
  .tuple(fc.array(word, { minLength: 2, maxLength: 12 }), fc.constantFrom("", "?", "!"), fc.boolean())
  .map(([words, end, colon]) => {
    const text = words.map(capital).join(" ") + end;
    return colon && words.length > 2 ? text.replace(" ", ": ") : text;
  })
  .filter((t) => !PAGE_CHROME.has(t.toLowerCase()));

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const meta = fc.record({
  who: fc.oneof(
    fc.integer({ min: 1, max: 40 }).map((n) => ({ authorCount: n })),
    fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ({ organization: ws.join(" ") })),
  ),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  year: fc.option(fc.integer({ min: 2015, max: 2025 }), { nil: undefined }),
  upvotes: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
  commaThousands: fc.boolean(),
});
type Meta = typeof meta extends fc.Arbitrary<infer T> ? T : never;

const paperArb = fc.record({ title, abstract: abstractText, meta: fc.option(meta, { nil: undefined }) });
const listingArb = fc.record({
  papers: fc.uniqueArray(paperArb, { minLength: 1, maxLength: 12, selector: (p) => p.title }),
  chrome: fc.boolean(),
  crlf: fc.boolean(),
});
type Listing = typeof listingArb extends fc.Arbitrary<infer T> ? T : never;

function renderMeta(m: Meta): string {
  const who = "authorCount" in m.who ? `  • ${m.who.authorCount} authors` : m.who.organization;
  const count = m.upvotes === undefined ? "" : ` ${m.commaThousands ? m.upvotes.toLocaleString("en-US") : m.upvotes}`;
  return `${who}\n·\n${MONTHS[m.month - 1]} ${m.day}${m.year === undefined ? "" : `, ${m.year}`}${count}`;
}

function renderListing(listing: Listing): string {
  const blocks: string[] = [];
  if (listing.chrome)
    blocks.push(
      "new",
      "Get trending papers in your email inbox!",
      "Subscribe",
      "Daily Papers",
      "byAK and the research community",
      "Nov 21",
    );
  for (const paper of listing.papers) {
    blocks.push(paper.title, paper.abstract.raw);
    if (paper.meta) blocks.push(renderMeta(paper.meta));
  }
  const text = blocks.join("\n\n") + "\n";
  return listing.crlf ? text.replace(/\n/g, "\r\n") : text;
}

/** The rule of the issue, written out independently: no year → 2025, unless after Nov 21 → 2024. */
function expectedDate(m: Meta): string {
  const year = m.year ?? (m.month > 11 || (m.month === 11 && m.day > 21) ? 2024 : 2025);
  return `${year}-${String(m.month).padStart(2, "0")}-${String(m.day).padStart(2, "0")}`;
}

describe("property: well-formed Hugging Face text listings", () => {
  it("lose no paper, and keep every title, abstract and metadata field", () => {
    fc.assert(
      fc.property(listingArb, (listing) => {
        const result = parseListing(renderListing(listing), {
          referenceYear: 2025,
          listingDate: listing.chrome ? undefined : "2025-11-21",
        });
        expect(result.format).toBe("hf-text");
        // titles differing only in punctuation ("Aa Aa", "Aa Aa!") share a slug: both kept, ids stay unique
        expect(result.warnings).toEqual([]);
        expect(result.papers).toHaveLength(listing.papers.length);
        expect(new Set(result.papers.map((p) => p.id)).size).toBe(listing.papers.length);
        listing.papers.forEach((paper, i) => {
          const got = result.papers[i];
          expect(got.title).toBe(paper.title);
          expect(got.abstract).toBe(paper.abstract.clean);
          if (!paper.meta) {
            expect(got.published).toBeUndefined();
            return;
          }
          expect(got.published).toBe(expectedDate(paper.meta));
          expect(got.upvotes).toBe(paper.meta.upvotes);
          expect(got.authorCount).toBe("authorCount" in paper.meta.who ? paper.meta.who.authorCount : undefined);
          expect(got.organization).toBe("organization" in paper.meta.who ? paper.meta.who.organization : undefined);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("keep every paper when stray text lines are inserted between them (and say so)", () => {
    const noise = fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(" "));
    fc.assert(
      fc.property(listingArb, fc.array(fc.tuple(fc.nat(), noise), { minLength: 1, maxLength: 3 }), (listing, insertions) => {
        const blocks = renderListing({ ...listing, crlf: false })
          .trimEnd()
          .split("\n\n");
        // insert noise only at paper boundaries: before a title block
        const titleBlocks = blocks.map((b, i) => (listing.papers.some((p) => p.title === b) ? i : -1)).filter((i) => i >= 0);
        const targets = insertions.map(([at, text]) => ({ index: titleBlocks[at % titleBlocks.length], text }));
        targets.sort((a, b) => b.index - a.index); // from the end, so earlier indices stay valid
        for (const { index, text } of targets) blocks.splice(index, 0, text);
        const result = parseListing(blocks.join("\n\n"), { referenceYear: 2025, onWarning: () => {} });
        const titles = new Set(result.papers.map((p) => p.title));
        for (const paper of listing.papers) expect(titles.has(paper.title)).toBe(true);
        // none of the noise is silently dropped or silently merged: every insertion costs a warning or a record
        const noiseSeen = insertions.every(
          ([, text]) =>
            titles.has(text) || result.warnings.some((w) => w.message.includes(text.slice(0, 40))) || PAGE_CHROME.has(text.toLowerCase()),
        );
        expect(noiseSeen).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------
// Well-formed structured listings: JSON, JSONL, CSV, Daily Papers JSON, Atom
// ---------------------------------------------------------------------------

const textUnit = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split("")) },
  { weight: 8, arbitrary: fc.constant(" ") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ",",
      ";",
      "\t",
      "\n",
      "\r\n",
      '"',
      "'",
      "<",
      ">",
      "&",
      "&amp;",
      "<b>",
      "</i>",
      "{",
      "}",
      "[",
      "]",
      "|",
      "·",
      "•",
      "é",
      "ß",
      "中",
      "😀",
      "\u00a0",
    ),
  },
);
const field = fc.string({ unit: textUnit, minLength: 1, maxLength: 60 });
const recordArb = fc
  .record({ title: field, abstract: fc.string({ unit: textUnit, minLength: 1, maxLength: 200 }) })
  .filter((r) => cleanText(r.title) !== "" && cleanText(r.abstract) !== "");
const recordsArb = fc.uniqueArray(recordArb, {
  minLength: 1,
  maxLength: 10,
  selector: (r) => `${cleanText(r.title)}\u0000${cleanText(r.abstract)}`,
});
type Rec = { title: string; abstract: string };

const xmlEscape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const csvQuote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

const renderers: Record<Exclude<ListingFormat, "hf-text">, (records: Rec[]) => string> = {
  json: (records) => JSON.stringify(records, null, 2),
  jsonl: (records) => records.map((r) => JSON.stringify(r)).join("\n") + "\n",
  csv: (records) => ["title,abstract", ...records.map((r) => `${csvQuote(r.title)},${csvQuote(r.abstract)}`)].join("\r\n") + "\r\n",
  "hf-json": (records) =>
    JSON.stringify(
      records.map((r, i) => ({
        paper: { id: `2501.${String(i + 1).padStart(5, "0")}`, title: r.title, summary: r.abstract, upvotes: i },
        numComments: 0,
      })),
    ),
  "arxiv-atom": (records) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<title>ArXiv Query</title>\n` +
    records
      .map(
        (r, i) =>
          `<entry>\n<id>http://arxiv.org/abs/2501.${String(i + 1).padStart(5, "0")}v1</id>\n<title>${xmlEscape(r.title)}</title>\n<summary>${xmlEscape(r.abstract)}</summary>\n<author><name>A. Author</name></author>\n</entry>\n`,
      )
      .join("") +
    "</feed>\n",
};

describe("property: well-formed structured listings", () => {
  for (const [format, render] of Object.entries(renderers) as [Exclude<ListingFormat, "hf-text">, (r: Rec[]) => string][]) {
    it(`lose no record in ${format}, detected or named`, () => {
      fc.assert(
        fc.property(recordsArb, fc.boolean(), (records, named) => {
          const result = parseListing(render(records), named ? { format } : {});
          // one JSONL line is also one JSON document; both readings give the same papers
          expect(result.format).toBe(format === "jsonl" && records.length === 1 && !named ? "json" : format);
          expect(result.warnings.filter((w) => w.kind !== "duplicate-title")).toEqual([]);
          expect(result.papers.map((p) => [p.title, p.abstract])).toEqual(records.map((r) => [cleanText(r.title), cleanText(r.abstract)]));
          expect(new Set(result.papers.map((p) => p.id)).size).toBe(records.length);
        }),
        { numRuns: 60 },
      );
    });
  }
});

// ---------------------------------------------------------------------------
// Random and mutated input: papers or a ParseError, nothing else, for every parser
// ---------------------------------------------------------------------------

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("delete-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap-lines" as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ unit: textUnit, maxLength: 20 }) }),
  fc.record({ kind: fc.constant("insert-binary" as const), at: fc.nat(), text: fc.string({ unit: "binary", maxLength: 8 }) }),
  fc.record({
    kind: fc.constant("replace-char" as const),
    at: fc.nat(),
    text: fc.constantFrom("<", ">", "&", '"', ",", "\n", "\n\n", "{", "]", "·", "\t", ""),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const lines = out.split("\n");
    const li = m.at % Math.max(lines.length, 1);
    const ci = m.at % Math.max(out.length + 1, 1);
    switch (m.kind) {
      case "delete-line":
        lines.splice(li, 1);
        out = lines.join("\n");
        break;
      case "duplicate-line":
        lines.splice(li, 0, lines[li] ?? "");
        out = lines.join("\n");
        break;
      case "swap-lines": {
        const lj = m.to % Math.max(lines.length, 1);
        [lines[li], lines[lj]] = [lines[lj], lines[li]];
        out = lines.join("\n");
        break;
      }
      case "truncate":
        out = out.slice(0, ci);
        break;
      case "insert":
      case "insert-binary":
        out = out.slice(0, ci) + m.text + out.slice(ci);
        break;
      case "replace-char":
        out = out.slice(0, ci) + m.text + out.slice(ci + 1);
        break;
    }
  }
  return out;
}

const anyListing = fc.oneof(listingArb.map(renderListing), ...Object.values(renderers).map((render) => recordsArb.map(render)));
const formatChoice = fc.constantFrom<ListingFormat | undefined>(undefined, ...LISTING_FORMATS);

function papersOrParseError(text: string, options: ParseOptions): void {
  try {
    const result = parseListing(text, { ...options, referenceYear: 2025, onWarning: () => {} });
    expect(Array.isArray(result.papers)).toBe(true);
    for (const paper of result.papers) {
      expect(paper.title).not.toBe("");
      expect(paper.abstract).not.toBe("");
      expect(paper.id).not.toBe("");
    }
    expect(new Set(result.papers.map((p) => p.id)).size).toBe(result.papers.length);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    expect(error.message.length).toBeGreaterThan(10);
  }
}

describe("property: any input gives papers or a ParseError", () => {
  it("for mutated listings of every format, read as every format", () => {
    fc.assert(
      fc.property(anyListing, fc.array(mutation, { minLength: 1, maxLength: 4 }), formatChoice, (text, mutations, format) => {
        papersOrParseError(mutate(text, mutations), { format });
      }),
      { numRuns: 400 },
    );
  });

  it("for random text and random bytes", () => {
    const randomText = fc.oneof(
      fc.string({ unit: textUnit, maxLength: 300 }),
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.string({ unit: "grapheme", maxLength: 200 }),
      fc.json(),
    );
    fc.assert(
      fc.property(randomText, formatChoice, (text, format) => {
        papersOrParseError(text, { format });
      }),
      { numRuns: 400 },
    );
  });

  it("in strict mode too", () => {
    fc.assert(
      fc.property(anyListing, fc.array(mutation, { minLength: 1, maxLength: 3 }), (text, mutations) => {
        papersOrParseError(mutate(text, mutations), { strict: true });
      }),
      { numRuns: 150 },
    );
  });
});
