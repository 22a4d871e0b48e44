import { spawn } from "node:child_process";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadDefaultListing } from "../../src/ingest/index.js";
import { PaperLibrary } from "../../src/library.js";

/** Shared by the multi-process stress test and `npm run bench:store`. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const script = path.join(repoRoot, "test/store/fixtures/saver.ts");

export interface StressOptions {
  /** Folder to work in (emptied first). */
  workDir: string;
  runs: number;
  writers: number;
  savesPerWriter: number;
  /** Runs (0-based) in which one writer is killed (SIGKILL) mid-save: its new folder written, the lock held, nothing swapped. */
  killRuns?: number[];
  /** Lock staleness for the children (ms). */
  staleMs?: number;
  log?: (line: string) => void;
}

export interface StressFigures {
  runs: number;
  writers: number;
  savesPerWriter: number;
  readers: number;
  killed: number;
  saved: number;
  busy: number;
  lostLock: number;
  otherSaveFailures: string[];
  readerOpens: number;
  readerBusy: number;
  readerFailures: string[];
  /** After each run: the paper count of the library the folder held (20 = the initial one). */
  finalSizes: number[];
  /** After each run: a problem with the folder, or "" when it opened and held one whole version. */
  finalProblems: string[];
  leftovers: string[];
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startChild(args: string[], onStderr?: (text: string) => void): { done: Promise<ChildResult>; kill: () => void } {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, HF_HUB_OFFLINE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(d.toString());
  });
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { done, kill: () => child.kill("SIGKILL") };
}

const parse = <T>(r: ChildResult, what: string): T => {
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`${what} exited with ${r.code ?? r.signal} and printed no outcome:\n${r.stdout}\n${r.stderr}`);
  }
};

/**
 * Runs `runs` rounds: an initial library of 20 papers is saved to a folder, then `writers`
 * child processes each save their own version (20 + 5·v papers) `savesPerWriter` times to
 * the same folder while a reader child opens it again and again. After each round the folder
 * must open and hold exactly one version, old or new, never a mixture.
 */
export async function runStress(o: StressOptions): Promise<StressFigures> {
  const staleMs = o.staleMs ?? 5000;
  const listing = await loadDefaultListing();
  await rm(o.workDir, { recursive: true, force: true });
  await mkdir(o.workDir, { recursive: true });
  const f: StressFigures = {
    runs: o.runs,
    writers: o.writers,
    savesPerWriter: o.savesPerWriter,
    readers: 1,
    killed: 0,
    saved: 0,
    busy: 0,
    lostLock: 0,
    otherSaveFailures: [],
    readerOpens: 0,
    readerBusy: 0,
    readerFailures: [],
    finalSizes: [],
    finalProblems: [],
    leftovers: [],
  };
  for (let run = 0; run < o.runs; run++) {
    const runDir = path.join(o.workDir, `run-${run}`);
    await mkdir(runDir);
    const dir = path.join(runDir, "lib");
    const initial = await PaperLibrary.create(listing.slice(0, 20), { embedder: "lexical", onNotice: () => undefined });
    await initial.save(dir);
    const stop = path.join(runDir, "stop");
    const reader = startChild(["reader", dir, stop, String(staleMs)]);
    const kill = o.killRuns?.includes(run);
    const writers = Array.from({ length: o.writers }, (_, w) => {
      let started = false;
      const stalls = kill && w === 0;
      const args = ["writer", dir, String(w + 1), String(o.savesPerWriter), String(staleMs), ...(stalls ? ["stall"] : [])];
      const child = startChild(args, (text) => {
        // The stalling writer holds the lock with its new folder written: kill it there.
        if (stalls && !started && text.includes("stalled")) {
          started = true;
          setTimeout(() => child.kill(), Math.floor(Math.random() * 200));
        }
      });
      return child;
    });
    const results = await Promise.all(writers.map((c) => c.done));
    await writeFile(stop, "");
    const readerResult = await reader.done;

    results.forEach((r, w) => {
      if (kill && w === 0 && r.signal === "SIGKILL") {
        f.killed++;
        return;
      }
      const out = parse<{ saved: number; busy: number; failed: string[] }>(r, `writer ${w + 1}`);
      f.saved += out.saved;
      f.busy += out.busy;
      for (const m of out.failed) {
        if (/Lost the lock/.test(m)) f.lostLock++;
        else f.otherSaveFailures.push(m);
      }
    });
    const rd = parse<{ opened: number; busy: number; failed: string[] }>(readerResult, "reader");
    f.readerOpens += rd.opened;
    f.readerBusy += rd.busy;
    f.readerFailures.push(...rd.failed);

    let problem = "";
    let size = -1;
    try {
      const lib = await PaperLibrary.open(dir, { onNotice: () => undefined, lock: { stale: staleMs } });
      size = lib.size;
      const ids = lib.papers().map((p) => p.id);
      if ((size - 20) % 5 !== 0 || size > 20 + 5 * o.writers) problem = `unexpected size ${size}`;
      else if (JSON.stringify(ids) !== JSON.stringify(listing.slice(0, size).map((p) => p.id))) problem = "a mixture of versions";
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    f.finalSizes.push(size);
    f.finalProblems.push(problem);
    // A later save clears what a killed writer left (its temporary folder, its stale lock).
    if (!problem) {
      const again = await PaperLibrary.open(dir, { onNotice: () => undefined, lock: { stale: staleMs } });
      await again.save(dir, { lock: { stale: staleMs } });
    }
    const left = (await readdir(runDir)).filter((n) => n !== "lib" && n !== "stop");
    f.leftovers.push(...left.map((n) => `run ${run}: ${n}`));
    o.log?.(
      `run ${run + 1}/${o.runs}: final size ${size}${problem ? ` PROBLEM ${problem}` : ""}; ` +
        `writers ${results.map((r) => r.signal ?? r.code).join(",")}; reader opened ${rd.opened}`,
    );
  }
  return f;
}
