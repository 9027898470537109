/**
 * The plain-data table every anonymity function takes and returns: column names plus one
 * array per column (columnar, like Arrow or Observable Plot's channels), so a million-row
 * table is a handful of arrays, not a million objects. Cells are numbers or strings;
 * generalised cells are strings such as "[20, 29]", "[20, 30)", "city" or "*".
 */
import Papa from "papaparse";
import { InputError } from "../validation/errors";

export type Cell = string | number;

export interface Table {
  /** Column names, in order, unique. */
  columns: readonly string[];
  /** One array per column name, all the same length. Typed arrays are fine for numbers. */
  data: Readonly<Record<string, ArrayLike<Cell>>>;
}

export type ColumnKind = "numeric" | "categorical";

/** Rows of the table; throws when the columns disagree or a column is missing. */
export function rowCount(table: Table): number {
  if (table === null || typeof table !== "object" || !Array.isArray(table.columns)) {
    throw new InputError("table", "a table { columns: string[], data: { column: values[] } }", table);
  }
  if (table.columns.length === 0) throw new InputError("table.columns", "at least one column", table.columns);
  const seen = new Set<string>();
  let rows = -1;
  for (const column of table.columns) {
    if (seen.has(column)) throw new InputError("table.columns", "unique column names", `"${column}" twice`);
    seen.add(column);
    const values = table.data?.[column];
    if (values === undefined || typeof values.length !== "number") {
      throw new InputError(`table.data.${column}`, "an array of cells (one per row)", values);
    }
    if (rows >= 0 && values.length !== rows) {
      throw new InputError(`table.data.${column}`, `${rows} values (like ${table.columns[0]})`, `${values.length} values`);
    }
    rows = values.length;
  }
  return rows;
}

/** The values of one column; an unknown name is an InputError listing the columns there are. */
export function columnValues(table: Table, column: string, field = "column"): ArrayLike<Cell> {
  if (!table.columns.includes(column)) {
    throw new InputError(field, `one of the table's columns (${table.columns.join(", ")})`, column);
  }
  return table.data[column];
}

/** numeric when every cell is a finite number; categorical otherwise. */
export function columnKind(values: ArrayLike<Cell>): ColumnKind {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) return "categorical";
  }
  return "numeric";
}

/** A table from an array of plain objects (the keys of the first one are the columns). */
export function tableFromRecords(records: readonly Record<string, Cell>[], columns?: readonly string[]): Table {
  if (!Array.isArray(records as unknown)) throw new InputError("records", "an array of objects", records);
  const names = columns ?? (records.length > 0 ? Object.keys(records[0]) : []);
  const data: Record<string, Cell[]> = {};
  for (const name of names) data[name] = new Array<Cell>(records.length);
  records.forEach((record, i) => {
    for (const name of names) {
      const value = record[name];
      if (typeof value !== "string" && typeof value !== "number") {
        throw new InputError(`records[${i}].${name}`, "a string or a number", value);
      }
      data[name][i] = value;
    }
  });
  return { columns: [...names], data };
}

/** The rows as plain objects, e.g. for `views.recordsView`. */
export function tableToRecords(table: Table, { limit = Infinity } = {}): Record<string, Cell>[] {
  const n = Math.min(rowCount(table), limit);
  const records: Record<string, Cell>[] = [];
  for (let i = 0; i < n; i++) {
    const record: Record<string, Cell> = {};
    for (const column of table.columns) record[column] = table.data[column][i];
    records.push(record);
  }
  return records;
}

/** The given rows (in the given order) of every column. */
export function selectRows(table: Table, rows: ArrayLike<number>): Table {
  const n = rowCount(table);
  const data: Record<string, Cell[]> = {};
  for (const column of table.columns) {
    const source = table.data[column];
    const out = new Array<Cell>(rows.length);
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j];
      if (!(Number.isInteger(i) && i >= 0 && i < n)) throw new InputError(`rows[${j}]`, `a row index in [0, ${n - 1}]`, i);
      out[j] = source[i];
    }
    data[column] = out;
  }
  return { columns: [...table.columns], data };
}

