import { mkdir } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { errnoText, PapermapError } from "../errors.js";

/** Timing of the inter-process lock of a library folder. */
export interface LockTiming {
  /**
   * How long to wait for another process (or another library object) that holds the lock,
   * in milliseconds. Default 20,000: longer than {@link stale}, so that a lock left by a
   * killed process is taken over within the wait.
   */
  wait?: number;
  /**
   * A lock whose holder has not refreshed it for this long (ms) is stale: its holder is taken
   * to be dead and the lock is taken over. The holder refreshes it every `stale / 5`.
   * Default 10,000 (minimum 2,000).
   */
  stale?: number;
}

export const LOCK_DEFAULTS = { wait: 20_000, stale: 10_000 } as const;

/** A held lock. */
export interface HeldLock {
  /** Throws when the lock was lost (taken over as stale by another process, or its folder removed). */
  assertHeld(): void;
}

/** The lock folder of a library folder: a hidden sibling, `.<name>.lock`. */
export function lockPath(dir: string): string {
  const abs = path.resolve(dir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.lock`);
}

/** The library folder is locked by someone else and the wait ran out. */
export class LibraryBusyError extends PapermapError {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` while holding the inter-process lock of the library folder `dir`
 * (`proper-lockfile`: an atomic `mkdir` of `.<name>.lock` beside the folder, refreshed while
 * held, taken over when stale). Waits up to `timing.wait` for the lock, then throws
 * {@link LibraryBusyError} saying what to do.
 *
 * `mode: "read"`: when the lock cannot be created because the parent folder is read-only or
 * not writable for this user, `work` runs without it (nobody can be saving there either).
 */
export async function withLibraryLock<T>(
  dir: string,
  mode: "read" | "write",
  work: (lock: HeldLock) => Promise<T>,
  timing: LockTiming = {},
): Promise<T> {
  const target = path.resolve(dir);
  const wait = timing.wait ?? LOCK_DEFAULTS.wait;
  const stale = Math.max(2_000, timing.stale ?? LOCK_DEFAULTS.stale);
  const lockfilePath = lockPath(target);
  if (mode === "write") {
    try {
      await mkdir(path.dirname(target), { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const cause = code === "EEXIST" || code === "ENOTDIR" ? "a part of its path is a file, not a folder" : plainCause(error);
      throw new PapermapError(`Cannot save to "${target}": ${cause}. Choose another folder (nothing was changed).`, { cause: error });
    }
  }

  let compromised: Error | undefined;
  const options: lockfile.LockOptions = {
    stale,
    update: Math.max(1_000, Math.floor(stale / 5)),
    realpath: false,
    lockfilePath,
    retries: 0,
    onCompromised: (error) => {
      compromised = error;
    },
  };
  const deadline = Date.now() + wait;
  let release: (() => Promise<void>) | undefined;
  for (;;) {
    try {
      release = await lockfile.lock(target, options);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ELOCKED") {
        if (Date.now() >= deadline) {
          throw new LibraryBusyError(
            `The library folder "${target}" is being saved or read by another process (or another library object), ` +
              `and it did not finish within ${Math.round(wait / 1000)} s. Try again when it is done. If no papermap is ` +
              `running, the lock "${lockfilePath}" is left over from a crash: it is taken over automatically once it is ` +
              `${Math.round(stale / 1000)} s old, or you may delete it.`,
          );
        }
        await sleep(50 + Math.random() * 150);
        continue;
      }
      if (mode === "read" && (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "ENOENT")) {
        // Read-only location (or no parent folder: then there is no library either, and
        // reading says so). Nobody can be writing here through papermap.
        return work({ assertHeld: () => undefined });
      }
      throw new PapermapError(
        `Could not lock the library folder "${target}" (${plainCause(error)}). Check that its parent folder exists and is writable.`,
        { cause: error },
      );
    }
  }
  try {
    return await work({
      assertHeld: () => {
        if (compromised) {
          throw new PapermapError(
            `Lost the lock of the library folder "${target}" (${compromised.message}); another process took it over, ` +
              `so nothing was replaced. Try again.`,
            { cause: compromised },
          );
        }
      },
    });
  } finally {
    await release().catch(() => undefined);
  }
}

/** A file system error in plain words, without temporary file names. */
export function plainCause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "a file or folder disappeared while it was in use (was the folder moved or deleted meanwhile?)";
    case "EEXIST":
    case "ENOTEMPTY":
      return "a file or folder of that name appeared meanwhile";
    default:
      if (typeof code === "string") return errnoText(code) ?? `file system error ${code}`;
      return error instanceof Error ? error.message : String(error);
  }
}
