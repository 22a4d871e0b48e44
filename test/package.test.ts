import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, REPO_ROOT } from "./cli/build.js";

/** Imports `specifier` in a fresh Node process, as a user would, and returns what `script` prints (JSON). */
function runModule(script: string): unknown {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}");
}

/** The backticked names in the README's "Public API" section: values from its table, types from the paragraph after "these types". */
function readmeApi(): { values: string[]; types: string[] } {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Public API"), readme.indexOf("The building blocks underneath"));
  const names = (text: string) => [...text.matchAll(/`([A-Za-z_][\w]*)`/g)].map((m) => m[1]);
  const table = section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| group"));
  const types = section.slice(section.indexOf("these types"));
  return { values: names(table.map((l) => l.split("|")[2]).join(" ")).sort(), types: names(types).sort() };
}

// The package must be importable by its own name ("papermap") once built: Node resolves a
// package's own name through its "exports" (self-reference), exactly as users import it.
describe("the built package", () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it("is importable as papermap and works end to end", () => {
    const out = runModule(`
      const m = await import("papermap");
      const papers = await m.loadDefaultListing();
      const lib = await m.PaperLibrary.create(papers.slice(0, 12), { embedder: "lexical", cacheDir: false });
      const hits = await lib.search(papers[3].title, { k: 3 });
      console.log(JSON.stringify({ papers: papers.length, top: hits[0]?.paper.id, expected: papers[3].id }));
    `) as { papers: number; top: string; expected: string };
    expect(out.papers).toBe(82);
    expect(out.top).toBe(out.expected);
  });

  it("exports exactly the values the README lists, and the types it lists", () => {
    const runtime = (
      runModule(`const m = await import("papermap"); console.log(JSON.stringify(Object.keys(m).sort()));`) as string[]
    ).sort();
    const { values, types } = readmeApi();
    expect(values.length).toBeGreaterThan(10);
    expect(runtime).toEqual(values);
    // Type-only exports exist only in the declarations.
    const declarations = readFileSync(path.join(REPO_ROOT, "dist/index.d.ts"), "utf8");
    const declared = [...declarations.matchAll(/export type \{([^}]*)\}/g)]
      .flatMap((m) => m[1].split(","))
      .map((n) => n.trim())
      .filter(Boolean)
      .sort();
    expect(declared).toEqual(types);
  });

  it("keeps the plumbing behind papermap/internals", () => {
    const out = runModule(`
      const main = await import("papermap");
      const internals = await import("papermap/internals");
      const plumbing = ["resolveEmbedder", "restoreEmbedder", "describeEmbedder", "EmbeddingCache", "withCache", "CachedEmbedder"];
      console.log(JSON.stringify({ inMain: plumbing.filter((n) => n in main), inInternals: plumbing.filter((n) => typeof internals[n] === "function") }));
    `) as { inMain: string[]; inInternals: string[] };
    expect(out.inMain).toEqual([]);
    expect(out.inInternals).toHaveLength(6);
  });
});
