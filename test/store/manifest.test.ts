import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IncompatibleIndexError } from "../../src/errors.js";
import { loadDefaultListing } from "../../src/ingest/index.js";
import { PaperLibrary } from "../../src/library.js";
import { LIBRARY_MANIFEST, readManifest } from "../../src/store/manifest.js";
import { emptyState, parseStateEnvelope } from "../../src/store/state.js";

let tmp: string;
let dir: string;
let manifest: Record<string, unknown> & { files: Record<string, unknown> };
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "papermap-manifest-"));
  dir = path.join(tmp, "lib");
  await (await PaperLibrary.create((await loadDefaultListing()).slice(0, 8), { embedder: "lexical" })).save(dir);
  manifest = JSON.parse(await readFile(path.join(dir, LIBRARY_MANIFEST), "utf8"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("readManifest", () => {
  const withManifest = async (m: unknown) => {
    await writeFile(path.join(dir, LIBRARY_MANIFEST), JSON.stringify(m));
    return readManifest(dir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
  };

  it("reads the manifest of a saved library", async () => {
    const m = await readManifest(dir);
    expect(m.formatVersion).toBe(2);
    expect(m.generation).toMatch(/^[0-9a-f]{24}$/);
    expect(m.paperCount).toBe(8);
  });

  it("refuses file entries outside the folder, malformed checksums and missing required files", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        { ...manifest, files: { ...manifest.files, "../outside.json": { bytes: 1, sha256: "0".repeat(64) } } },
        /bad entry for "\.\.\/outside\.json"/,
      ],
      [{ ...manifest, files: { ...manifest.files, "/etc/passwd": { bytes: 1, sha256: "0".repeat(64) } } }, /bad entry/],
      [{ ...manifest, files: { ...manifest.files, "papers.json": { bytes: 1, sha256: "xyz" } } }, /bad entry for "papers\.json"/],
      [
        { ...manifest, files: Object.fromEntries(Object.entries(manifest.files).filter(([k]) => k !== "state.json")) },
        /state\.json is not listed/,
      ],
      [{ ...manifest, files: undefined }, /no file list/],
      [{ ...manifest, generation: undefined }, /no generation id/],
    ];
    for (const [m, expected] of cases) {
      const error = await withManifest(m);
      expect(error).toBeInstanceOf(IncompatibleIndexError);
      expect(error!.message).toMatch(expected);
    }
    await withManifest(manifest);
    expect((await PaperLibrary.open(dir)).size).toBe(8);
  });
});

describe("parseStateEnvelope", () => {
  it("accepts the envelope, defaults missing sections, and describes what is wrong otherwise", () => {
    expect(parseStateEnvelope({ collections: { liked: ["a"] }, themes: { any: "json" } })).toEqual({
      collections: { liked: ["a"] },
      themes: { any: "json" },
    });
    expect(parseStateEnvelope({})).toEqual(emptyState());
    expect(parseStateEnvelope(null)).toMatch(/not a JSON object/);
    expect(parseStateEnvelope([])).toMatch(/not a JSON object/);
    expect(parseStateEnvelope({ collections: ["a"] })).toMatch(/collections/);
  });
});
