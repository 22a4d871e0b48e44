import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, REPO_ROOT } from "./cli/build.js";

// The package must be importable by its own name ("papermap") once built: Node resolves a
// package's own name through its "exports" (self-reference), exactly as users import it.
describe("the built package", () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it("is importable as papermap and exposes the main API", () => {
    const script = `
      const m = await import("papermap");
      const papers = await m.loadDefaultListing();
      const lib = await m.PaperLibrary.create(papers.slice(0, 12), { embedder: "lexical", cacheDir: false });
      const hits = await lib.search(papers[3].title, { k: 3 });
      console.log(JSON.stringify({
        names: ["PaperLibrary", "loadPapers", "parsePapers", "LexicalEmbedder", "TransformersEmbedder", "HnswIndex", "buildThemes", "renderHtml", "ParseError"].filter((n) => typeof m[n] !== "function"),
        papers: papers.length,
        top: hits[0]?.paper.id,
        expected: papers[3].id,
      }));
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}");
    expect(out.names).toEqual([]);
    expect(out.papers).toBe(82);
    expect(out.top).toBe(out.expected);
  });
});
