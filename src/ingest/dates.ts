/** Calendar dates as they appear in listings, turned into ISO `YYYY-MM-DD`. */

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** 1-based month of an English month name or abbreviation (`Feb`, `Sept`, `September`); undefined otherwise. */
export function monthNumber(name: string): number | undefined {
  const word = name.toLowerCase().replace(/\.$/, "");
  if (word.length < 3) return undefined;
  const index = MONTHS.findIndex((month) => month.startsWith(word));
  return index < 0 ? undefined : index + 1;
}

/** A calendar day. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

export function toIso(date: CalendarDate): string {
  return `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Today in UTC. */
export function today(): CalendarDate {
  const now = new Date();
  return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
}

/** Parses an ISO date (`2025-11-21`, or the date part of `2025-11-21T08:00:00Z`). */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isValidDate(year, month, day) ? { year, month, day } : undefined;
}

/**
 * Whether `text` is a real calendar date written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the
 * forms date filters take): `2025-13` and `2025-02-30` are not. The same calendar check
 * as every date read from a listing ({@link isValidDate}).
 */
export function isIsoDatePrefix(text: string): boolean {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = match[2] === undefined ? 1 : Number(match[2]);
  const day = match[3] === undefined ? 1 : Number(match[3]);
  return isValidDate(year, month, day);
}

/** Whether `text` is a real calendar day written `YYYY-MM-DD` (`2025-02-30` is not). */
export function isIsoDay(text: unknown): text is string {
  return typeof text === "string" && /^\d{4}-\d{2}-\d{2}$/.test(text) && isIsoDatePrefix(text);
}

/**
 * The date of a field in a JSON/CSV/XML record, as ISO `YYYY-MM-DD`: ISO dates and
 * date-times (`2025-02-11T15:29:31.000Z` keeps its own calendar day), `2025/02/11`,
 * `Feb 11, 2025`, `February 11 2025`, `11 Feb 2025`. Returns undefined for anything
 * else, including a bare year or month, which is not a day.
 */
export function normaliseDate(value: string): string | undefined {
  const text = value.trim();
  const iso = parseIsoDate(text);
  if (iso) return toIso(iso);
  let match = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(text);
  if (match) return checked(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^([A-Za-z]{3,9}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(text);
  if (match) {
    const month = monthNumber(match[1]);
    return month ? checked(Number(match[3]), month, Number(match[2])) : undefined;
  }
  match = /^(\d{1,2})\s+([A-Za-z]{3,9}\.?),?\s+(\d{4})$/.exec(text);
  if (match) {
    const month = monthNumber(match[2]);
    return month ? checked(Number(match[3]), month, Number(match[1])) : undefined;
  }
  return undefined;
}

function checked(year: number, month: number, day: number): string | undefined {
  return isValidDate(year, month, day) ? toIso({ year, month, day }) : undefined;
}

/**
 * The year of a date written without one: `referenceYear`, or the year before when that
 * would put the date after the listing date (a Dec 30 paper in a Jan 2 listing is from the
 * previous December).
 */
export function yearForUndatedDay(month: number, day: number, referenceYear: number, listingDate: CalendarDate | undefined): number {
  if (!listingDate) return referenceYear;
  const candidate = { year: referenceYear, month, day };
  return compareDates(candidate, listingDate) > 0 ? referenceYear - 1 : referenceYear;
}
