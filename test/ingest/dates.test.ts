import { describe, expect, it } from "vitest";
import { isValidDate, monthNumber, normaliseDate, parseIsoDate, yearForUndatedDay } from "../../src/ingest/dates.js";

describe("dates", () => {
  it("knows month names and abbreviations", () => {
    expect(monthNumber("Feb")).toBe(2);
    expect(monthNumber("Sept")).toBe(9);
    expect(monthNumber("september")).toBe(9);
    expect(monthNumber("Dec.")).toBe(12);
    expect(monthNumber("Ma")).toBeUndefined();
    expect(monthNumber("Mayday")).toBeUndefined();
  });

  it("checks calendar days", () => {
    expect(isValidDate(2024, 2, 29)).toBe(true);
    expect(isValidDate(2025, 2, 29)).toBe(false);
    expect(isValidDate(2025, 4, 31)).toBe(false);
    expect(isValidDate(2025, 13, 1)).toBe(false);
    expect(parseIsoDate("2025-02-30")).toBeUndefined();
  });

  it("normalises the date formats of records", () => {
    expect(normaliseDate("2025-02-11T15:29:31.000Z")).toBe("2025-02-11");
    expect(normaliseDate("2003-07-07T13:46:39-04:00")).toBe("2003-07-07");
    expect(normaliseDate("2025-02-11")).toBe("2025-02-11");
    expect(normaliseDate("2025/2/11")).toBe("2025-02-11");
    expect(normaliseDate("Feb 11, 2025")).toBe("2025-02-11");
    expect(normaliseDate("February 11 2025")).toBe("2025-02-11");
    expect(normaliseDate("11 Feb 2025")).toBe("2025-02-11");
    for (const bad of ["2025", "2025-02", "Feb 2025", "yesterday", "2025-02-30", "13/02/2025"]) expect(normaliseDate(bad)).toBeUndefined();
  });

  it("puts a day without a year in the listing's year unless that lies after the listing date", () => {
    const listing = { year: 2025, month: 11, day: 21 };
    expect(yearForUndatedDay(2, 11, 2025, listing)).toBe(2025);
    expect(yearForUndatedDay(11, 21, 2025, listing)).toBe(2025);
    expect(yearForUndatedDay(11, 22, 2025, listing)).toBe(2024);
    expect(yearForUndatedDay(12, 30, 2025, listing)).toBe(2024);
    expect(yearForUndatedDay(12, 30, 2025, undefined)).toBe(2025);
  });
});
