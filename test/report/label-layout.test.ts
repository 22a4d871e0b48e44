import { describe, expect, it } from "vitest";
import { labelsOverlap, layoutLabels, type LabelRequest } from "../../src/report/label-layout.js";

const area = { width: 1000, height: 600 };

function overlaps(requests: LabelRequest[], placed: { x: number; y: number }[]): number {
  let count = 0;
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      if (
        labelsOverlap(
          { ...placed[i], width: requests[i].width, height: requests[i].height },
          { ...placed[j], width: requests[j].width, height: requests[j].height },
        )
      )
        count++;
    }
  }
  return count;
}

describe("layoutLabels", () => {
  it("leaves labels that do not overlap where they were wanted", () => {
    const requests = [
      { x: 100, y: 100, width: 120, height: 20 },
      { x: 500, y: 300, width: 160, height: 20 },
      { x: 800, y: 500, width: 90, height: 20 },
    ];
    expect(layoutLabels(requests, area)).toEqual(requests.map(({ x, y }) => ({ x, y })));
  });

  it("separates labels wanted at the same spot or overlapping, and keeps them inside the area", () => {
    const requests: LabelRequest[] = [];
    for (let i = 0; i < 12; i++) requests.push({ x: 480 + (i % 3) * 20, y: 300 + (i % 2) * 5, width: 150 + i * 5, height: 21 });
    requests.push({ x: 2, y: 2, width: 200, height: 21 }, { x: 999, y: 599, width: 180, height: 21 });
    const placed = layoutLabels(requests, area);
    expect(overlaps(requests, placed)).toBe(0);
    placed.forEach((p, i) => {
      expect(p.x - requests[i].width / 2).toBeGreaterThanOrEqual(0);
      expect(p.x + requests[i].width / 2).toBeLessThanOrEqual(area.width);
      expect(p.y - requests[i].height / 2).toBeGreaterThanOrEqual(0);
      expect(p.y + requests[i].height / 2).toBeLessThanOrEqual(area.height);
    });
    // Still close to where they were wanted (a crowd of 12 spreads over a few rows).
    for (let i = 0; i < 12; i++) expect(Math.abs(placed[i].y - requests[i].y)).toBeLessThan(200);
  });

  it("is deterministic", () => {
    const requests = Array.from({ length: 8 }, (_, i) => ({ x: 300 + i, y: 200, width: 140, height: 20 }));
    expect(layoutLabels(requests, area)).toEqual(layoutLabels(requests, area));
  });
});