/** The table without the given columns. */
export function dropColumns(table: Table, drop: readonly string[]): Table {
  for (const column of drop) columnValues(table, column, "drop");
  const columns = table.columns.filter((c) => !drop.includes(c));
  const data: Record<string, ArrayLike<Cell>> = {};
  for (const column of columns) data[column] = table.data[column];
  return { columns, data };
}

// ---------------------------------------------------------------------------------------
// CSV. Any CSV with a header row; a column is numeric when most of its cells are numbers.

/** A generalised numeric cell written by this library: "[a, b]", "[a, b)" or "*". */
export const INTERVAL_LABEL = /^\[\s*(-?[\d.eE+-]+)\s*,\s*(-?[\d.eE+-]+)\s*([\])])$/;

export interface CsvColumnReport {
  name: string;
  kind: ColumnKind;
  /** Cells that are numbers, generalised numeric labels, text and empty. */
  counts: { numbers: number; generalised: number; text: number; empty: number };
  /** The first cell that breaks the column's kind: text in a numeric column, or an empty cell. */
  firstProblem: { row: number; value: string; problem: "text in a numeric column" | "empty cell" } | null;
}

export interface CsvTrace {
  source: string;
  rows: number;
  columns: CsvColumnReport[];
  rule: string;
}

const CSV_RULE =
  "a column is numeric when more than half of its non-empty cells are numbers (or generalised numeric labels " +
  '"[a, b]", "[a, b)", "*"); its number cells become numbers, its other text cells are problems. A number is ' +
  'written in decimal ("12", "-0.5", "1e3"); a digit string with a leading zero ("02138", "007") is a code, ' +
  "read as text like the columns declared as codes, so it keeps its zero";

/** Decimal numbers only: no hex ("0x10"), no "Infinity", no leading zero that belongs to a code. */
const DECIMAL_NUMBER = /^[+-]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface CsvOptions {
  /** Columns read as text whatever they look like (ZIP codes, account numbers, other codes). */
  textColumns?: readonly string[];
}

/**
 * Parses CSV text with a header row (papaparse). Malformed CSV (an unclosed quote, a row with
 * more or fewer fields than the header, duplicate or empty column names, no data rows) is an
 * InputError naming the line. Cells are trimmed; numbers in numeric columns become numbers.
 * Problems inside a column (text in a numeric column, empty cells) are reported, not thrown:
 * whether they matter depends on the column's role (see `requireCleanColumns`).
 */
