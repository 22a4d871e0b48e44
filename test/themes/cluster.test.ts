import { describe, expect, it } from "vitest";
import { bestKMeans, kmeansPlusPlus } from "../../src/themes/cluster.js";
import { createRandom } from "../../src/themes/linalg.js";

function blobs(seed: number): { points: number[][]; truth: number[] } {
  const random = createRandom(seed);
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const points: number[][] = [];
  const truth: number[] = [];
  centres.forEach((c, t) => {
    for (let i = 0; i < 25; i++) {
      points.push([c[0] + random() - 0.5, c[1] + random() - 0.5]);
      truth.push(t);
    }
  });
  return { points, truth };
}

describe("bestKMeans", () => {
  it("finds well-separated blobs", () => {
    const { points, truth } = blobs(1);
    const c = bestKMeans(points, 3, { seed: 1, restarts: 3 });
    expect(c.k).toBe(3);
    // Same partition as the truth (labels are renumbered by first appearance).
    expect(Array.from(c.labels)).toEqual(truth);
  });

  it("is deterministic for a seed", () => {
    const { points } = blobs(2);
    const a = bestKMeans(points, 5, { seed: 4, restarts: 4 });
    const b = bestKMeans(points, 5, { seed: 4, restarts: 4 });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(b.centres).toEqual(a.centres);
  });

  it("keeps the restart with the lowest inertia", () => {
    const { points } = blobs(3);
    const one = bestKMeans(points, 7, { seed: 1, restarts: 1 });
    const many = bestKMeans(points, 7, { seed: 1, restarts: 8 });
    expect(many.inertia).toBeLessThanOrEqual(one.inertia + 1e-9);
  });

  it("handles k = 1 and k ≥ n", () => {
    const { points } = blobs(4);
    const one = bestKMeans(points, 1, { seed: 1, restarts: 2 });
    expect(new Set(one.labels).size).toBe(1);
    const few = points.slice(0, 4);
    const each = bestKMeans(few, 9, { seed: 1, restarts: 2 });
    expect(Array.from(each.labels)).toEqual([0, 1, 2, 3]);
    expect(each.inertia).toBe(0);
  });
});

describe("kmeansPlusPlus", () => {
  it("picks k distinct data points", () => {
    const { points } = blobs(5);
    const centres = kmeansPlusPlus(points, 6, createRandom(3));
    expect(centres.length).toBe(6);
    expect(new Set(centres.map((c) => c.join(","))).size).toBe(6);
    for (const c of centres) expect(points.some((p) => p[0] === c[0] && p[1] === c[1])).toBe(true);
  });

  it("spreads its picks over the blobs", () => {
    const { points, truth } = blobs(6);
    const centres = kmeansPlusPlus(points, 3, createRandom(1));
    const blobOf = (c: number[]) => truth[points.findIndex((p) => p[0] === c[0] && p[1] === c[1])];
    expect(new Set(centres.map(blobOf)).size).toBe(3);
  });
});
