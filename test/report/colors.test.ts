import { describe, expect, it } from "vitest";
import { themeColor } from "../../src/report/colors.js";

describe("themeColor", () => {
  it("gives a distinct valid CSS colour to each of 200 themes", () => {
    const colors = Array.from({ length: 200 }, (_, i) => themeColor(i));
    expect(new Set(colors).size).toBe(200);
    for (const c of colors) expect(c).toMatch(/^(#[0-9a-f]{6}|hsl\(\d+(\.\d)?, 62%, \d+%\))$/);
  });
});