export function parseCsvTable(text: string, source = "CSV", options: CsvOptions = {}): { output: Table; trace: CsvTrace } {
  if (typeof text !== "string") throw new InputError(source, "CSV text", text);
  const textColumns = options.textColumns ?? [];
  const parsed = parseRows(text);
  const quoteError = parsed.errors.find((e) => e.type === "Quotes");
  if (quoteError) {
    throw new InputError(source, "well-formed CSV", `${quoteError.message} at data row ${(quoteError.row ?? 0) + 1}`);
  }
  const [header, ...body] = parsed.data;
  if (!header || header.length === 0) throw new InputError(source, "CSV with a header row", "an empty file");
  const columns = header.map((h) => h.trim());
  columns.forEach((name, j) => {
    if (name === "") throw new InputError(`${source} header`, "non-empty column names", `an empty name in column ${j + 1}`);
    if (columns.indexOf(name) !== j) throw new InputError(`${source} header`, "unique column names", `"${name}" twice`);
  });
  for (const column of textColumns) {
    if (!columns.includes(column)) throw new InputError("textColumns", `columns of ${source} (${columns.join(", ")})`, column);
  }
  if (body.length === 0) throw new InputError(source, "at least one data row after the header", "no data rows");
  body.forEach((row, i) => {
    if (row.length !== columns.length) {
      throw new InputError(`${source} line ${i + 2}`, `${columns.length} fields like the header`, `${row.length} fields`);
    }
  });

  const data: Record<string, Cell[]> = {};
  const reports: CsvColumnReport[] = columns.map((name, j) => {
    const raw = body.map((row) => row[j].trim());
    const counts = { numbers: 0, generalised: 0, text: 0, empty: 0 };
    const asText = textColumns.includes(name);
    const kinds = raw.map((cell) => {
      const kind = asText ? (cell === "" ? "empty" : "text") : cellKind(cell);
      counts[kind === "number" ? "numbers" : kind]++;
      return kind;
    });
    const nonEmpty = raw.length - counts.empty;
    const numeric = nonEmpty > 0 && counts.numbers > 0 && counts.numbers + counts.generalised > nonEmpty / 2;
    let firstProblem: CsvColumnReport["firstProblem"] = null;
    kinds.forEach((kind, i) => {
      if (firstProblem) return;
      if (kind === "empty") firstProblem = { row: i + 1, value: "", problem: "empty cell" };
      else if (numeric && kind === "text") firstProblem = { row: i + 1, value: raw[i], problem: "text in a numeric column" };
    });
    data[name] = numeric ? raw.map((cell, i) => (kinds[i] === "number" ? Number(cell) : cell)) : raw;
    return { name, kind: numeric ? "numeric" : "categorical", counts, firstProblem };
  });
  return { output: { columns, data }, trace: { source, rows: body.length, columns: reports, rule: CSV_RULE } };
}

function parseRows(text: string): Papa.ParseResult<string[]> {
  return Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { header: false, delimiter: ",", skipEmptyLines: "greedy" });
}

/**
 * The cells of a CSV exactly as written (trimmed), column by column: for passing columns
 * through unchanged (a ZIP code "02138" stays "02138", "1.50" stays "1.50"). Parse with
 * `parseCsvTable` first: this one does not check the file.
 */
export function csvTextColumns(text: string): Record<string, string[]> {
  const [header, ...body] = parseRows(text).data;
  const columns: Record<string, string[]> = {};
  header.forEach((name, j) => (columns[name.trim()] = body.map((row) => (row[j] ?? "").trim())));
  return columns;
}

function cellKind(cell: string): "number" | "generalised" | "text" | "empty" {
  if (cell === "") return "empty";
  if (DECIMAL_NUMBER.test(cell) && Number.isFinite(Number(cell))) return "number";
  if (cell === "*" || INTERVAL_LABEL.test(cell)) return "generalised";
  return "text";
}

/**
 * The columns that carry a role must be clean: no empty cells, and no text in a numeric
 * column (a typo such as "4O" in an age column would otherwise become its own category).
 */
export function requireCleanColumns(trace: CsvTrace, columns: readonly string[]): void {
  for (const column of columns) {
    const report = trace.columns.find((c) => c.name === column);
    if (!report) throw new InputError("column", `one of ${trace.columns.map((c) => c.name).join(", ")}`, column);
    const problem = report.firstProblem;
    if (!problem) continue;
    if (problem.problem === "empty cell") {
      throw new InputError(`${trace.source} column ${column}, data row ${problem.row}`, "a value (empty cells are not allowed in quasi-identifier or sensitive columns)", "an empty cell");
    }
    throw new InputError(
      `${trace.source} column ${column}, data row ${problem.row}`,
      `a number (the column is numeric: ${report.counts.numbers} of ${trace.rows} cells are numbers)`,
      problem.value,
    );
  }
}

/** CSV text with a header row, `\n` line endings; papaparse quotes cells that need it. */
export function tableToCsv(table: Table): string {
  const n = rowCount(table);
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) rows.push(table.columns.map((c) => String(table.data[c][i])));
  return Papa.unparse({ fields: [...table.columns], data: rows }, { newline: "\n" }) + "\n";
}
