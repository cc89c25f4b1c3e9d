import { describe, expect, test } from "bun:test";
import type { DomainDatabase } from "../model/database.ts";
import type { QueryResult, Row } from "../model/observation.ts";
import { testDatabase } from "../testing/fixtures.ts";
import { releaseResult } from "./release.ts";
import { REFERENCE_STACK, type ReleaseKnobs } from "./variant.ts";

const reference = REFERENCE_STACK.release;
const rows = (...items: Row[]): QueryResult => ({ kind: "rows", rows: items });

function releaseDb(fields: { minSize?: number; sampled?: Record<string, number> } = {}): DomainDatabase {
  const db = testDatabase();
  db.release = {
    ...(fields.minSize === undefined ? {} : { cohort: { measure: "count(distinct accounts.id)", min_size: fields.minSize } }),
    sampled_tables: fields.sampled ?? {},
  };
  return db;
}

describe("releaseResult: withholding", () => {
  test("an unauthorized request is withheld, whatever the result", () => {
    const expected = { released: false, rows: [], withheld_rows: 0, reasons: ["the request was not authorized"], disclosures: [] };
    expect(releaseResult(releaseDb(), { authorized: false, result: rows({ value: 1 }), lineage: [] }, reference)).toEqual(expected);
    expect(releaseResult(releaseDb(), { authorized: false, result: { kind: "error", error: "boom" }, lineage: [] }, reference)).toEqual(expected);
  });

  test("a database error is withheld with the error", () => {
    expect(releaseResult(releaseDb(), { authorized: true, result: { kind: "error", error: "permission denied for table invoices" }, lineage: [] }, reference)).toEqual({
      released: false,
      rows: [],
      withheld_rows: 0,
      reasons: ["the database refused the query: permission denied for table invoices"],
      disclosures: [],
    });
  });

  test("an authorized result without cohort or sampling is released as is", () => {
    const result = rows({ value: 10, region: "EU" }, { value: 3, region: "US" });
    expect(releaseResult(releaseDb(), { authorized: true, result, lineage: ["accounts"] }, reference)).toEqual({
      released: true,
      rows: [
        { value: 10, region: "EU" },
        { value: 3, region: "US" },
      ],
      withheld_rows: 0,
      reasons: [],
      disclosures: [],
    });
  });
});

describe("releaseResult: cohort threshold", () => {
  const db = releaseDb({ minSize: 5 });

  test("groups below the threshold are dropped and counted; groups at it are kept", () => {
    const result = rows({ region: "EU", cohort_size: 5 }, { region: "US", cohort_size: 4 }, { region: "APAC", cohort_size: 12 }, { region: "X", cohort_size: 1 });
    expect(releaseResult(db, { authorized: true, result, lineage: [] }, reference)).toEqual({
      released: true,
      rows: [
        { region: "EU", cohort_size: 5 },
        { region: "APAC", cohort_size: 12 },
      ],
      withheld_rows: 2,
      reasons: ["2 group(s) below the cohort threshold of 5 withheld"],
      disclosures: [],
    });
  });

  test("when every group is small the whole result is withheld", () => {
    const result = rows({ region: "EU", cohort_size: 2 }, { region: "US", cohort_size: 4 });
    expect(releaseResult(db, { authorized: true, result, lineage: [] }, reference)).toEqual({
      released: false,
      rows: [],
      withheld_rows: 2,
      reasons: ["2 group(s) below the cohort threshold of 5 withheld"],
      disclosures: [],
    });
  });

  test("an empty result is released (nothing to withhold)", () => {
    expect(releaseResult(db, { authorized: true, result: rows(), lineage: [] }, reference)).toEqual({
      released: true,
      rows: [],
      withheld_rows: 0,
      reasons: [],
      disclosures: [],
    });
  });

  test("rows without a numeric cohort_size are kept", () => {
    const result = rows({ value: 1 }, { value: 2, cohort_size: null }, { value: 3, cohort_size: "1" });
    const released = releaseResult(db, { authorized: true, result, lineage: [] }, reference);
    expect(released.rows).toHaveLength(3);
    expect(released.withheld_rows).toBe(0);
  });

  test("a domain without a cohort never withholds small groups", () => {
    const released = releaseResult(releaseDb(), { authorized: true, result: rows({ cohort_size: 1 }), lineage: [] }, reference);
    expect(released).toMatchObject({ released: true, rows: [{ cohort_size: 1 }], withheld_rows: 0 });
  });

  test("drift: enforceCohortThreshold=false releases small groups", () => {
    const knobs: ReleaseKnobs = { ...reference, enforceCohortThreshold: false };
    const result = rows({ region: "EU", cohort_size: 2 }, { region: "US", cohort_size: 9 });
    expect(releaseResult(db, { authorized: true, result, lineage: [] }, knobs)).toEqual({
      released: true,
      rows: [
        { region: "EU", cohort_size: 2 },
        { region: "US", cohort_size: 9 },
      ],
      withheld_rows: 0,
      reasons: [],
      disclosures: [],
    });
  });
});

describe("releaseResult: sampling disclosure", () => {
  const db = releaseDb({ sampled: { tickets: 0.1, invoices: 0.25 } });

  test("each sampled table in the lineage is disclosed with its rate, in lineage order", () => {
    const released = releaseResult(db, { authorized: true, result: rows({ value: 1 }), lineage: ["accounts", "tickets", "invoices"] }, reference);
    expect(released.disclosures).toEqual(["sampled: tickets holds a 10% sample", "sampled: invoices holds a 25% sample"]);
    expect(released.released).toBe(true);
  });

  test("no disclosure when no sampled table was read", () => {
    expect(releaseResult(db, { authorized: true, result: rows({ value: 1 }), lineage: ["accounts"] }, reference).disclosures).toEqual([]);
  });

  test("disclosures come with released rows alongside cohort withholding", () => {
    const both = releaseDb({ minSize: 3, sampled: { tickets: 0.1 } });
    const released = releaseResult(both, { authorized: true, result: rows({ cohort_size: 3 }, { cohort_size: 2 }), lineage: ["tickets"] }, reference);
    expect(released).toEqual({
      released: true,
      rows: [{ cohort_size: 3 }],
      withheld_rows: 1,
      reasons: ["1 group(s) below the cohort threshold of 3 withheld"],
      disclosures: ["sampled: tickets holds a 10% sample"],
    });
  });

  test("drift: discloseSampling=false drops the disclosure and nothing else", () => {
    const knobs: ReleaseKnobs = { ...reference, discloseSampling: false };
    const input = { authorized: true, result: rows({ value: 1 }), lineage: ["tickets"] };
    expect(releaseResult(db, input, knobs)).toEqual({ ...releaseResult(db, input, reference), disclosures: [] });
  });

  // Regression guard, the original bug: the rate is printed as `${rate * 100}%`, so binary floating point leaks into the text:
  //   sampled_tables: { tickets: 0.07 } -> "sampled: tickets holds a 7.000000000000001% sample"
  //   sampled_tables: { tickets: 0.29 } -> "sampled: tickets holds a 28.999999999999996% sample"
  // expected "... a 7% sample" and "... a 29% sample".
  test("the disclosed rate is a clean percentage", () => {
    const odd = releaseDb({ sampled: { tickets: 0.07, invoices: 0.29 } });
    const released = releaseResult(odd, { authorized: true, result: rows({ value: 1 }), lineage: ["tickets", "invoices"] }, reference);
    expect(released.disclosures).toEqual(["sampled: tickets holds a 7% sample", "sampled: invoices holds a 29% sample"]);
  });
});
