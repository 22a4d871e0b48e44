import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The built executable, as `npm install` links it (`bin` in package.json). */
export const CLI_PATH = path.join(REPO_ROOT, "dist/cli/main.js");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Whether every file of src/ has a build output newer than it (and than the build settings). */
function upToDate(): boolean {
  const src = path.join(REPO_ROOT, "src");
  const settings = ["tsconfig.json", "tsconfig.build.json"].map((f) => statSync(path.join(REPO_ROOT, f)).mtimeMs);
  const newestSetting = Math.max(...settings);
  for (const file of sources(src)) {
    const out = path.join(REPO_ROOT, "dist", path.relative(src, file)).replace(/\.ts$/, ".js");
    if (!existsSync(out)) return false;
    const built = statSync(out).mtimeMs;
    if (built < statSync(file).mtimeMs || built < newestSetting) return false;
  }
  return true;
}

/**
 * Builds the package (`tsc -p tsconfig.build.json`) unless dist/ is already up to date
 * with src/. Test files running in parallel share one build: a lock folder makes the others
 * wait for it.
 */
export function ensureBuilt(): string {
  mkdirSync(path.join(REPO_ROOT, "dist"), { recursive: true });
  const lock = path.join(REPO_ROOT, "dist", ".build-lock");
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is stale after 5 minutes.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another test's build (lock ${lock}).`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (!upToDate()) {
      const tsc = path.join(REPO_ROOT, "node_modules/typescript/bin/tsc");
      const run = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: REPO_ROOT, encoding: "utf8" });
      if (run.status !== 0) {
        throw new Error(`npm run build failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
      }
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return CLI_PATH;
}
