import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import type { CommandIo } from "../../src/cli/commands.js";
import { UsageError } from "../../src/cli/errors.js";
import { modelCommand } from "../../src/cli/model.js";
import { TerminalOutput } from "../../src/cli/output.js";
import { ProgressReporter } from "../../src/cli/progress.js";
import { DEFAULT_MODEL_ID, TransformersEmbedder } from "../../src/embed/transformers.js";
import { setEnv } from "../helpers/env.js";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub.js";
import { createTinyModel } from "../helpers/tiny-model.js";

let root: string;
let hub: FakeHub;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "papermap-cli-model-"));
  hub = await startFakeHub(DEFAULT_MODEL_ID, await createTinyModel(join(root, "tiny")));
});

afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

function io(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const stderr = new TerminalOutput({ write: (t: string) => err.push(t) });
  return {
    out,
    err,
    stdout: new TerminalOutput({ write: (t: string) => out.push(t) }),
    stderr,
    progress: new ProgressReporter(stderr),
    cwd: root,
    env: process.env,
  };
}

describe("papermap model download", () => {
  it("parses as a command with an optional model id", () => {
    expect(parseCommandLine(["model", "download"])).toMatchObject({ command: "model", positionals: ["download"] });
    expect(parseCommandLine(["model", "download", "Xenova/gte-small", "--cache-dir", "c"])).toMatchObject({
      positionals: ["download", "Xenova/gte-small"],
      values: { "cache-dir": "c" },
    });
    expect(() => parseCommandLine(["model"])).toThrow(UsageError);
  });

  it("downloads the default model into <cache dir>/models with progress; then it loads offline", async () => {
    setEnv({ HF_ENDPOINT: hub.url });
    const cache = join(root, "cache");
    const first = io();
    await modelCommand(["download"], { "cache-dir": "cache" }, first);
    expect(first.out.join("")).toMatch(
      new RegExp(`^Downloaded ${DEFAULT_MODEL_ID} \\(\\d+\\.\\d MB\\): ${join(cache, "models", DEFAULT_MODEL_ID)}`),
    );
    expect(first.out.join("")).toMatch(/32 dimensions/);
    expect(first.err.join("")).toMatch(/downloading model/);
    const offline = await TransformersEmbedder.load({ cacheDir: join(cache, "models"), offline: true });
    expect(offline.dimension).toBe(32);
    await offline.dispose();
    const again = io();
    await modelCommand(["download"], { "cache-dir": "cache" }, again);
    expect(again.out.join("")).toMatch(/was already in the model cache/);
  });

  it("refuses an unknown action or dtype with a usage error", async () => {
    await expect(modelCommand(["upload"], {}, io())).rejects.toThrow(/unknown action "upload"/);
    await expect(modelCommand(["download"], { dtype: "q9" }, io())).rejects.toThrow(UsageError);
  });
});
