import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { ParseContext } from "../../src/ingest/context.js";
import { detect } from "../../src/ingest/detect.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ingest/${name}`, import.meta.url), "utf8");
const formatOf = (text: string): string => detect(text, new ParseContext({})).format;

describe("format detection", () => {
  it("recognises every fixture", () => {
    expect(formatOf(fixture("hf-listing-small.txt"))).toBe("hf-text");
    expect(formatOf(fixture("hf-daily-papers.json"))).toBe("hf-json");
    expect(formatOf(fixture("arxiv-query.atom.xml"))).toBe("arxiv-atom");
    expect(formatOf(fixture("papers.json"))).toBe("json");
    expect(formatOf(fixture("papers.jsonl"))).toBe("jsonl");
    expect(formatOf(fixture("papers.csv"))).toBe("csv");
    expect(formatOf(fixture("papers.tsv"))).toBe("csv");
  });

  it("keeps a text listing whose first title starts with [ as text", () => {
    expect(formatOf("[CLS] Token Tells Everything Needed for Training-free Efficient MLLMs\n\nMultimodal models ...")).toBe("hf-text");
    expect(formatOf("{Curly} Titles Happen\n\nAn abstract.")).toBe("hf-text");
  });

  it("sends broken JSON to the JSON parser so its error names the line", () => {
    expect(formatOf('[{"title": "T",\n "abstract": }]')).toBe("json");
    expect(formatOf('{"title": "T", "abstract": "A"}\n{"title": "U"')).toBe("jsonl");
  });

  it("does not take a prose line with commas for a CSV header", () => {
    expect(formatOf("Tokens, masks and titles\n\nAn abstract, with commas, that goes on.")).toBe("hf-text");
  });

  it("refuses PDFs, binary files and HTML pages with advice", () => {
    const refuse = (text: string): string => {
      try {
        detect(text, new ParseContext({}));
      } catch (error) {
        expect(error).toBeInstanceOf(ParseError);
        return (error as Error).message;
      }
      throw new Error("expected a ParseError");
    };
    expect(refuse("%PDF-1.7\n%âãÏÓ\n1 0 obj")).toMatch(/PDF file/);
    expect(refuse("PK\u0003\u0004\u0014\u0000\u0006\u0000")).toMatch(/binary file/);
    expect(refuse("<!DOCTYPE html>\n<html><head></head></html>")).toMatch(/HTML page/);
    expect(refuse("<html lang=en>")).toMatch(/HTML page/);
  });
});
