import { describe, expect, it } from "vitest";
import { ProgressReporter } from "../../src/cli/progress.js";

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { write: (t: string) => chunks.push(t), isTTY, columns: 100 }, text: () => chunks.join(""), chunks };
}

describe("ProgressReporter", () => {
  it("off a terminal: one line when a stage starts and one when it ends, whatever the number of events", () => {
    const s = sink(false);
    const p = new ProgressReporter(s.out);
    for (let done = 0; done <= 82; done++) p.onProgress({ stage: "embed", done, total: 82, unit: "papers" });
    p.onProgress({ stage: "index", done: 82, total: 82, unit: "papers" });
    p.finish();
    expect(s.text()).toMatch(
      /^embedding 82 papers…\nembedding: done \(82\/82 papers\) in \d+\.\d s\nindexing 82 papers…\nindexing: done \(82\/82 papers\) in \d+\.\d s\n$/,
    );
  });

  it("on a terminal: a bar redrawn in place, ended with a newline, notices on their own line", () => {
    const s = sink(true);
    const p = new ProgressReporter(s.out);
    p.onProgress({ stage: "embed", done: 0, total: 4, unit: "papers" });
    p.onNotice("using the lexical embedder");
    p.onProgress({ stage: "embed", done: 4, total: 4, unit: "papers" });
    const text = s.text();
    expect(text.startsWith("\rembedding      [")).toBe(true);
    expect(text).toContain("] 0/4 papers\x1b[K");
    expect(text).toContain("\r\x1b[Kpapermap: using the lexical embedder\n");
    expect(text).toMatch(/\[█+\] 4\/4 papers\x1b\[K\n$/);
    // A complete bar is fully filled, an empty one fully empty.
    expect(text).toMatch(/\[░+\] 0\/4/);
  });

  it("shows byte counts in MB and stages without a total as a counter", () => {
    const s = sink(true);
    const p = new ProgressReporter(s.out);
    p.onProgress({ stage: "download", done: 1_500_000, total: 3_000_000, unit: "bytes" });
    p.finish();
    p.onProgress({ stage: "cluster", done: 3 });
    p.finish();
    expect(s.text()).toContain("1.5/3.0 MB");
    expect(s.text()).toContain("\rclustering 3\x1b[K\n");
  });

  it("prints nothing when disabled (--quiet)", () => {
    const s = sink(false);
    const p = new ProgressReporter(s.out, { enabled: false });
    p.onProgress({ stage: "embed", done: 1, total: 1 });
    p.onNotice("hello");
    p.status("loaded");
    p.finish();
    expect(s.chunks).toEqual([]);
  });
});
