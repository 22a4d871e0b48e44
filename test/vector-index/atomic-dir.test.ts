import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { type AtomicDirStep, replaceDirAtomically, resolveSavedDir, siblingPaths } from "../../src/vector-index/atomic-dir.js";

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-atomic-"));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const writeVersion = (version: string) => async (dir: string) => {
  await writeFile(path.join(dir, "data.txt"), version);
  await mkdir(path.join(dir, "sub"));
  await writeFile(path.join(dir, "sub", "more.txt"), version);
};
const read = (dir: string) => readFile(path.join(dir, "data.txt"), "utf8");

describe("replaceDirAtomically", () => {
  it("creates, then replaces, a folder, reporting each step and leaving no siblings", async () => {
    const dir = path.join(tmp, "nested", "save");
    const steps: AtomicDirStep[] = [];
    await replaceDirAtomically(dir, writeVersion("one"), { onStep: (s) => void steps.push(s) });
    expect(steps).toEqual(["written", "backed-up", "renamed", "done"]);
    expect(await read(dir)).toBe("one");
    await replaceDirAtomically(dir, writeVersion("two"));
    expect(await read(dir)).toBe("two");
    expect(await readFile(path.join(dir, "sub", "more.txt"), "utf8")).toBe("two");
    expect(await readdir(path.join(tmp, "nested"))).toEqual(["save"]);
  });

  it("leaves the folder untouched and removes its temporary folder when writing fails", async () => {
    const dir = path.join(tmp, "save");
    await replaceDirAtomically(dir, writeVersion("one"));
    await expect(
      replaceDirAtomically(dir, async (temp) => {
        await writeFile(path.join(temp, "data.txt"), "half");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(await read(dir)).toBe("one");
    expect(await readdir(tmp)).toEqual(["save"]);
  });

  it("refuses a non-empty folder that canReplace rejects, and a file", async () => {
    const dir = path.join(tmp, "mine");
    await mkdir(dir);
    await writeFile(path.join(dir, "notes.txt"), "keep me");
    await expect(replaceDirAtomically(dir, writeVersion("x"), { canReplace: async () => false })).rejects.toThrow(InvalidArgumentError);
    expect(await readdir(dir)).toEqual(["notes.txt"]);
    expect(await readdir(tmp)).toEqual(["mine"]);
    await writeFile(path.join(tmp, "file"), "");
    await expect(replaceDirAtomically(path.join(tmp, "file"), writeVersion("x"))).rejects.toThrow(/is a file/);
  });

  it("replaces an empty folder without asking", async () => {
    const dir = path.join(tmp, "empty");
    await mkdir(dir);
    await replaceDirAtomically(dir, writeVersion("one"), { canReplace: async () => false });
    expect(await read(dir)).toBe("one");
  });

  it("clears temporary folders and stale backups left by crashed saves", async () => {
    const dir = path.join(tmp, "save");
    await replaceDirAtomically(dir, writeVersion("one"));
    const { backup, tempPrefix } = siblingPaths(dir);
    await mkdir(path.join(tmp, `${tempPrefix}crashed`));
    await mkdir(backup); // a crash after the second rename leaves an old backup beside a newer save
    await replaceDirAtomically(dir, writeVersion("two"));
    expect(await readdir(tmp)).toEqual(["save"]);
    expect(await read(dir)).toBe("two");
  });

  it("keeps the backup of the last good save when an earlier crash left no folder", async () => {
    const dir = path.join(tmp, "save");
    await replaceDirAtomically(dir, writeVersion("one"));
    const { backup } = siblingPaths(dir);
    await rename(dir, backup); // state after a crash between the two renames
    let backupDuringWrite: string | undefined;
    await replaceDirAtomically(dir, async (temp) => {
      backupDuringWrite = await read(backup);
      await writeVersion("two")(temp);
    });
    expect(backupDuringWrite).toBe("one");
    expect(await read(dir)).toBe("two");
    expect(await readdir(tmp)).toEqual(["save"]);
  });
});

describe("replaceDirAtomically: beforeCommit", () => {
  it("runs after the content is written and before the swap; throwing there leaves the folder untouched", async () => {
    const dir = path.join(tmp, "save");
    await replaceDirAtomically(dir, writeVersion("one"));
    const steps: string[] = [];
    await expect(
      replaceDirAtomically(dir, writeVersion("two"), {
        onStep: (s) => void steps.push(s),
        beforeCommit: async () => {
          steps.push("beforeCommit");
          throw new Error("lock lost");
        },
      }),
    ).rejects.toThrow("lock lost");
    expect(steps).toEqual(["beforeCommit"]);
    expect(await read(dir)).toBe("one");
    expect(await readdir(tmp)).toEqual(["save"]);
    await replaceDirAtomically(dir, writeVersion("two"), {
      onStep: (s) => void steps.push(s),
      beforeCommit: async () => void steps.push("ok"),
    });
    expect(steps.slice(1)).toEqual(["ok", "written", "backed-up", "renamed", "done"]);
    expect(await read(dir)).toBe("two");
  });
});

describe("resolveSavedDir", () => {
  it("returns the folder when it exists", async () => {
    const dir = path.join(tmp, "save");
    await replaceDirAtomically(dir, writeVersion("one"));
    expect(await resolveSavedDir(dir)).toBe(dir);
  });
  it("moves a backup back into place when the folder is missing", async () => {
    const dir = path.join(tmp, "save");
    await replaceDirAtomically(dir, writeVersion("one"));
    await rename(dir, siblingPaths(dir).backup);
    expect(await resolveSavedDir(dir)).toBe(dir);
    expect(await read(dir)).toBe("one");
    expect(await readdir(tmp)).toEqual(["save"]);
  });
  it("returns the missing folder itself when there is nothing to recover", async () => {
    const dir = path.join(tmp, "nothing");
    expect(await resolveSavedDir(dir)).toBe(dir);
  });
});
