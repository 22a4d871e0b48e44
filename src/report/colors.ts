/** Distinct, readable-on-white colours for themes (Tableau 10, then 10 more). */
const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#79706e",
  "#1b9e77",
  "#d95f02",
  "#7570b3",
  "#e7298a",
  "#66a61e",
  "#a6761d",
  "#17becf",
  "#bcbd22",
  "#8c564b",
  "#2f4b7c",
];

/**
 * The colour of the `index`-th theme: a fixed palette for the first 20, then hues spread by
 * the golden angle. Distinct for every index.
 */
export function themeColor(index: number): string {
  if (index < PALETTE.length) return PALETTE[index];
  const hue = ((index - PALETTE.length) * 137.508 + 15) % 360;
  const lightness = 38 + ((index - PALETTE.length) % 3) * 8;
  return `hsl(${hue.toFixed(1)}, 62%, ${lightness}%)`;
}
