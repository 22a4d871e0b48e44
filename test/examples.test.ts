import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProcessRun, runNode } from "./helpers/node-process.js";
import { REPO_ROOT } from "./cli/build.js";

// Every script in examples/ runs as the README says (with tsx), offline, in a temporary
// working folder, and must exit 0 with some output.
const examplesDir = path.join(REPO_ROOT, "examples");
const scripts = (await readdir(examplesDir)).filter((f) => f.endsWith(".ts")).sort();

let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), "papermap-examples-"));
});

afterAll(async () => {
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

function run(script: string): Promise<ProcessRun> {
  return runNode([path.join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(examplesDir, script)], {
    cwd,
    env: { ...process.env, PAPERMAP_OFFLINE: "1", PAPERMAP_CACHE_DIR: path.join(cwd, ".cache") },
  });
}

describe("examples/", () => {
  it("has scripts", () => {
    expect(scripts.length).toBeGreaterThan(0);
  });

  for (const script of scripts) {
    it(`${script} runs and prints something`, async () => {
      const result = await run(script);
      expect(result.code, `${script} failed:\n${result.stderr}`).toBe(0);
      expect(result.stdout.trim().length).toBeGreaterThan(0);
    }, 180_000);
  }
});
