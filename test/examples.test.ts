import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(examplesDir, script)], {
      cwd,
      env: { ...process.env, PAPERMAP_OFFLINE: "1", PAPERMAP_CACHE_DIR: path.join(cwd, ".cache") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
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
