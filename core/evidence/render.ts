import { prettyJson } from "../util/canonical-json.ts";
import type { Cell, Table } from "./tables.ts";

export const TABLE_FORMATS = ["markdown", "csv", "json", "latex"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

const text = (cell: Cell): string => String(cell);

/** Markdown pipes would split a cell, and a newline would end the row. */
function markdownCell(cell: Cell): string {
  return text(cell).replaceAll("|", "\\|").replaceAll(/\r?\n/g, " ");
}

/** `## Title`, a blank line, then `| a | b |` / `| --- | --- |` / rows. */
export function renderMarkdownTable(table: Table): string {
  const line = (cells: readonly Cell[]) => `| ${cells.map(markdownCell).join(" | ")} |`;
  return [`## ${table.title}`, "", line(table.columns), line(table.columns.map(() => "---")), ...table.rows.map(line)].join("\n");
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(cell: Cell): string {
  const value = text(cell);
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The table's title on a line of its own, then header and rows. */
export function renderCsvTable(table: Table): string {
  const line = (cells: readonly Cell[]) => cells.map(csvField).join(",");
  return [csvField(table.title), line(table.columns), ...table.rows.map(line)].join("\n");
}

const LATEX_SPECIALS: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "&": "\\&",
  "%": "\\%",
  $: "\\$",
  "#": "\\#",
  _: "\\_",
  "{": "\\{",
  "}": "\\}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
};

/** Escapes LaTeX's special characters (`_`, `%`, `&` and the rest) in one pass. */
export function latexEscape(value: string): string {
  return value.replaceAll(/[\\&%$#_{}~^]/g, (c) => LATEX_SPECIALS[c]!);
}

/** A commented title and one tabular; numeric columns right-aligned. */
export function renderLatexTable(table: Table): string {
  const align = table.columns.map((_, i) => (table.rows.length > 0 && table.rows.every((row) => typeof row[i] === "number") ? "r" : "l")).join("");
  const line = (cells: readonly Cell[]) => `${cells.map((cell) => latexEscape(text(cell))).join(" & ")} \\\\`;
  return [`% ${latexEscape(table.title)}`, `\\begin{tabular}{${align}}`, "\\hline", line(table.columns), "\\hline", ...table.rows.map(line), "\\hline", "\\end{tabular}"].join("\n");
}

/** Renders tables in one format; the same tables always give the same bytes, ending in one newline. */
export function renderTables(tables: readonly Table[], format: TableFormat): string {
  switch (format) {
    case "markdown":
      return `${tables.map(renderMarkdownTable).join("\n\n")}\n`;
    case "csv":
      return `${tables.map(renderCsvTable).join("\n\n")}\n`;
    case "latex":
      return `${tables.map(renderLatexTable).join("\n\n")}\n`;
    case "json":
      // Rows stay arrays: sorting keys must not reorder columns.
      return prettyJson({ tables: tables.map((t) => ({ title: t.title, columns: t.columns, rows: t.rows })) });
  }
}

export function isTableFormat(value: string): value is TableFormat {
  return (TABLE_FORMATS as readonly string[]).includes(value);
}
