import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import type { Paper } from "../../src/paper.js";
import { compileFilter } from "../../src/search/filter.js";

const papers: Paper[] = [
  { id: "a", title: "A", abstract: "", published: "2024-01-15", upvotes: 3 },
  { id: "b", title: "B", abstract: "", published: "2024-06-30", upvotes: 10 },
  { id: "c", title: "C", abstract: "", published: "2025-02-01" },
  { id: "d", title: "D", abstract: "", upvotes: 50 },
];
const lookup = (id: string) => papers.find((p) => p.id === id);
const kept = (filter: Parameters<typeof compileFilter>[0]) => {
  const g = compileFilter(filter, lookup);
  const out = papers.map((p) => p.id).filter((id) => !g.accept || g.accept(id));
  g.check();
  return out;
};

describe("compileFilter", () => {
  it("keeps everything without conditions", () => {
    expect(compileFilter(undefined, lookup).accept).toBeUndefined();
    expect(compileFilter({}, lookup).accept).toBeUndefined();
  });

  it("compares dates as inclusive ISO prefixes and drops undated papers", () => {
    expect(kept({ from: "2024-06" })).toEqual(["b", "c"]);
    expect(kept({ to: "2024" })).toEqual(["a", "b"]);
    expect(kept({ from: "2024-06-30", to: "2024-06-30" })).toEqual(["b"]);
    expect(kept({ from: "2024-02", to: "2025-01" })).toEqual(["b"]);
  });

  it("treats missing upvotes as 0", () => {
    expect(kept({ minUpvotes: 10 })).toEqual(["b", "d"]);
    expect(kept({ minUpvotes: 0 })).toEqual(["a", "b", "c", "d"]);
  });

  it("combines conditions with a predicate", () => {
    expect(kept({ minUpvotes: 1, where: (p) => p.title !== "B" })).toEqual(["a", "d"]);
    // a predicate must return exactly true
    expect(kept({ where: () => 1 as unknown as boolean })).toEqual([]);
  });

  it("turns a throwing predicate into an InvalidArgumentError after the scan", () => {
    const g = compileFilter(
      {
        where: (p) => {
          if (p.id === "b") throw new Error("boom");
          return true;
        },
      },
      lookup,
    );
    const accepted = papers.map((p) => p.id).filter((id) => g.accept!(id));
    expect(accepted).toEqual(["a"]); // after the failure everything is refused
    expect(() => g.check()).toThrow(InvalidArgumentError);
    expect(() => g.check()).toThrow(/filter\.where threw for paper "b": boom/);
  });

  it("rejects malformed filters with a message saying what is expected", () => {
    expect(() => compileFilter({ from: "15/01/2024" }, lookup)).toThrow(/YYYY-MM-DD/);
    expect(() => compileFilter({ from: "2025", to: "2024" }, lookup)).toThrow(/after filter\.to/);
    expect(() => compileFilter({ minUpvotes: Number.NaN }, lookup)).toThrow(InvalidArgumentError);
    expect(() => compileFilter({ where: "yes" as unknown as () => boolean }, lookup)).toThrow(/must be a function/);
    expect(() => compileFilter("2024" as unknown as object, lookup)).toThrow(InvalidArgumentError);
  });

  it("rejects impossible dates, as the ingest does, and reports NaN as NaN", () => {
    for (const date of ["2025-13", "2025-00", "2025-02-30", "2024-02-30", "2025-04-31", "0999"]) {
      expect(() => compileFilter({ from: date }, lookup), date).toThrow(InvalidArgumentError);
      expect(() => compileFilter({ to: date }, lookup), date).toThrow(/filter\.to must be a real date/);
    }
    expect(() => compileFilter({ from: "2024-02-29", to: "2024-12" }, lookup)).not.toThrow();
    expect(() => compileFilter({ minUpvotes: Number.NaN }, lookup)).toThrow(/got NaN\./);
  });
});
