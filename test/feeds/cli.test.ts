import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProcessRun, runNode } from "../helpers/node-process.js";
import { ensureBuilt } from "../cli/build.js";
import { atomDayPage, hfEntry, hfPage, HTML_ERROR_PAGE, paperText } from "./fixtures.js";
import { sendJson, sendText, startServer, type TestServer } from "./server.js";

type Run = ProcessRun;

const DAY1 = "2025-11-21";
const DAY2 = "2025-11-24";
let cli: string;
let tmp: string;
let server: TestServer;
let env: NodeJS.ProcessEnv;

/** Runs the built `papermap` executable (asynchronously: the loopback server answers meanwhile). */
function papermap(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return runNode([cli, ...args], { cwd: tmp, env: { ...env, ...extraEnv } });
}

/** Day 2 repeats papers 25..29 of day 1 with more upvotes, and brings 5 new ones (100..104). */
function day2Entries(): Record<string, unknown>[] {
  const again = [25, 26, 27, 28, 29].map((i) => {
    const entry = hfEntry(i, DAY1);
    (entry.paper as Record<string, unknown>).upvotes = 1000 + i;
    return entry;
  });
  return [...again, ...[100, 101, 102, 103, 104].map((i) => hfEntry(i, DAY2))];
}

beforeAll(async () => {
  cli = ensureBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-feeds-cli-"));
  server = await startServer((_req, res, seen) => {
    if (seen.url.startsWith("/arxiv")) {
      return sendText(
        res,
        200,
        atomDayPage(DAY1, 12, Number(seen.query.get("start")), Number(seen.query.get("max_results"))),
        "application/atom+xml",
      );
    }
    const date = seen.query.get("date");
    if (date === "2025-11-20") return sendText(res, 200, HTML_ERROR_PAGE, "text/html");
    if (date === DAY2) return sendJson(res, Number(seen.query.get("p")) === 0 ? day2Entries() : []);
    sendJson(res, hfPage(date!, 30, Number(seen.query.get("limit")), Number(seen.query.get("p"))));
  });
  env = {
    ...process.env,
    HF_ENDPOINT: server.origin,
    PAPERMAP_ARXIV_ENDPOINT: `${server.origin}/arxiv/query`,
    PAPERMAP_CACHE_DIR: path.join(tmp, "cache"),
    HF_HUB_OFFLINE: "1",
    NO_COLOR: "1",
  };
  delete env.PAPERMAP_OFFLINE;
  await mkdir(path.join(tmp, "out"));
}, 300_000);

