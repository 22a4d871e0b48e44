/**
 * Stress of the library store: several processes save to one library folder while a reader
 * opens it; some writers are killed (SIGKILL) mid-save. After every run the folder must open
 * and hold one whole version (old or new). Prints the outcome counts.
 *
 * Usage: npm run bench:store [-- <runs> <writers> <savesPerWriter>]   (default 12 3 3;
 * a writer is killed in every third run; locks go stale after 2 s here, 10 s by default).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runStress } from "../test/store/multiprocess.js";

const [runs = 12, writers = 3, saves = 3] = process.argv.slice(2).map(Number);
const work = await mkdtemp(path.join(os.tmpdir(), "papermap-bench-store-"));
const started = Date.now();
try {
  const killRuns = Array.from({ length: runs }, (_, i) => i).filter((i) => i % 3 === 2);
  const f = await runStress({
    workDir: work,
    runs,
    writers,
    savesPerWriter: saves,
    killRuns,
    staleMs: 2000,
    log: (line) => console.log(`  ${line}`),
  });
  const sizes = new Map<number, number>();
  for (const s of f.finalSizes) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  const attempted = runs * writers * saves;
  console.log(
    `\nstore stress: ${runs} runs × ${writers} writer processes × ${saves} saves, 1 reader process, ${killRuns.length} writers killed mid-save`,
  );
  console.log(`| outcome | count |\n|---|---|`);
  console.log(`| save attempts (killed writers' included) | ${attempted} |`);
  console.log(`| saved | ${f.saved} |`);
  console.log(`| gave up, "busy" message | ${f.busy} |`);
  console.log(`| lost the lock (taken over as stale), nothing replaced | ${f.lostLock} |`);
  console.log(`| other save failures | ${f.otherSaveFailures.length} |`);
  console.log(`| writers killed (SIGKILL) | ${f.killed} |`);
  console.log(`| reader opens, whole version | ${f.readerOpens} |`);
  console.log(`| reader gave up, "busy" | ${f.readerBusy} |`);
  console.log(`| reader failures (damaged / mixed / raw errors) | ${f.readerFailures.length} |`);
  console.log(`| runs after which the folder opened with one whole version | ${f.finalProblems.filter((p) => !p).length} / ${runs} |`);
  console.log(
    `| final versions (papers: runs) | ${[...sizes]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}: ${n}`)
      .join(", ")} |`,
  );
  console.log(`| leftover temporary folders / backups / locks after the next save | ${f.leftovers.length} |`);
  console.log(`wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const m of [...f.otherSaveFailures, ...f.readerFailures, ...f.finalProblems.filter(Boolean), ...f.leftovers])
    console.log(`  ! ${m}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
