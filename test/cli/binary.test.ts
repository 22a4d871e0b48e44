// The real `papermap` executable (dist/cli/main.js) in child processes: what only a process
// shows — exit statuses, which stream gets what, a reader that closes the pipe early.
// Commands themselves are tested in-process in main.test.ts.
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProcessRun, runNode } from "../helpers/node-process.js";
import { ensureBuilt, REPO_ROOT } from "./build.js";

type Run = ProcessRun;

let cli: string;
let tmp: string;
let env: NodeJS.ProcessEnv;

/** Runs the built executable; with `closeStdout`, the reading end of its stdout is closed before it writes anything. */
function papermap(args: string[], options: { closeStdout?: boolean } = {}): Promise<Run> {
  return runNode([cli, ...args], { cwd: tmp, env, closeStdout: options.closeStdout });
}

beforeAll(async () => {
  cli = ensureBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-bin-"));
  env = { PATH: process.env.PATH, PAPERMAP_OFFLINE: "1", PAPERMAP_CACHE_DIR: path.join(tmp, "cache"), NO_COLOR: "1" };
}, 300_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("the built executable", () => {
  it("starts with a node shebang and is what package.json's bin points to", async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, "package.json"), "utf8"));
    expect(path.resolve(REPO_ROOT, pkg.bin.papermap)).toBe(cli);
    expect(readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("--help: the command list on stdout, exit 0", async () => {
    const run = await papermap(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}search /m);
    expect(run.stderr).toBe("");
  });

  it("a command line it cannot understand: one line on stderr, exit 2", async () => {
    const run = await papermap(["search", "x", "--k", "-1"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe('papermap: --k must be a whole number ≥ 1, got "-1".\n');
  });

  it("a problem with the input: one line on stderr, exit 1", async () => {
    const run = await papermap(["themes", "no-such-listing.txt"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe('papermap: listing file "no-such-listing.txt" does not exist.\n');
  });

  it("results on stdout, progress on stderr, exit 0", async () => {
    const run = await papermap(["search", "visual token pruning", "--k", "2", "--embedder", "lexical"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Search: "visual token pruning" — 2 results \(hybrid\)\n/);
    expect(run.stdout).not.toMatch(/loaded|embedding/);
    expect(run.stderr).toMatch(/^loaded 82 papers from the shipped listing$/m);
  });

  it("stops quietly when the reader closes the pipe (`papermap search … | head -1`)", async () => {
    const run = await papermap(["search", "token pruning", "--k", "50", "--embedder", "lexical", "--quiet"], { closeStdout: true });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });
});
