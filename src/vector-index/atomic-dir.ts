import type { Stats } from "node:fs";
import { type FileHandle, mkdir, mkdtemp, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { InvalidArgumentError } from "../errors.js";

/** The steps of {@link replaceDirAtomically}, in order (reported to `onStep`). */
export type AtomicDirStep =
  /** The new content is complete and flushed in the temporary sibling folder. */
  | "written"
  /** The previous folder (if any) has been renamed to the backup name. */
  | "backed-up"
  /** The temporary folder has been renamed into place. */
  | "renamed"
  /** The backup has been removed: the save is complete. */
  | "done";

export interface ReplaceDirOptions {
  /**
   * Decides whether an existing, non-empty `dir` may be replaced (e.g. it holds an earlier
   * save of the same kind). When it returns false the save is refused, so that a folder of
   * unrelated files is never moved aside and deleted.
   */
  canReplace?: (existingDir: string) => Promise<boolean>;
  /** Describes the content in error messages ("a vector index"). */
  what?: string;
  /**
   * Called after each step. Meant for tests that simulate a crash between steps
   * (a child process that exits inside the callback).
   * @internal
   */
  onStep?: (step: AtomicDirStep) => void | Promise<void>;
  /**
   * Called once the new content is written and flushed, right before the previous folder is
   * moved aside; throwing here aborts the save with `dir` untouched (e.g. when the caller's
   * inter-process lock was lost).
   */
  beforeCommit?: () => Promise<void>;
}

/** The sibling names used while replacing `dir`. */
export function siblingPaths(dir: string): { parent: string; base: string; backup: string; tempPrefix: string } {
  const abs = path.resolve(dir);
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  return { parent, base, backup: path.join(parent, `.${base}.bak`), tempPrefix: `.${base}.tmp-` };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

/** Flushes a file or folder to disk (best effort for folders: some platforms refuse). */
async function fsyncPath(p: string, isDir: boolean): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(p, "r");
    await handle.sync();
  } catch (e) {
    if (!isDir) throw e;
  } finally {
    await handle?.close();
  }
}

async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await fsyncTree(p);
    else if (entry.isFile()) await fsyncPath(p, false);
  }
  await fsyncPath(dir, true);
}

/**
 * Replaces the folder `dir` with new content so that a crash at any moment leaves either
 * the previous content or the new one, never a mixture:
 *
 * 1. `fill` writes the new content into a fresh temporary sibling folder, which is flushed;
 * 2. the previous `dir` (if any) is renamed to a backup sibling (`.<name>.bak`);
 * 3. the temporary folder is renamed to `dir`;
 * 4. the backup is removed.
 *
 * A crash between 2 and 3 leaves no `dir` but a complete backup: {@link resolveSavedDir}
 * (used when opening) moves it back. If `fill` throws, the temporary folder is removed and
 * `dir` is untouched. Temporary folders left by earlier crashed saves are removed first, so
 * only one writer at a time may save to the same `dir`: callers that may run concurrently
 * (several processes) must hold a lock on `dir` (see `src/store/lock.ts`), and readers must
 * call {@link resolveSavedDir} only under that lock.
 */
export async function replaceDirAtomically(
  dir: string,
  fill: (tempDir: string) => Promise<void>,
  options: ReplaceDirOptions = {},
): Promise<void> {
  const target = path.resolve(dir);
  const { parent, backup, tempPrefix } = siblingPaths(target);
  const what = options.what ?? "the content";
  await mkdir(parent, { recursive: true });

  let targetStat: Stats | undefined;
  try {
    targetStat = await stat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (targetStat) {
    if (!targetStat.isDirectory()) {
      throw new InvalidArgumentError(`Cannot save ${what} to "${target}": it is a file, not a folder. Choose a folder path.`);
    }
    const entries = await readdir(target);
    if (entries.length > 0 && options.canReplace && !(await options.canReplace(target))) {
      throw new InvalidArgumentError(
        `Cannot save ${what} to "${target}": the folder is not empty and does not hold an earlier save ` +
          `of ${what}. Choose a new or empty folder (nothing was changed).`,
      );
    }
  }

  for (const name of await readdir(parent)) {
    if (name.startsWith(tempPrefix)) await rm(path.join(parent, name), { recursive: true, force: true });
  }

  const temp = await mkdtemp(path.join(parent, tempPrefix));
  try {
    await fill(temp);
    await fsyncTree(temp);
    await options.beforeCommit?.();
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
  await options.onStep?.("written");

  if (await exists(target)) {
    // A backup beside an existing target is stale (a crash after step 3): the target is newer.
    await rm(backup, { recursive: true, force: true });
    await rename(target, backup);
    await fsyncPath(parent, true);
  }
  // (No target but a backup: a crash between steps 2 and 3 of an earlier save. The backup
  // is the last good save; it stays until the new content is in place.)
  await options.onStep?.("backed-up");

  await rename(temp, target);
  await fsyncPath(parent, true);
  await options.onStep?.("renamed");

  await rm(backup, { recursive: true, force: true });
  await options.onStep?.("done");
}

/**
 * The folder to read a save from. When `dir` is missing but a backup left by a save that
 * crashed between its two renames exists, the backup is moved back to `dir` (or, if that is
 * not possible, read in place). Returns `dir` itself when there is nothing to recover.
 * When several processes may use `dir`, call it only while holding the lock the writers
 * hold: otherwise it may move back the backup of a save that is still running.
 */
export async function resolveSavedDir(dir: string): Promise<string> {
  const target = path.resolve(dir);
  if (await exists(target)) return target;
  const { backup } = siblingPaths(target);
  if (!(await exists(backup))) return target;
  try {
    await rename(backup, target);
    return target;
  } catch {
    return backup;
  }
}
