import { describe, expect, test } from "bun:test";
import { TimeRangeSpec } from "../model/database.ts";
import { localToUtc, utcWindow } from "./time-window.ts";

describe("localToUtc", () => {
  test("UTC input is unchanged and a date gets midnight", () => {
    expect(localToUtc("2026-05-01", "+00:00")).toBe("2026-05-01 00:00:00");
    expect(localToUtc("2026-05-01 12:34:56", "+00:00")).toBe("2026-05-01 12:34:56");
  });

  test("a negative offset moves later, within the day", () => {
    expect(localToUtc("2026-06-17 00:00:00", "-07:00")).toBe("2026-06-17 07:00:00");
  });

  test("a negative offset crosses into the next day", () => {
    expect(localToUtc("2026-06-17 20:15:00", "-07:00")).toBe("2026-06-18 03:15:00");
  });

  test("a positive offset crosses into the previous day", () => {
    expect(localToUtc("2026-05-01", "+02:00")).toBe("2026-04-30 22:00:00");
  });

  test("month boundaries, including offsets with minutes", () => {
    expect(localToUtc("2026-01-31 18:30:00", "-05:30")).toBe("2026-02-01 00:00:00");
    expect(localToUtc("2026-03-01 00:10:00", "+05:45")).toBe("2026-02-28 18:25:00");
    expect(localToUtc("2026-04-30 23:00:00", "-09:30")).toBe("2026-05-01 08:30:00");
  });

  test("year boundaries in both directions", () => {
    expect(localToUtc("2025-12-31 23:00:00", "-02:00")).toBe("2026-01-01 01:00:00");
    expect(localToUtc("2026-01-01 03:00:00", "+05:00")).toBe("2025-12-31 22:00:00");
    expect(localToUtc("2026-01-01", "+14:00")).toBe("2025-12-31 10:00:00");
    expect(localToUtc("2025-12-31 12:00:00", "-12:00")).toBe("2026-01-01 00:00:00");
  });

  test("leap years: 2024 and 2000 have 29 February, 2023 and 1900 do not", () => {
    expect(localToUtc("2024-03-01 01:00:00", "+09:00")).toBe("2024-02-29 16:00:00");
    expect(localToUtc("2023-03-01 01:00:00", "+09:00")).toBe("2023-02-28 16:00:00");
    expect(localToUtc("2000-03-01", "+01:00")).toBe("2000-02-29 23:00:00");
    expect(localToUtc("1900-03-01", "+01:00")).toBe("1900-02-28 23:00:00");
    expect(localToUtc("2024-02-28 22:00:00", "-03:00")).toBe("2024-02-29 01:00:00");
  });

  test("before and across the epoch", () => {
    expect(localToUtc("1970-01-01 01:00:00", "+02:00")).toBe("1969-12-31 23:00:00");
    expect(localToUtc("1969-12-31 23:00:00", "-02:00")).toBe("1970-01-01 01:00:00");
  });

  test("a negative offset's minutes are negative too", () => {
    expect(localToUtc("2026-05-01 00:00:00", "-00:30")).toBe("2026-05-01 00:30:00");
    expect(localToUtc("2026-05-01 00:00:00", "+00:30")).toBe("2026-04-30 23:30:00");
  });
});

describe("utcWindow", () => {
  const range = (fields: Record<string, string>) => TimeRangeSpec.parse(fields);

  test("a UTC date range is date-only", () => {
    expect(utcWindow(range({ start: "2026-05-01", end: "2026-06-01" }))).toEqual({
      start: "2026-05-01 00:00:00",
      end: "2026-06-01 00:00:00",
      dateOnly: true,
    });
  });

  test("a local range shifted off midnight is not date-only", () => {
    const local = range({ start: "2026-06-17 00:00:00", end: "2026-06-24 00:00:00", utc_offset: "-07:00" });
    expect(utcWindow(local)).toEqual({ start: "2026-06-17 07:00:00", end: "2026-06-24 07:00:00", dateOnly: false });
  });

  test("asUtc reads the local bounds as UTC", () => {
    const local = range({ start: "2026-06-17 00:00:00", end: "2026-06-24 00:00:00", utc_offset: "-07:00" });
    expect(utcWindow(local, true)).toEqual({ start: "2026-06-17 00:00:00", end: "2026-06-24 00:00:00", dateOnly: true });
  });

  test("an offset of whole days keeps a range date-only", () => {
    const shifted = range({ start: "2026-05-01 12:00:00", end: "2026-05-02 12:00:00", utc_offset: "+12:00" });
    expect(utcWindow(shifted)).toEqual({ start: "2026-05-01 00:00:00", end: "2026-05-02 00:00:00", dateOnly: true });
  });

  test("one bound off midnight is enough to lose date-only", () => {
    expect(utcWindow(range({ start: "2026-05-01", end: "2026-05-02 12:00:00" })).dateOnly).toBe(false);
    expect(utcWindow(range({ start: "2026-05-01 00:00:01", end: "2026-05-02" })).dateOnly).toBe(false);
  });
});
