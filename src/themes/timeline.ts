/**
 * Timeline of a library's themes: papers per day or week for each theme, and whether a theme
 * is emerging, steady or fading.
 */
import { InvalidArgumentError } from "../errors.js";
import type { Paper } from "../paper.js";
import { paperDay } from "../paper.js";
import type { ThemeResult } from "./types.js";

/** How a theme's share of the papers moved over the last periods. */
export type ThemeTrend = "emerging" | "steady" | "fading";

export interface TimelineOptions {
  /** Period length (default "day"). Weeks start on Monday and are named by that day. */
  by?: "day" | "week";
  /** Periods that count as recent for the trend (default 3 days or 2 weeks). */
  recent?: number;
}

export interface ThemeTimeline {
  themeId: string;
  label: string;
  /** Papers per period, one number per entry of {@link Timeline.periods}. */
  counts: number[];
  /** Papers of the theme with a known day. */
  total: number;
  trend: ThemeTrend;
}

export interface Timeline {
  by: "day" | "week";
  /** Period names (YYYY-MM-DD: the day, or the Monday of the week), oldest first, without gaps between listings. */
  periods: string[];
  /** Papers per period over all themes. */
  totals: number[];
  themes: ThemeTimeline[];
  /** Papers with neither a listing day nor a publication date. */
  undated: number;
}

/** The period a day falls in. */
export function periodOf(day: string, by: "day" | "week"): string {
  if (by === "day") return day;
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - weekday);
  return d.toISOString().slice(0, 10);
}

/**
 * Per theme, papers per period (each paper's day: its `listingDay`, else `published`). A
 * theme is *emerging* when its share of the papers over the last `recent` periods (at most
 * half of the periods) is at least
 * 1.5 times its share before them (or it only has papers in them, and more than one), *fading*
 * when that share fell to half or less, else *steady*.
 */
export function buildTimeline(papers: readonly Paper[], themes: ThemeResult, options: TimelineOptions = {}): Timeline {
  const by = options.by ?? "day";
  if (by !== "day" && by !== "week") throw new InvalidArgumentError(`timeline: "by" must be "day" or "week"; got ${String(by)}.`);
  const recent = options.recent ?? (by === "day" ? 3 : 2);
  if (!Number.isInteger(recent) || recent < 1)
    throw new InvalidArgumentError(`timeline: "recent" must be a whole number ≥ 1; got ${recent}.`);
  const periodOfPaper = new Map<string, string>();
  let undated = 0;
  for (const p of papers) {
    const d = paperDay(p);
    if (d) periodOfPaper.set(p.id, periodOf(d, by));
    else undated++;
  }
  const periods = [...new Set(periodOfPaper.values())].sort();
  const at = new Map(periods.map((p, i) => [p, i]));
  const totals = new Array<number>(periods.length).fill(0);
  for (const period of periodOfPaper.values()) totals[at.get(period)!]++;
  // Short histories: the recent periods are at most the later half.
  const cut = periods.length - Math.max(1, Math.min(recent, Math.floor(periods.length / 2)));
  const sum = (xs: number[], from: number, to: number) => xs.slice(from, to).reduce((a, b) => a + b, 0);
  const allRecent = sum(totals, cut, totals.length);
  const allBefore = sum(totals, 0, cut);
  const list: ThemeTimeline[] = themes.themes.map((t) => {
    const counts = new Array<number>(periods.length).fill(0);
    for (const p of t.papers) {
      const period = periodOfPaper.get(p.id);
      if (period !== undefined) counts[at.get(period)!]++;
    }
    const total = sum(counts, 0, counts.length);
    const inRecent = sum(counts, cut, counts.length);
    const before = total - inRecent;
    let trend: ThemeTrend = "steady";
    if (allBefore > 0 && allRecent > 0) {
      const shareRecent = inRecent / allRecent;
      const shareBefore = before / allBefore;
      if (before === 0 && inRecent > 1) trend = "emerging";
      else if (shareBefore > 0 && shareRecent >= 1.5 * shareBefore && inRecent > 1) trend = "emerging";
      else if (shareBefore > 0 && shareRecent <= 0.5 * shareBefore) trend = "fading";
    }
    return { themeId: t.id, label: t.label, counts, total, trend };
  });
  return { by, periods, totals, themes: list, undated };
}
