import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, ParseError } from "../../src/errors.js";
import { parseListing, parsePapers, type ParseWarning } from "../../src/ingest/index.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ingest/${name}`, import.meta.url), "utf8");

const ABSTRACT_A =
  "We study how tokenizers shape what language models learn. Our experiments cover twelve languages and three model sizes.";
const ABSTRACT_B =
  "Masked image modeling trains encoders to reconstruct hidden patches. We show that visible tokens carry most of the signal.";
const ABSTRACT_C = "Speculative decoding drafts several tokens at once and verifies them in parallel, which cuts latency in half.";

function parse(text: string, options: Parameters<typeof parseListing>[1] = {}) {
  const warnings: ParseWarning[] = [];
  const result = parseListing(text, { format: "hf-text", referenceYear: 2025, onWarning: (w) => warnings.push(w), ...options });
  expect(result.warnings).toEqual(warnings);
  return result;
}

describe("Hugging Face text listing: the fixture", () => {
  const result = parse(fixture("hf-listing-small.txt"), { format: undefined });

  it("is detected and gives its five papers without warnings", () => {
    expect(result.format).toBe("hf-text");
    expect(result.warnings).toEqual([]);
    expect(result.papers.map((p) => p.title)).toEqual([
      "Cautious Next Token Prediction",
      "TokBench: Evaluating Your Visual Tokenizer before Visual Generation",
      "Learning with Unmasked Tokens Drives Stronger Vision Learners",
      "Token-Shuffle: Towards High-Resolution Image Generation with Autoregressive Models",
      "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators",
    ]);
  });

  it("dates a listing captured on Jan 3: Dec 30 is last year's, Jan 2 this year's", () => {
    expect(result.listingDate).toBe("2025-01-03");
    expect(result.papers[0]).toMatchObject({ published: "2024-12-30", upvotes: 4, authorCount: 10 });
    expect(result.papers[1]).toMatchObject({ published: "2025-01-02", upvotes: 12, authorCount: 9 });
    expect(result.papers[4]).toMatchObject({ published: "2020-03-23", upvotes: 1234, authorCount: 4 });
  });

  it("cleans abstracts: tags gone, entities decoded, bare < kept", () => {
    expect(result.papers[1].abstract).toBe(
      "We reveal the limitations of visual tokenizers in preserving fine-grained features. The benchmark is lightweight, requiring just 2GB memory and 4 minutes to complete & covers text and faces.",
    );
    expect(result.papers[2].abstract).toContain("where FID<2 and overheads stay small (<4%).");
  });

  it("reads the organization line and the paper with no metadata", () => {
    expect(result.papers[2]).toMatchObject({ organization: "naver-ai NAVER AI Lab", published: "2023-10-20" });
    expect(result.papers[2].authorCount).toBeUndefined();
    const bare = result.papers[3];
    expect(Object.keys(bare).sort()).toEqual(["abstract", "id", "title"]);
  });
});

describe("Hugging Face text listing: layout variants", () => {
  it("needs no page chrome", () => {
    const text = `Tokenizers Shape Models\n\n${ABSTRACT_A}\n\n  • 3 authors\n·\nMar 3 5\n\nVisible Tokens Matter\n\n${ABSTRACT_B}\n`;
    const { papers, warnings } = parse(text);
    expect(warnings).toEqual([]);
    expect(papers).toHaveLength(2);
    expect(papers[0]).toMatchObject({ title: "Tokenizers Shape Models", authorCount: 3, published: "2025-03-03", upvotes: 5 });
    expect(papers[1]).toMatchObject({ title: "Visible Tokens Matter", abstract: ABSTRACT_B });
  });

  it("reads CRLF line endings, hard-wrapped abstracts and metadata without a blank line before it", () => {
    const wrapped = ABSTRACT_A.replace(". ", ".\r\n");
    const text = `Tokenizers Shape Models\r\n\r\n${wrapped}\r\n  • 3 authors\r\n·\r\nMar 3\r\n\r\nVisible Tokens Matter\r\n\r\n${ABSTRACT_B}\r\n`;
    const { papers, warnings } = parse(text);
    expect(warnings).toEqual([]);
    expect(papers.map((p) => p.abstract)).toEqual([ABSTRACT_A, ABSTRACT_B]);
    expect(papers[0]).toMatchObject({ authorCount: 3, published: "2025-03-03" });
  });

  it("joins a second abstract paragraph to the first", () => {
    const text = `Tokenizers Shape Models\n\n${ABSTRACT_A}\n\n${ABSTRACT_B}\n\n  • 2 authors\n·\nMay 1\n\nDraft and Verify\n\n${ABSTRACT_C}\n`;
    const { papers, warnings } = parse(text);
    expect(warnings).toEqual([]);
    expect(papers).toHaveLength(2);
    expect(papers[0].abstract).toBe(`${ABSTRACT_A} ${ABSTRACT_B}`);
    expect(papers[0].authorCount).toBe(2);
    expect(papers[1].title).toBe("Draft and Verify");
  });

  it("takes the year of a header date that has one", () => {
    const text = `Daily Papers\n\nNov 21, 2024\n\nTokenizers Shape Models\n\n${ABSTRACT_A}\n\n  • 3 authors\n·\nDec 3\n`;
    const result = parseListing(text, { onWarning: () => expect.fail("no warning expected") });
    expect(result.listingDate).toBe("2024-11-21");
    expect(result.papers[0].published).toBe("2023-12-03");
  });

  it("uses the listingDate option over the header", () => {
    const text = `Nov 21\n\nTokenizers Shape Models\n\n${ABSTRACT_A}\n\n  • 3 authors\n·\nDec 3\n`;
    const result = parse(text, { referenceYear: undefined, listingDate: "2026-01-05" });
    expect(result.listingDate).toBe("2026-01-05");
    expect(result.papers[0].published).toBe("2025-12-03");
  });

  it("accepts full month names and upvote counts written 1.2k", () => {
    const text = `Tokenizers Shape Models\n\n${ABSTRACT_A}\n\n  • 3 authors\n·\nSeptember 9, 2024 1.2k\n`;
    expect(parse(text).papers[0]).toMatchObject({ published: "2024-09-09", upvotes: 1200 });
  });
});

