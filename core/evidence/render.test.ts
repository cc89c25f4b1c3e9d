import { describe, expect, test } from "bun:test";
import { csvField, latexEscape, renderTables } from "./render.ts";
import type { Table } from "./tables.ts";

const tables: Table[] = [
  { title: "Suite Results", columns: ["Suite", "Mutants"], rows: [["support_seeded", 50], ["a, b", 3]] },
  { title: "Evidence Provenance", columns: ["Evidence level", "Suites"], rows: [["deterministic_fixture", 2]] },
];

describe("markdown", () => {
  test("sections joined by a blank line, pipe tables, one final newline", () => {
    expect(renderTables(tables, "markdown")).toBe(
      [
        "## Suite Results",
        "",
        "| Suite | Mutants |",
        "| --- | --- |",
        "| support_seeded | 50 |",
        "| a, b | 3 |",
        "",
        "## Evidence Provenance",
        "",
        "| Evidence level | Suites |",
        "| --- | --- |",
        "| deterministic_fixture | 2 |",
        "",
      ].join("\n"),
    );
  });
  test("a pipe inside a cell is escaped", () => {
    expect(renderTables([{ title: "T", columns: ["x"], rows: [["a|b"]] }], "markdown")).toContain("| a\\|b |");
  });
});

describe("csv", () => {
  test("quotes fields with commas, quotes or line breaks, doubling quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(12)).toBe("12");
    expect(csvField("a, b")).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });
  test("a title line, header and rows per table, tables separated by a blank line", () => {
    expect(renderTables(tables, "csv")).toBe('Suite Results\nSuite,Mutants\nsupport_seeded,50\n"a, b",3\n\nEvidence Provenance\nEvidence level,Suites\ndeterministic_fixture,2\n');
  });
});

describe("latex", () => {
  test("escapes _, % and & and the other specials", () => {
    expect(latexEscape("a_b 50% R&D")).toBe("a\\_b 50\\% R\\&D");
    expect(latexEscape("\\{x}$#~^")).toBe("\\textbackslash{}\\{x\\}\\$\\#\\textasciitilde{}\\textasciicircum{}");
  });
  test("one tabular per table, numeric columns right-aligned", () => {
    const out = renderTables(tables, "latex");
    expect(out.match(/\\begin\{tabular\}/g)).toHaveLength(2);
    expect(out).toContain("\\begin{tabular}{lr}");
    expect(out).toContain("support\\_seeded & 50 \\\\");
    expect(out).toContain("Evidence level & Suites \\\\");
    expect(out.endsWith("\\end{tabular}\n")).toBe(true);
  });
});

describe("json", () => {
  test("keeps column order and number types, indented", () => {
    const parsed = JSON.parse(renderTables(tables, "json"));
    expect(parsed.tables[0]).toEqual({ title: "Suite Results", columns: ["Suite", "Mutants"], rows: [["support_seeded", 50], ["a, b", 3]] });
    expect(renderTables(tables, "json")).toStartWith('{\n  "tables": [');
  });
});

test("every format is deterministic", () => {
  for (const format of ["markdown", "csv", "json", "latex"] as const) expect(renderTables(tables, format)).toBe(renderTables(structuredClone(tables), format));
});
