// The command line, run in-process: `main(argv, io)` with in-memory streams, a temporary
// folder as its working directory and an environment of its own (process.env is neither
// read nor changed). The real executable is exercised in binary.test.ts.
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/run.js";
import { createTinyModel } from "../helpers/tiny-model.js";
import { REPO_ROOT } from "./build.js";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let tmp: string;
let env: Record<string, string>;

/** A stream that keeps what is written. */
function sink(options: { isTTY?: boolean } = {}) {
  const chunks: string[] = [];
  return { write: (text: string) => chunks.push(text), isTTY: options.isTTY ?? false, columns: 100, text: () => chunks.join("") };
}

/** Runs `papermap <args>` in-process. */
async function papermap(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(args, { stdout, stderr, cwd: options.cwd ?? tmp, env: { ...env, ...options.env } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** An error: non-zero exit, nothing on stdout, exactly one line on stderr naming the problem. */
function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^papermap: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

const SHIPPED_PAPERS = 82;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-cli-"));
  // Offline and with a private cache: fast, and nothing written outside the temp folder.
  env = { PAPERMAP_OFFLINE: "1", PAPERMAP_CACHE_DIR: path.join(tmp, "cache"), NO_COLOR: "1" };
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("help and version", () => {
  it("prints the command list with --help, -h, help and no arguments", async () => {
    for (const args of [["--help"], ["-h"], ["help"], []]) {
      const run = await papermap(args);
      expect(run.code).toBe(0);
      for (const command of ["themes", "search", "related", "index", "report", "start"]) {
        expect(run.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
      }
      expect(run.stderr).toBe("");
    }
  });

  it("prints each command's usage and options with --help", async () => {
    const expected: Record<string, RegExp[]> = {
      themes: [/--k <n\|auto>/, /--json/, /--library <dir>/],
      search: [/--mode <mode>/, /--k <n>/, /--min-upvotes/],
      related: [/paper id \| title fragment/, /--diversity/],
      index: [/--out <dir>/, /--embedder <name>/, /--model-path/, /--offline/],
      report: [/--format <fmt>/, /html \| md \| json/, /--out <file>/],
      start: [/digest\.html/],
    };
    for (const [command, patterns] of Object.entries(expected)) {
      const run = await papermap([command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: papermap ${command}`));
      for (const p of patterns) expect(run.stdout).toMatch(p);
    }
    const viaHelp = await papermap(["help", "search"]);
    expect(viaHelp.stdout).toMatch(/^Usage: papermap search/);
  });

  it("prints the package version", async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, "package.json"), "utf8"));
    const run = await papermap(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });
});

describe("errors: one clear line on stderr and a non-zero exit", () => {
  it("unknown command", async () => {
    expectOneLineError(await papermap(["serach", "x"]), 2, /unknown command "serach" \(did you mean "search"\?\)/);
  });

  it("unknown option", async () => {
    expectOneLineError(await papermap(["themes", "--colour"]), 2, /unknown option "--colour" for "papermap themes"/);
  });

  it("bad option values", async () => {
    expectOneLineError(await papermap(["themes", "--k", "0"]), 2, /--k must be a whole number ≥ 1, got "0"/);
    expectOneLineError(await papermap(["themes", "--k", "many"]), 2, /--k must be a whole number ≥ 1, got "many"/);
    expectOneLineError(await papermap(["search", "x", "--mode", "fuzzy"]), 2, /--mode must be one of hybrid, vector, keyword, got "fuzzy"/);
    expectOneLineError(await papermap(["search", "x", "--diversity", "2"]), 2, /--diversity must be a number from 0 to 1/);
    expectOneLineError(await papermap(["search", "x", "--from", "11/02/2025"]), 2, /--from must be a real date like 2025-02-11/);
    expectOneLineError(await papermap(["search", "x", "--k"]), 2, /option "--k" of "papermap search" needs a value/);
    expectOneLineError(await papermap(["themes", "--json=yes"]), 2, /option "--json" of "papermap themes" takes no value/);
    expectOneLineError(
      await papermap(["themes", "--input-format", "docx"]),
      2,
      /--input-format must be one of arxiv-atom, hf-json, json, jsonl, csv, hf-text, got "docx"/,
    );
    expectOneLineError(await papermap(["report", "--out", "x.pdf", "--format", "pdf"]), 2, /--format must be html, md or json, got "pdf"/);
    expectOneLineError(await papermap(["report", "--out", "x.html", "--map", "tsne"]), 2, /--map must be umap, pca or none/);
    expectOneLineError(
      await papermap(["themes", "--embedder", "lexical", "--model-path", "."]),
      2,
      /cannot be combined with --embedder lexical/,
    );
  });

  it("missing arguments", async () => {
    expectOneLineError(await papermap(["search"]), 2, /"papermap search" needs a query/);
    expectOneLineError(await papermap(["related"]), 2, /"papermap related" needs a paper/);
    expectOneLineError(await papermap(["index"]), 2, /"papermap index" needs a listing/);
    expectOneLineError(await papermap(["index", "a.txt"]), 2, /"papermap index" needs --out <dir>/);
    expectOneLineError(await papermap(["report"]), 2, /"papermap report" needs --out <file>/);
    expectOneLineError(await papermap(["search", "  "]), 2, /the search query is empty/);
  });

  it("missing listing file", async () => {
    expectOneLineError(await papermap(["themes", "no-such-listing.txt"]), 1, /listing file "no-such-listing\.txt" does not exist/);
  });

  it("a listing in no known format", async () => {
    const file = path.join(tmp, "mystery.bin");
    await writeFile(file, Buffer.from([0, 1, 2, 3, 255, 254, 0, 7, 9, 10, 0]));
    const run = await papermap(["themes", file]);
    expectOneLineError(run, 1, /mystery\.bin/);
  });

  it("a text file that is no listing at all (unknown format)", async () => {
    const file = path.join(tmp, "notes.txt");
    await writeFile(file, "just some words\n");
    expectOneLineError(await papermap(["themes", file]), 1, /notes\.txt: unknown format: .*Pass --input-format <fmt>/);
  });

  it("a malformed listing in a named format", async () => {
    const file = path.join(tmp, "broken.json");
    await writeFile(file, '[{"title": "A", "abstract": "B"}, {');
    expectOneLineError(await papermap(["themes", file, "--input-format", "json"]), 1, /broken\.json|JSON/);
  });

  it("unknown paper id (with --quiet: only the error; without, the error is the last line)", async () => {
    const loud = await papermap(["related", "no-such-paper-xyz", "--embedder", "lexical"]);
    expect(loud.code).toBe(1);
    expect(loud.stdout).toBe("");
    expect(loud.stderr.trimEnd().split("\n").at(-1)).toMatch(/^papermap: Unknown paper id "no-such-paper-xyz"/);
    expectOneLineError(
      await papermap(["related", "no-such-paper-xyz", "--embedder", "lexical", "--quiet"]),
      1,
      /Unknown paper id "no-such-paper-xyz"/,
    );
  });

  it("a title fragment that matches several papers lists them and exits 1", async () => {
    const run = await papermap(["related", "Token Pruning", "--embedder", "lexical", "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const [first, ...candidates] = run.stderr.trimEnd().split("\n");
    expect(first).toMatch(/^papermap: "Token Pruning" matches \d+ paper titles; repeat with more of the title or one of these ids:$/);
    expect(candidates.length).toBeGreaterThanOrEqual(3);
    for (const line of candidates) expect(line).toMatch(/^ {2}\S+ {2}.*token pruning/i);
    expect(candidates.some((l) => l.includes("DivPrune"))).toBe(true);
  });

  it("library folder that does not exist, and --library mixed with listings", async () => {
    expectOneLineError(
      await papermap(["search", "x", "--library", "nowhere"]),
      1,
      /no library at "nowhere"; build one with `papermap index/,
    );
    expectOneLineError(await papermap(["search", "x", "a.txt", "--library", "nowhere"]), 2, /either listing files or --library, not both/);
    expectOneLineError(
      await papermap(["search", "x", "--library", "nowhere", "--embedder", "lexical"]),
      2,
      /--embedder applies to listing files/,
    );
  });

  it("a library folder that is not a library", async () => {
    const dir = path.join(tmp, "not-a-library");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "notes.txt"), "hello");
    const run = await papermap(["search", "x", "--library", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^papermap: /);
    // index refuses to overwrite a folder that holds other files
    expectOneLineError(
      await papermap(["index", path.join(REPO_ROOT, "data/hf-papers-token-listing.txt"), "--out", dir, "--embedder", "lexical"]),
      1,
      /holds other files, not a papermap library/,
    );
    expect(await readdir(dir)).toEqual(["notes.txt"]);
  });

  it("a report that cannot be written", async () => {
    expectOneLineError(
      await papermap(["report", "--out", path.join(tmp, "no-such-dir", "digest.html"), "--embedder", "lexical"]),
      1,
      /cannot write .*digest\.html": its folder .* does not exist/,
    );
  });

  it("an explicitly requested neural model that cannot be loaded", async () => {
    const run = await papermap(["search", "x", "--embedder", "Xenova/no-such-model", "--offline", "--quiet"]);
    expectOneLineError(run, 1, /Xenova\/no-such-model/);
    // Without --quiet, progress may come first, but the error is still one line, the last.
    const loud = await papermap(["search", "x", "--embedder", "Xenova/no-such-model", "--offline"]);
    expect(loud.code).toBe(1);
    expect(loud.stderr.trimEnd().split("\n").at(-1)).toMatch(/^papermap: .*Xenova\/no-such-model/);
  });
});

describe("themes", () => {
  it("prints the themes of the shipped listing: label, size, keywords, representative titles", async () => {
    const run = await papermap(["themes"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Themes of hf-papers-token-listing\.txt\n\n(\d+) themes in 82 papers\n/);
    const count = Number(/(\d+) themes in 82 papers/.exec(run.stdout)![1]);
    const heads = [...run.stdout.matchAll(/^ ?(\d+)\. (.+?)\s{2,}(\d+) papers?$/gm)];
    expect(heads).toHaveLength(count);
    expect(heads.reduce((s, h) => s + Number(h[3]), 0)).toBe(SHIPPED_PAPERS);
    expect(run.stdout.match(/^\s+keywords: /gm)).toHaveLength(count);
    expect((run.stdout.match(/^\s+· /gm) ?? []).length).toBeGreaterThanOrEqual(count);
    // Notices and progress go to stderr, never to stdout.
    expect(run.stdout).not.toMatch(/^papermap:|^loaded |^embedding \d+/m);
    expect(run.stderr).toMatch(/loaded 82 papers from the shipped listing/);
  });

  it("--json gives every paper one theme, and --k sets the number of themes", async () => {
    const run = await papermap(["themes", "--json", "--k", "5", "--embedder", "lexical"]);
    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as {
      themes: { id: string; label: string; keywords: string[]; size: number; papers: string[]; representative: { id: string }[] }[];
      assignments: Record<string, { themeId: string; confidence: number }>;
    };
    expect(parsed.themes).toHaveLength(5);
    const ids = parsed.themes.flatMap((t) => t.papers);
    expect(ids).toHaveLength(SHIPPED_PAPERS);
    expect(new Set(ids).size).toBe(SHIPPED_PAPERS);
    expect(Object.keys(parsed.assignments)).toHaveLength(SHIPPED_PAPERS);
    for (const t of parsed.themes) {
      expect(t.size).toBe(t.papers.length);
      for (const id of t.papers) expect(parsed.assignments[id].themeId).toBe(t.id);
    }
  });

  it("--quiet keeps stderr empty", async () => {
    const run = await papermap(["themes", "--quiet", "--embedder", "lexical"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it("reads the user's own listing (JSONL) and merges several listings", async () => {
    const a = path.join(tmp, "own-a.jsonl");
    const b = path.join(tmp, "own-b.jsonl");
    const paper = (id: string, title: string, abstract: string) => JSON.stringify({ id, title, abstract });
    await writeFile(
      a,
      [
        paper(
          "2501.00001",
          "Speech tokenizers for spoken language models",
          "We build discrete speech tokens with a neural audio codec for spoken language modelling.",
        ),
        paper(
          "2501.00002",
          "Audio codec tokens for text-to-speech",
          "A neural speech codec gives discrete audio tokens used by a text-to-speech language model.",
        ),
        paper(
          "2501.00003",
          "Pruning visual tokens in vision-language models",
          "We prune redundant visual tokens of a vision-language model to speed up inference.",
        ),
      ].join("\n"),
    );
    await writeFile(
      b,
      [
        paper(
          "2501.00004",
          "Fewer image tokens for faster multimodal models",
          "Dropping image tokens in multimodal large language models keeps accuracy while cutting cost.",
        ),
        paper("2501.00001", "Speech tokenizers for spoken language models", "A duplicate of the first paper."),
      ].join("\n"),
    );
    const run = await papermap(["themes", a, b, "--k", "2", "--json", "--embedder", "lexical"]);
    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout);
    expect(Object.keys(parsed.assignments).sort()).toEqual(["2501.00001", "2501.00002", "2501.00003", "2501.00004"]);
    expect(run.stderr).toMatch(/1 paper\(s\) appear in more than one listing; kept the first copy of each/);
    const a1 = parsed.assignments["2501.00001"].themeId;
    expect(parsed.assignments["2501.00002"].themeId).toBe(a1);
    expect(parsed.assignments["2501.00003"].themeId).not.toBe(a1);
  });
});

describe("search and related", () => {
  it("search prints ranked hits with scores and why they matched", async () => {
    const byName = await papermap(["search", "CosyVoice", "--k", "3"]);
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stdout).toMatch(/^Search: "CosyVoice" — \d results? \(hybrid\)\n\n 1\. \d\.\d\d {2}CosyVoice: A Scalable Multilingual/);
    expect(byName.stdout).toMatch(/matched: cosyvoice/i);

    const run = await papermap(["search", "speech tokens for text-to-speech", "--k", "3"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Search: "speech tokens for text-to-speech" — 3 results \(hybrid\)\n/);
    const hits = [...run.stdout.matchAll(/^ (\d)\. (\d\.\d\d) {2}(.+)$/gm)];
    expect(hits.map((h) => h[1])).toEqual(["1", "2", "3"]);
    const scores = hits.map((h) => Number(h[2]));
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(1);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(run.stdout.match(/similarity \d\.\d\d/g)).toHaveLength(3);
    expect(run.stdout.match(/matched: /g)).toHaveLength(3);
    expect(run.stdout.match(/^ {10}id \S+$/gm)).toHaveLength(3);
  });

  it("search --json, --mode and filters", async () => {
    const run = await papermap([
      "search",
      "visual token pruning",
      "--json",
      "--k",
      "4",
      "--mode",
      "keyword",
      "--min-upvotes",
      "1",
      "--embedder",
      "lexical",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const hits = JSON.parse(run.stdout) as { id: string; title: string; score: number; upvotes?: number; matchedTerms: string[] }[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(4);
    for (const h of hits) {
      expect(h.upvotes ?? 0).toBeGreaterThanOrEqual(1);
      expect(h.matchedTerms.length).toBeGreaterThan(0);
    }
  });

  it("related by id and by a unique title fragment agree, and exclude the paper itself", async () => {
    const byName = await papermap(["related", "cosyvoice", "--json", "--k", "5", "--embedder", "lexical"]);
    expect(byName.code, byName.stderr).toBe(0);
    const a = JSON.parse(byName.stdout) as { paper: { id: string; title: string }; related: { id: string }[] };
    expect(a.paper.title).toMatch(/^CosyVoice/);
    expect(a.related).toHaveLength(5);
    expect(a.related.map((r) => r.id)).not.toContain(a.paper.id);
    const byId = await papermap(["related", a.paper.id, "--json", "--k", "5", "--embedder", "lexical"]);
    expect(JSON.parse(byId.stdout)).toEqual(a);
    const text = await papermap(["related", a.paper.id, "--k", "5", "--embedder", "lexical"]);
    expect(text.stdout).toMatch(/^Related to: CosyVoice/);
    expect([...text.stdout.matchAll(/^ \d\. \d\.\d\d {2}/gm)]).toHaveLength(5);
  });
});

describe("index, then --library", () => {
  it("saves a library with progress on stderr and answers later commands without re-embedding", async () => {
    const out = path.join(tmp, "lib");
    const listing = path.join(REPO_ROOT, "data/hf-papers-token-listing.txt");
    const run = await papermap(["index", listing, "--out", out, "--embedder", "lexical"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Saved a library of 82 papers to ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n`));
    expect(run.stderr).toMatch(/^embedding 82 \w+…$/m);
    expect(run.stderr).toMatch(/^embedding: done \(82\/82 \w+\) in \d+\.\d s$/m);
    expect(existsSync(path.join(out, "library.json"))).toBe(true);

    const fromListing = await papermap(["search", "masked image modeling", "--json", "--embedder", "lexical"]);
    const fromLibrary = await papermap(["search", "masked image modeling", "--json", "--library", out]);
    expect(fromLibrary.code, fromLibrary.stderr).toBe(0);
    expect(JSON.parse(fromLibrary.stdout)).toEqual(JSON.parse(fromListing.stdout));
    expect(fromLibrary.stderr).not.toMatch(/embedding/);

    const themes = await papermap(["themes", "--library", out, "--json"]);
    expect(themes.code, themes.stderr).toBe(0);
    expect(Object.keys(JSON.parse(themes.stdout).assignments)).toHaveLength(SHIPPED_PAPERS);

    // Re-indexing into the same folder replaces the library.
    const again = await papermap(["index", listing, "--out", out, "--embedder", "lexical", "--quiet"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe("");
  });
});

describe("a neural model from a local folder (--model-path)", () => {
  it("indexes with it, shows its id, and a saved library reloads it for queries", async () => {
    const modelDir = await createTinyModel(path.join(tmp, "tiny-model"));
    const out = path.join(tmp, "neural-lib");
    const listing = path.join(REPO_ROOT, "data/hf-papers-token-listing.txt");
    const run = await papermap(["index", listing, "--out", out, "--model-path", modelDir, "--no-cache"]);
    expect(run.code, run.stderr).toBe(0);
    const embedderLine = /^ {2}embedder: (.+)$/m.exec(run.stdout)?.[1] ?? "";
    expect(embedderLine).toMatch(/^transformers:/);
    expect(run.stderr).not.toMatch(/no neural model/);
    const search = await papermap(["search", "masked image modeling", "--library", out, "--k", "3", "--json"]);
    expect(search.code, search.stderr).toBe(0);
    expect(JSON.parse(search.stdout)).toHaveLength(3);
  });

  it("a model folder that does not exist is an error", async () => {
    expectOneLineError(
      await papermap(["themes", "--model-path", path.join(tmp, "no-model")]),
      1,
      /model folder ".*no-model" \(--model-path\) does not exist/,
    );
  });
});

describe("report", () => {
  it("writes a self-contained HTML digest with a map, and Markdown and JSON variants", async () => {
    const html = path.join(tmp, "digest.html");
    const run = await papermap(["report", "--out", html, "--embedder", "lexical"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Wrote .*digest\.html \(html, 82 papers in \d+ themes\)\n$/);
    const page = await readFile(html, "utf8");
    expect(page.match(/<circle class="point"/g)).toHaveLength(SHIPPED_PAPERS);
    expect(page).not.toMatch(/<script[^>]+src=|<link\b/);

    const md = path.join(tmp, "digest.md");
    const mdRun = await papermap(["report", "--out", md, "--embedder", "lexical", "--related", "2"]);
    expect(mdRun.code, mdRun.stderr).toBe(0);
    const text = await readFile(md, "utf8");
    expect(text).toMatch(/^# Digest of hf-papers-token-listing\.txt\n/);
    expect(text.match(/^- \*\*/gm)).toHaveLength(SHIPPED_PAPERS);
    expect(text.match(/^ {2}Related: /gm)).toHaveLength(SHIPPED_PAPERS);
    expect(text).not.toContain("<svg");

    const json = path.join(tmp, "digest.out");
    const jsonRun = await papermap(["report", "--out", json, "--format", "json", "--embedder", "lexical", "--k", "4"]);
    expect(jsonRun.code, jsonRun.stderr).toBe(0);
    const digest = JSON.parse(await readFile(json, "utf8"));
    expect(digest.format).toBe("papermap-digest");
    expect(digest.themes).toHaveLength(4);
    expect(digest.papers).toHaveLength(SHIPPED_PAPERS);
    // No temp files left beside the outputs.
    expect((await readdir(tmp)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("start", () => {
  it("prints themes, an example search and related papers, and writes digest.html in the current folder", async () => {
    const cwd = path.join(tmp, "start");
    await mkdir(cwd, { recursive: true });
    const run = await papermap(["start"], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^papermap — a tour of the listing shipped with papermap \(82 papers\)\n/);
    const sections = [...run.stdout.matchAll(/^(.+)\n─+$/gm)].map((m) => m[1]);
    expect(sections[0]).toBe("Themes");
    expect(sections[1]).toMatch(/^Search: "/);
    expect(sections[2]).toMatch(/^Related to the top hit: "/);
    expect(sections[3]).toBe("Digest");
    const digest = path.join(cwd, "digest.html");
    expect(run.stdout).toContain(`Wrote ${digest}`);
    expect(statSync(digest).size).toBeGreaterThan(10_000);
    expect(run.stderr).toMatch(/done in \d+\.\d s/);
  });
});

describe("hostile or broken input", () => {
  const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

  it("prints no terminal control sequence from a listing: titles, authors, warnings, errors, the Markdown digest", async () => {
    const file = path.join(tmp, "hostile.jsonl");
    const record = (id: string, title: string, abstract: string, extra: object = {}) => JSON.stringify({ id, title, abstract, ...extra });
    await writeFile(
      file,
      [
        record(
          "2501.00001",
          "Token \x1b[2J\x1b[Hpruning\x1b]0;pwned\x07 for vision models",
          "We prune visual tokens \x1b]8;;http://evil.example\x07here\x1b]8;;\x07 to save compute in vision-language models.",
          { authors: ["Eve \x9b31mRed"] },
        ),
        record(
          "2501.00002",
          "Token merging \x1bcfor vision models",
          "Merging visual tokens saves compute in vision-language models as well.",
        ),
        record("2501.00003", "No abstract \x1b]0;title\x07here", ""),
      ].join("\n"),
    );
    const runs = [
      await papermap(["search", "token", file, "--embedder", "lexical"]),
      await papermap(["related", "2501.00001", file, "--embedder", "lexical"]),
      await papermap(["themes", file, "--k", "1", "--embedder", "lexical"]),
      await papermap(["related", "vision models", file, "--embedder", "lexical"]), // ambiguous: the titles go to stderr
    ];
    for (const run of runs) {
      expect(run.stdout + run.stderr).not.toMatch(CONTROL);
      expect(run.stdout + run.stderr).not.toMatch(/pwned|evil\.example/);
    }
    expect(runs[0].code, runs[0].stderr).toBe(0);
    expect(runs[0].stdout).toMatch(/Token pruning for vision models/);
    expect(runs[0].stderr).toMatch(/hostile\.jsonl:3: Record 3 \(line 3\), "No abstract here", has no abstract; skipped\./);
    expect(runs[3].code).toBe(1);
    expect(runs[3].stderr).toMatch(/^ {2}2501\.00001 {2}Token pruning for vision models$/m);

    const md = path.join(tmp, "hostile.md");
    const report = await papermap(["report", file, "--out", md, "--embedder", "lexical", "--quiet"]);
    expect(report.code, report.stderr).toBe(0);
    const text = await readFile(md, "utf8");
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain("Token pruning for vision models");
  });

  it("a terminal still gets papermap's own progress controls, and nothing else", async () => {
    const file = path.join(tmp, "hostile-progress.jsonl");
    await writeFile(
      file,
      JSON.stringify({ id: "x\x1b]0;t\x07", title: "A \x1b[31mred\x1b[0m title", abstract: "An abstract about tokens." }),
    );
    const stdout = sink({ isTTY: true });
    const stderr = sink({ isTTY: true });
    const code = await main(["search", "tokens", file, "--embedder", "lexical"], { stdout, stderr, cwd: tmp, env });
    expect(code, stderr.text()).toBe(0);
    expect(stdout.text()).not.toMatch(CONTROL);
    expect(stdout.text()).toContain("A red title");
    // Only carriage returns and "erase line" reach the terminal on stderr.
    expect(stderr.text().replace(/\r|\x1b\[K/g, "")).not.toMatch(CONTROL);
  });

  it("rejects impossible dates in filters", async () => {
    expectOneLineError(
      await papermap(["search", "x", "--from", "2025-13"]),
      2,
      /--from must be a real date like 2025-02-11 \(or 2025-02, 2025\), got "2025-13"/,
    );
    expectOneLineError(await papermap(["search", "x", "--to", "2025-02-30"]), 2, /--to must be a real date .*got "2025-02-30"/);
    expectOneLineError(await papermap(["related", "x", "--from", "2025-00"]), 2, /--from must be a real date/);
  });

  it("says what is wrong with a number, as typed: negative, NaN", async () => {
    expectOneLineError(await papermap(["search", "x", "--k", "-1"]), 2, /^papermap: --k must be a whole number ≥ 1, got "-1"\.$/);
    expectOneLineError(await papermap(["themes", "--k", "NaN"]), 2, /--k must be a whole number ≥ 1, got "NaN"/);
    expectOneLineError(await papermap(["search", "x", "--diversity", "NaN"]), 2, /--diversity must be a number from 0 to 1, got "NaN"/);
    expectOneLineError(await papermap(["search", "x", "--diversity", "-0.5"]), 2, /--diversity must be a number from 0 to 1, got "-0.5"/);
    expectOneLineError(await papermap(["search", "x", "--min-upvotes", "-3"]), 2, /--min-upvotes must be a whole number ≥ 0, got "-3"/);
  });

  it("--out under a file: a clear message, not an unexpected error", async () => {
    const file = path.join(tmp, "a-file");
    await writeFile(file, "x");
    const listing = path.join(REPO_ROOT, "data/hf-papers-token-listing.txt");
    expectOneLineError(
      await papermap(["index", listing, "--out", "a-file/lib", "--embedder", "lexical"]),
      1,
      /^papermap: cannot save to "a-file\/lib": "a-file" is a file, not a folder\.$/,
    );
    expectOneLineError(
      await papermap(["report", "--out", "a-file/deeper/x.html", "--embedder", "lexical"]),
      1,
      /^papermap: cannot write "a-file\/deeper\/x\.html": "a-file" is a file, not a folder\.$/,
    );
  });

  it("a CSV error names the line of the faulty record", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `2501.000${String(i + 10)},Title ${i},Abstract ${i} about tokens.`);
    rows[10] = `2501.00020,"Title 10,Abstract 10 about tokens.`; // line 12: the quote never closes
    await writeFile(path.join(tmp, "unclosed.csv"), ["id,title,abstract", ...rows, ""].join("\n"));
    expectOneLineError(
      await papermap(["themes", "unclosed.csv"]),
      1,
      /^papermap: unclosed\.csv: line 12: not valid CSV: Quote Not Closed \(the parser stopped on line 13\)/,
    );
  });

  it("a JSON array of non-objects is an error, not an empty listing", async () => {
    const file = path.join(tmp, "numbers.json");
    await writeFile(file, "[1, 2, 3]");
    expectOneLineError(
      await papermap(["themes", file, "--quiet"]),
      1,
      /numbers\.json: none of the 3 records is an object \(found numbers\)/,
    );
  });

  it("warns, naming the line, when a listing is not UTF-8 (a Latin-1 CSV)", async () => {
    const file = path.join(tmp, "latin1.csv");
    const text = "title,abstract\nTokens,An abstract about tokens.\nCaf\xe9 tokens,R\xe9sum\xe9 of an abstract about tokens.\n";
    await writeFile(file, Buffer.from(text, "latin1"));
    const run = await papermap(["search", "tokens", file, "--embedder", "lexical"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^papermap: latin1\.csv:3: Line 3 is not valid UTF-8: .*save it as UTF-8\.$/m);
    expect(run.stdout).toContain("Caf\ufffd tokens");
  });

  it("related finds an old-style arXiv id however it is written", async () => {
    const file = path.join(tmp, "old-ids.jsonl");
    await writeFile(
      file,
      [
        JSON.stringify({
          id: "math.GT/0309136",
          title: "Knots and links in three-manifolds",
          abstract: "We study knots and links in three-manifolds.",
        }),
        JSON.stringify({ id: "hep-th/9901001v2", title: "Strings and branes", abstract: "We study strings and branes in ten dimensions." }),
        JSON.stringify({
          id: "2502.07490",
          title: "Knot theory with neural networks",
          abstract: "Neural networks classify knots and links.",
        }),
      ].join("\n"),
    );
    for (const id of ["arXiv:math.GT/0309136", "math.gt/0309136v1", "https://arxiv.org/abs/math.GT/0309136"]) {
      const run = await papermap(["related", id, file, "--embedder", "lexical", "--json", "--quiet"]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).paper.id).toBe("math.GT/0309136");
    }
    const old = await papermap(["related", "arXiv:hep-th/9901001", file, "--embedder", "lexical", "--json", "--quiet"]);
    expect(JSON.parse(old.stdout).paper.id).toBe("hep-th/9901001");
  });

  it("leaves process.env alone: --offline and --cache-dir go to the library as options", async () => {
    const before = { ...process.env };
    const cacheDir = path.join(tmp, "own-cache");
    const run = await papermap(["search", "tokens", "--offline", "--cache-dir", "own-cache", "--k", "1"], {
      env: { PAPERMAP_OFFLINE: "" },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(process.env).toEqual(before);
    // The model was looked for, offline, in the given cache folder (relative to the command's folder).
    expect(run.stderr).toMatch(/offline mode is on/);
    expect(run.stderr).toContain(path.join(cacheDir, "models"));
  });
});
