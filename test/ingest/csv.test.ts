import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { thrown } from "../helpers/parse-error.js";
import { detectDelimiter } from "../../src/ingest/csv.js";
import { parseListing, parsePapers, type ParseWarning } from "../../src/ingest/index.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ingest/${name}`, import.meta.url), "utf8");

describe("CSV", () => {
  it("reads the fixture: CRLF, quoted fields over two lines, doubled quotes, column names in any case", () => {
    const result = parseListing(fixture("papers.csv"));
    expect(result.format).toBe("csv");
    const [meap, monobyte, retromae] = result.papers;
    expect(result.papers).toHaveLength(3); // the ",,,,," row is blank, not a record
    expect(meap).toMatchObject({
      id: "2502.07490",
      authors: ["Xialie Zhuang", "Zhikai Jia", "Jianjin Li"],
      published: "2025-02-11",
      upvotes: 2,
    });
    expect(meap.abstract).toContain('a "simple yet effective" training paradigm.');
    expect(monobyte).toMatchObject({
      id: "monobyte-a-pool-of-monolingual-byte-level-language-models",
      published: "2022-09-22",
      upvotes: 1,
    });
    expect(monobyte.abstract).toBe(
      "The zero-shot cross-lingual ability of models pretrained on multilingual corpora has spurred many hypotheses, with this abstract running over two lines.",
    );
    expect(retromae).toMatchObject({ id: "2211.08769" });
    expect(retromae.published).toBeUndefined();
    expect(retromae.upvotes).toBeUndefined();
    // the record after a two-line field starts on line 7 of the file
    expect(result.warnings.map((w) => [w.kind, w.record, w.line])).toEqual([
      ["invalid-field", 4, 7],
      ["invalid-field", 4, 7],
    ]);
    expect(result.warnings[0].message).toMatch(/date "not a date" is not a calendar day/);
    expect(result.warnings[1].message).toMatch(/upvotes "lots" is not a count/);
  });

  it("reads tab-separated files", () => {
    const result = parseListing(fixture("papers.tsv"));
    expect(result.format).toBe("csv");
    expect(result.papers.map((p) => [p.id, p.published])).toEqual([
      ["cautious-next-token-prediction", "2025-07-03"],
      ["zero-shot-tokenizer-transfer", "2024-05-13"],
    ]);
  });

  it("detects the delimiter from the header", () => {
    expect(detectDelimiter("title,abstract")).toBe(",");
    expect(detectDelimiter("title\tabstract\turl")).toBe("\t");
    expect(detectDelimiter("title;abstract;authors")).toBe(";");
    expect(detectDelimiter('"title, main";abstract;x')).toBe(";");
  });

  it("reports unclosed quotes and ragged rows with their line", () => {
    let error = thrown(() => parsePapers('title,abstract\nA,"B never closes\nC,D\n'));
    expect(error.line).toBeGreaterThanOrEqual(2);
    expect(error.message).toMatch(/not valid CSV: Quote Not Closed/);
    error = thrown(() => parsePapers("title,abstract\nA,B\nC,D,E\n"));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/not valid CSV: Invalid Record Length: expect 2, got 3/);
  });

  it("asks for title and abstract columns when the header lacks them", () => {
    const error = thrown(() => parsePapers("name,text\nA,B\n", { format: "csv" }));
    expect(error.message).toMatch(/lacks a title column and an abstract column \(columns found: name, text\)/);
    expect(thrown(() => parsePapers("title,text\nA,B\n", { format: "csv" })).message).toMatch(/lacks an abstract column/);
  });

  it("skips rows without a title or abstract, naming them", () => {
    const warnings: ParseWarning[] = [];
    const papers = parsePapers("title,abstract\nA,B.\n,Orphan abstract.\nNo abstract,\n", { onWarning: (w) => warnings.push(w) });
    expect(papers.map((p) => p.title)).toEqual(["A"]);
    expect(warnings.map((w) => [w.kind, w.record, w.line])).toEqual([
      ["missing-title", 2, 3],
      ["missing-abstract", 3, 4],
    ]);
  });

  it("reads a header-only file as an empty listing", () => {
    expect(parseListing("title,abstract\n")).toMatchObject({ papers: [], format: "csv" });
  });
});
