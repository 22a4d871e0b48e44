import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, REPO_ROOT } from "../cli/build.js";
import { type ProcessRun, runNode } from "../helpers/node-process.js";

type Run = ProcessRun;

let cli: string;
let tmp: string;
let lib: string;
let env: NodeJS.ProcessEnv;

function papermap(args: string[]): Promise<Run> {
  return runNode([cli, ...args], { cwd: tmp, env });
}

function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(async () => {
  cli = ensureBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-recommend-cli-"));
  env = { ...process.env, PAPERMAP_OFFLINE: "1", PAPERMAP_CACHE_DIR: path.join(tmp, "cache"), NO_COLOR: "1" };
  lib = path.join(tmp, "lib");
  const run = await papermap([
    "index",
    path.join(REPO_ROOT, "data/hf-papers-token-listing.txt"),
    "--out",
    lib,
    "--embedder",
    "lexical",
    "-q",
  ]);
  expect(run.code, run.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("papermap like / dislike / recommend", () => {
  it("says what to do before anything is liked", async () => {
    expectOneLineError(await papermap(["recommend", "--library", lib, "-q"]), 1, /no liked papers yet.*papermap like/);
    expectOneLineError(await papermap(["recommend", "-q"]), 2, /needs --library/);
    expectOneLineError(await papermap(["like", "no-such-paper-anywhere", "--library", lib, "-q"]), 1, /no-such-paper-anywhere/);
  }, 120_000);

  it("likes by id and title fragment, dislikes, and recommends with reasons", async () => {
    const listed = JSON.parse(
      (await papermap(["search", "speech tokenizer", "--library", lib, "--json", "--k", "3", "-q"])).stdout,
    ) as Array<{ id: string; title: string }>;
    const [first, second, third] = listed;
    const like = await papermap(["like", first.id, second.title.slice(0, 30), "--library", lib, "-q"]);
    expect(like.code, like.stderr).toBe(0);
    expect(like.stdout).toContain(`id ${first.id}`);
    expect(like.stdout).toContain(`id ${second.id}`);
    expect(like.stdout).toMatch(/"liked" now holds 2 paper/);
    const dislike = await papermap(["dislike", third.id, "--library", lib, "-q"]);
    expect(dislike.code, dislike.stderr).toBe(0);

    const json = await papermap(["recommend", "--library", lib, "--k", "5", "--json", "-q"]);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as {
      liked: string;
      recommended: Array<{ id: string; score: number; why: { closestLiked: Array<{ id: string }>; sharedWords: string[] } }>;
    };
    expect(out.liked).toBe("liked");
    expect(out.recommended).toHaveLength(5);
    const ids = out.recommended.map((r) => r.id);
    for (const id of [first.id, second.id, third.id]) expect(ids).not.toContain(id);
    for (const r of out.recommended) expect([first.id, second.id]).toContain(r.why.closestLiked[0].id);

    const text = await papermap(["recommend", "--library", lib, "--k", "3", "-q"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Recommended from 2 liked papers/);
    expect(text.stdout).toMatch(/like: /);
    expect(text.stdout).toMatch(/shared words: /);

    // Liking the disliked paper moves it back to "liked".
    await papermap(["like", third.id, "--library", lib, "-q"]);
    const after = JSON.parse((await papermap(["recommend", "--library", lib, "--k", "82", "--json", "-q"])).stdout) as {
      recommended: Array<{ id: string }>;
    };
    expect(after.recommended.map((r) => r.id)).not.toContain(third.id);
    expect(after.recommended.length).toBe(82 - 3);
  }, 120_000);

  it("reads another collection and filters by day", async () => {
    const none = await papermap(["recommend", "--collection", "reading-list", "--library", lib, "-q"]);
    expectOneLineError(none, 1, /"reading-list".*empty or does not exist/);
    const listed = JSON.parse(
      (await papermap(["search", "video generation", "--library", lib, "--json", "--k", "1", "-q"])).stdout,
    ) as Array<{ id: string }>;
    expect((await papermap(["like", listed[0].id, "--collection", "reading-list", "--library", lib, "-q"])).code).toBe(0);
    const all = JSON.parse(
      (await papermap(["recommend", "--collection", "reading-list", "--library", lib, "--k", "82", "--json", "-q"])).stdout,
    ) as {
      recommended: Array<{ id: string; published?: string }>;
    };
    const day = all.recommended.find((r) => r.published)?.published;
    expect(day).toBeDefined();
    const oneDay = JSON.parse(
      (await papermap(["recommend", "--collection", "reading-list", "--day", day!, "--library", lib, "--json", "-q"])).stdout,
    ) as {
      recommended: Array<{ published?: string }>;
    };
    expect(oneDay.recommended.length).toBeGreaterThan(0);
    for (const r of oneDay.recommended) expect(r.published).toBe(day);
    expectOneLineError(await papermap(["recommend", "--day", "yesterday", "--library", lib, "-q"]), 2, /--day must be a calendar day/);
  }, 120_000);
});
