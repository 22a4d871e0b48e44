import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { parseListing, parsePapers } from "../../src/ingest/index.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ingest/${name}`, import.meta.url), "utf8");

describe("arXiv API Atom XML", () => {
  const result = parseListing(fixture("arxiv-query.atom.xml"));

  it("is detected and gives one paper per entry", () => {
    expect(result.format).toBe("arxiv-atom");
    expect(result.warnings).toEqual([]);
    expect(result.papers.map((p) => p.id)).toEqual(["2003.10555", "2502.14786", "hep-ex/0307015"]);
  });

  it("joins wrapped titles and summaries, decodes entities, strips versions", () => {
    const [electra, flextok, h1] = result.papers;
    expect(electra.title).toBe("ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators");
    expect(electra.abstract.startsWith("Masked language modeling (MLM) pre-training methods such as BERT corrupt the input by")).toBe(true);
    expect(electra).toMatchObject({
      authors: ["Kevin Clark", "Minh-Thang Luong", "Quoc V. Le", "Christopher D. Manning"],
      authorCount: 4,
      published: "2020-03-23",
      url: "https://arxiv.org/abs/2003.10555",
    });
    expect(flextok.abstract).toContain("achieves an FID<2 across 8 to 128 tokens & matches");
    expect(flextok.published).toBe("2025-02-19"); // <published>, not <updated>
    expect(h1).toMatchObject({
      title: "Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA",
      authors: ["H1 Collaboration"],
      published: "2003-07-07",
    });
  });

  it("turns an API error feed into a ParseError with its message", () => {
    expect(() => parsePapers(fixture("arxiv-error.atom.xml"))).toThrow(ParseError);
    expect(() => parsePapers(fixture("arxiv-error.atom.xml"))).toThrow(/incorrect id format for 1234\.12345/);
  });

  it("reads a feed with no entries as an empty listing", () => {
    const empty = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title></feed>';
    expect(parseListing(empty)).toMatchObject({ papers: [], warnings: [], format: "arxiv-atom" });
  });

  it("reports malformed XML with its line", () => {
    const text = fixture("arxiv-query.atom.xml");
    const truncated = text.slice(0, text.indexOf("</summary>", text.indexOf("FlexTok")));
    try {
      parsePapers(truncated);
      expect.fail("should throw");
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).message).toMatch(/not well-formed XML/);
      expect((error as ParseError).line).toBeGreaterThan(1);
    }
    const mismatched = '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n<title>T</summary>\n</entry></feed>';
    expect(() => parsePapers(mismatched)).toThrow(expect.objectContaining({ name: "ParseError", line: 3 }));
  });

  it("warns about entries without title or summary", () => {
    const feed = `<feed xmlns="http://www.w3.org/2005/Atom">
<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>Only a title</title></entry>
<entry><id>http://arxiv.org/abs/2401.00002v1</id><title>Kept</title><summary>A summary long enough.</summary></entry>
</feed>`;
    const result = parseListing(feed);
    expect(result.papers.map((p) => p.id)).toEqual(["2401.00002"]);
    expect(result.warnings).toMatchObject([{ kind: "missing-abstract", record: 1, line: 2 }]);
  });

  it("refuses XML that is not an Atom feed", () => {
    expect(() => parsePapers("<rss><channel><item><title>T</title></item></channel></rss>")).toThrow(/RSS feeds are not supported/);
    expect(() => parsePapers("<papers><paper/></papers>")).toThrow(/not an Atom <feed>/);
    expect(() => parsePapers("<papers><paper/></papers>", { format: "arxiv-atom" })).toThrow(/root element is <papers>/);
    expect(() => parsePapers("<!DOCTYPE html><html><body>Daily Papers</body></html>")).toThrow(/HTML page/);
  });
});

describe("arXiv Atom text decoding", () => {
  it("decodes numeric and HTML entities once, after the XML ones", () => {
    const feed = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.00003v1</id>
<title>Caf&#233; &amp; Co&nbsp;Tokens</title><summary>Errors drop below 5&#x25; for x &lt; 2 &mdash; H&lt;sub&gt;2&lt;/sub&gt;O stays.</summary></entry></feed>`;
    const [paper] = parsePapers(feed);
    expect(paper.title).toBe("Café & Co Tokens");
    expect(paper.abstract).toBe("Errors drop below 5% for x < 2 — H2O stays.");
  });
});
