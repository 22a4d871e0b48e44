import { describe, expect, it } from "vitest";
import { ari, nmi } from "../../src/themes/metrics.js";

describe("nmi and ari", () => {
  it("are 1 for the same partition under other names", () => {
    const a = [0, 0, 1, 1, 2, 2, 2];
    const b = ["x", "x", "y", "y", "z", "z", "z"];
    expect(nmi(a, b)).toBeCloseTo(1, 12);
    expect(ari(a, b)).toBeCloseTo(1, 12);
  });

  it("match scikit-learn's values on its documented example", () => {
    // sklearn: normalized_mutual_info_score([0,0,1,1],[0,0,1,2]) = v_measure = 0.8;
    // adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715.
    expect(nmi([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.8, 10);
    expect(ari([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285715, 12);
  });

  it("are 0 for independent partitions", () => {
    // Every cluster of b holds one member of each class of a.
    const a = [0, 1, 0, 1, 0, 1, 0, 1];
    const b = [0, 0, 1, 1, 2, 2, 3, 3];
    expect(nmi(a, b)).toBeCloseTo(0, 12);
    expect(ari(a, b)).toBeLessThanOrEqual(0);
  });

  it("rejects arrays of different lengths", () => {
    expect(() => nmi([0, 1], [0])).toThrow(RangeError);
  });
});
