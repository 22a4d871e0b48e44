/** A label to place on the map, wanted at (x, y) (its centre), of the given box size. */
export interface LabelRequest {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a label ended up (its centre). */
export interface PlacedLabel {
  x: number;
  y: number;
}

export interface LabelLayoutOptions {
  /** The area labels must stay inside: [0, width] × [0, height]. */
  width: number;
  height: number;
  /** Empty space kept between two labels (default 4). */
  gap?: number;
  /** Relaxation rounds (default 300). */
  iterations?: number;
}

/**
 * Moves labels the least it can so that no two boxes overlap and every box stays inside
 * the area: repeated pairwise separation along the axis of least overlap (mostly
 * vertical, as labels are wide), each label pulled slightly back towards where it was
 * wanted. Deterministic. Returns one centre per request, in request order.
 */
export function layoutLabels(requests: readonly LabelRequest[], options: LabelLayoutOptions): PlacedLabel[] {
  const gap = options.gap ?? 4;
  const iterations = options.iterations ?? 300;
  const pos = requests.map((r) => ({ x: r.x, y: r.y }));
  const clamp = (i: number) => {
    const r = requests[i];
    const halfW = Math.min(r.width / 2, options.width / 2);
    const halfH = Math.min(r.height / 2, options.height / 2);
    pos[i].x = Math.min(Math.max(pos[i].x, halfW), options.width - halfW);
    pos[i].y = Math.min(Math.max(pos[i].y, halfH), options.height - halfH);
  };
  for (let i = 0; i < pos.length; i++) clamp(i);
  const separate = (): boolean => {
    let moved = false;
    for (let i = 0; i < pos.length; i++) {
      for (let j = i + 1; j < pos.length; j++) {
        const ox = (requests[i].width + requests[j].width) / 2 + gap - Math.abs(pos[i].x - pos[j].x);
        const oy = (requests[i].height + requests[j].height) / 2 + gap - Math.abs(pos[i].y - pos[j].y);
        if (ox <= 0 || oy <= 0) continue;
        moved = true;
        // Separate along the cheaper axis; ties (identical centres) broken by index.
        if (oy <= ox) {
          const dir = pos[i].y < pos[j].y || (pos[i].y === pos[j].y && i < j) ? -1 : 1;
          pos[i].y += dir * (oy / 2 + 0.01);
          pos[j].y -= dir * (oy / 2 + 0.01);
        } else {
          const dir = pos[i].x < pos[j].x || (pos[i].x === pos[j].x && i < j) ? -1 : 1;
          pos[i].x += dir * (ox / 2 + 0.01);
          pos[j].x -= dir * (ox / 2 + 0.01);
        }
        clamp(i);
        clamp(j);
      }
    }
    return moved;
  };
  for (let iter = 0; iter < iterations; iter++) {
    if (!separate()) break;
    // A weak pull back towards the wanted spot keeps labels near their themes.
    for (let i = 0; i < pos.length; i++) {
      pos[i].x += (requests[i].x - pos[i].x) * 0.05;
      pos[i].y += (requests[i].y - pos[i].y) * 0.05;
      clamp(i);
    }
  }
  for (let iter = 0; iter < iterations && separate(); iter++);
  return pos;
}

/** Whether two placed labels overlap (ignoring the gap). */
export function labelsOverlap(
  a: PlacedLabel & { width: number; height: number },
  b: PlacedLabel & { width: number; height: number },
): boolean {
  return Math.abs(a.x - b.x) < (a.width + b.width) / 2 && Math.abs(a.y - b.y) < (a.height + b.height) / 2;
}