describe("Hugging Face text listing: what is skipped is reported", () => {
  it("warns about a title without an abstract and keeps the others", () => {
    const text = `Tokenizers Shape Models\n\n${ABSTRACT_A}\n\nA Paper Whose Abstract Is Missing\n\n  • 4 authors\n·\nJun 2\n\nVisible Tokens Matter\n\n${ABSTRACT_B}\n`;
    const { papers, warnings } = parse(text);
    expect(papers.map((p) => p.title)).toEqual(["Tokenizers Shape Models", "Visible Tokens Matter"]);
    expect(papers[0].authorCount).toBeUndefined(); // the metadata belonged to the skipped paper
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: "missing-abstract", line: 5, record: 2 });
    expect(warnings[0].message).toContain('"A Paper Whose Abstract Is Missing"');
  });

  it("warns about unknown text before the first paper", () => {
    const text = `Some Page Heading\n\nTokenizers Shape Models\n\n${ABSTRACT_A}\n`;
    const { papers, warnings } = parse(text);
    expect(papers.map((p) => p.title)).toEqual(["Tokenizers Shape Models"]);
    expect(warnings).toMatchObject([{ kind: "unrecognised-text", line: 1 }]);
  });

  it("warns about a metadata block that follows no paper", () => {
    const text = `Tokenizers Shape Models\n\n${ABSTRACT_A}\n\n  • 3 authors\n·\nMar 3\n\n  • 5 authors\n·\nMar 4\n\nVisible Tokens Matter\n\n${ABSTRACT_B}\n`;
    const { papers, warnings } = parse(text);
    expect(papers).toHaveLength(2);
    expect(papers[0].authorCount).toBe(3);
    expect(warnings).toMatchObject([{ kind: "orphan-metadata", line: 9 }]);
  });

  it("warns about an impossible date and keeps the paper", () => {
    const text = `Tokenizers Shape Models\n\n${ABSTRACT_A}\n\n  • 3 authors\n·\nFeb 29\n`;
    const { papers, warnings } = parse(text);
    expect(papers).toHaveLength(1);
    expect(papers[0].published).toBeUndefined();
    expect(papers[0].authorCount).toBe(3);
    expect(warnings).toMatchObject([{ kind: "invalid-field", line: 5 }]);
  });

  it("names both records when a paper is listed twice", () => {
    const paper = `Tokenizers Shape Models\n\n${ABSTRACT_A}\n\n`;
    const { papers, warnings } = parse(`${paper}Visible Tokens Matter\n\n${ABSTRACT_B}\n\n${paper}`);
    expect(papers).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      kind: "duplicate-id",
      record: 3,
      line: 9,
      duplicateOf: { id: "tokenizers-shape-models", record: 1, line: 1 },
    });
    expect(warnings[0].message).toMatch(/record 3 \(line 9\).*record 1 \(line 1\)/i);
  });

  it("keeps two different papers with the same title, the second as <slug>-2", () => {
    const { papers, warnings } = parse(`Tokenizers Shape Models\n\n${ABSTRACT_A}\n\nTokenizers Shape Models\n\n${ABSTRACT_B}\n`);
    expect(papers.map((p) => p.id)).toEqual(["tokenizers-shape-models", "tokenizers-shape-models-2"]);
    expect(warnings).toMatchObject([{ kind: "duplicate-title", record: 2 }]);
  });

  it("gives titles that only share their slug -2 without a warning", () => {
    const { papers, warnings } = parse(`Tokenizers Shape Models\n\n${ABSTRACT_A}\n\nTokenizers Shape Models?\n\n${ABSTRACT_B}\n`);
    expect(papers.map((p) => p.id)).toEqual(["tokenizers-shape-models", "tokenizers-shape-models-2"]);
    expect(warnings).toEqual([]);
  });

  it("throws in strict mode instead of skipping", () => {
    const text = `Tokenizers Shape Models\n\n${ABSTRACT_A}\n\nA Paper Whose Abstract Is Missing\n\n  • 4 authors\n·\nJun 2\n`;
    expect(() => parseListing(text, { strict: true })).toThrow(ParseError);
    try {
      parseListing(text, { strict: true });
    } catch (error) {
      expect((error as ParseError).line).toBe(5);
      expect((error as ParseError).message).toMatch(/no abstract/);
    }
  });

  it("throws ParseError when nothing in the text is a paper", () => {
    expect(() => parsePapers("Daily Papers\n\nSubscribe\n", { format: "hf-text" })).toThrow(/no papers found/);
    expect(() => parsePapers("Daily Papers\n\nSubscribe\n")).toThrow(/unknown format/);
    expect(() => parsePapers("just one line")).toThrow(ParseError);
  });

  it("refuses a bad referenceYear or listingDate", () => {
    const text = `Tokenizers Shape Models\n\n${ABSTRACT_A}\n`;
    expect(() => parsePapers(text, { referenceYear: 25 })).toThrow(InvalidArgumentError);
    expect(() => parsePapers(text, { referenceYear: 2025.5 })).toThrow(InvalidArgumentError);
    expect(() => parsePapers(text, { listingDate: "Nov 21" })).toThrow(InvalidArgumentError);
    expect(() => parsePapers(text, { listingDate: "2025-02-30" })).toThrow(InvalidArgumentError);
  });
});