afterAll(async () => {
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("papermap daily", () => {
  it("creates the library, writes the day's digest, and changes nothing when run again", async () => {
    const args = ["daily", "--library", "lib", "--out-dir", "out", "--date", DAY1, "--embedder", "lexical"];
    const first = await papermap(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /2025-11-21: 30 papers from hf-daily — 30 new, 0 updated, 0 unchanged; created library lib \(30 papers\); wrote out\/digest-2025-11-21.html/,
    );
    expect(first.stderr).toMatch(/hf-daily 2025-11-21: page 1, 30 papers so far/);
    const requests = server.requests.length;
    const papers = JSON.parse(await readFile(path.join(tmp, "lib", "papers.json"), "utf8")) as {
      id: string;
      listingDay?: string;
      commentCount?: number;
    }[];
    expect(papers).toHaveLength(30);
    expect(papers.every((p) => p.listingDay === DAY1)).toBe(true);
    const digestFile = path.join(tmp, "out", `digest-${DAY1}.html`);
    const digest = await readFile(digestFile, "utf8");
    expect(digest).toContain("Papers of 2025-11-21");
    expect(digest).toContain(paperText(6).title);
    expect(digest).toContain(paperText(29).title);
    // The themes are computed once and saved with the library (state.json), ids from theme-1.
    const state = JSON.parse(await readFile(path.join(tmp, "lib", "state.json"), "utf8")) as {
      themes: { themes: { id: string; members: string[] }[] } | null;
    };
    expect(state.themes).not.toBeNull();
    const themed = state.themes!.themes.flatMap((t) => t.members);
    expect(new Set(themed)).toEqual(new Set(papers.map((p) => p.id)));

    const before = {
      manifest: await stat(path.join(tmp, "lib", "library.json")),
      papers: await readFile(path.join(tmp, "lib", "papers.json"), "utf8"),
      digest: await stat(digestFile),
    };
    const second = await papermap(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(
      /0 new, 0 updated, 30 unchanged; library lib unchanged \(30 papers\); digest out\/digest-2025-11-21.html unchanged/,
    );
    expect(server.requests.length).toBe(requests); // a past day comes from the cache
    expect((await stat(path.join(tmp, "lib", "library.json"))).mtimeMs).toBe(before.manifest.mtimeMs);
    expect(await readFile(path.join(tmp, "lib", "papers.json"), "utf8")).toBe(before.papers);
    expect((await stat(digestFile)).mtimeMs).toBe(before.digest.mtimeMs);
    expect(await readFile(digestFile, "utf8")).toBe(digest);
  });

  it("adds a later day's new papers and updates the ones that changed, without duplicates", async () => {
    const run = await papermap(["daily", "--library", "lib", "--out-dir", "out", "--date", DAY2]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/2025-11-24: 10 papers from hf-daily — 5 new, 5 updated, 0 unchanged; saved library lib \(35 papers\)/);
    const papers = JSON.parse(await readFile(path.join(tmp, "lib", "papers.json"), "utf8")) as {
      id: string;
      upvotes?: number;
      listingDay?: string;
    }[];
    expect(new Set(papers.map((p) => p.id)).size).toBe(35);
    const updated = papers.find((p) => p.id === "2511.10025")!;
    expect(updated.upvotes).toBe(1025);
    expect(updated.listingDay).toBe(DAY1); // the first listing day stays
    expect(papers.filter((p) => p.listingDay === DAY2)).toHaveLength(5);
    // The day's papers joined the saved themes (updateThemes), which say what changed.
    expect(run.stdout).toMatch(/^themes: .*\d+ (grew|new)/m);
    const state = JSON.parse(await readFile(path.join(tmp, "lib", "state.json"), "utf8")) as {
      themes: { themes: { members: string[] }[] };
    };
    expect(new Set(state.themes.themes.flatMap((t) => t.members)).size).toBe(35);
    const digest = await readFile(path.join(tmp, "out", `digest-${DAY2}.html`), "utf8");
    expect(digest).toContain("Study 100:");
    expect(digest).not.toContain("Study 25:");

    // The first day again (from the cache): its older upvote counts do not set the new ones back.
    const again = await papermap(["daily", "--library", "lib", "--out-dir", "out", "--date", DAY1]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 new, 0 updated, 30 unchanged; library lib unchanged \(35 papers\)/);
  });

  it("says what was wrong in one line when the server sends an error page", async () => {
    const run = await papermap(["daily", "--library", "lib", "--date", "2025-11-20"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n").at(-1)).toMatch(/^papermap: .*HTML or XML, not Hugging Face Daily Papers JSON/);
    expect(existsSync(path.join(tmp, "digest-2025-11-20.html"))).toBe(false);
  });
});

describe("papermap fetch", () => {
  it("prints the day as JSONL on stdout", async () => {
    const run = await papermap(["fetch", "hf-daily", "--date", DAY1, "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; listingDay: string; authors: string[] });
    expect(lines).toHaveLength(30);
    expect(lines[0]).toMatchObject({ id: "2511.10000", listingDay: DAY1, authors: ["Ada Author0", "Ben Writer0"] });
  });

  it("writes an arXiv day to --out", async () => {
    const run = await papermap(["fetch", "arxiv", "--category", "cs.CV,cs.CL", "--date", DAY1, "--out", "arxiv.jsonl"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Wrote arxiv.jsonl: arxiv 2025-11-21: 12 papers \(1 page\)/);
    const lines = (await readFile(path.join(tmp, "arxiv.jsonl"), "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(12);
  });

  it("reads from the cache offline, and refuses usage mistakes with status 2", async () => {
    const offline = await papermap(["fetch", "hf-daily", "--date", DAY1, "--quiet"], {
      PAPERMAP_OFFLINE: "1",
      HF_ENDPOINT: "http://127.0.0.1:9",
    });
    expect(offline.code, offline.stderr).toBe(1); // another endpoint: other URLs, not in the cache
    expect(offline.stderr).toMatch(/offline mode .* is not in the cache/);
    const cached = await papermap(["fetch", "hf-daily", "--date", DAY1, "--offline", "--quiet"]);
    expect(cached.code, cached.stderr).toBe(0);
    expect(cached.stdout.trimEnd().split("\n")).toHaveLength(30);
    expect((await papermap(["fetch", "arxiv"])).code).toBe(2);
    expect((await papermap(["fetch", "rss"])).code).toBe(2);
    const future = await papermap(["fetch", "hf-daily", "--date", "2999-01-01"]);
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(/in the future/);
  });
});
