/**
 * DataFrames where a learner would reach for pandas: `toDataFrame(x)` turns the course's outputs
 * — records (the customer tables, per-epoch traces, sweep results, per-group metrics), a column
 * table, a feature matrix with its names — into a danfo.js DataFrame, with describe(), groupby(),
 * query… A DataFrame (and a Series) shows in the notebook as an HTML table with a text fallback.
 *
 * danfo is loaded on first use, not with the library: it takes a second or two to load and most
 * cells never need it.
 */
import type { DataFrame } from "danfojs-node";
import { isDisplayable, type MimeBundle } from "./mime";
import { htmlTable } from "./html/table";
import type { Cell } from "./text/textTable";
import type { Table } from "../anonymity/table";
import { InputError } from "../validation/errors";

export type { DataFrame } from "danfojs-node";

/** Rows shown in a DataFrame's HTML table (the text fallback is danfo's own, which shows 10). */
export const FRAME_HTML_ROWS = 20;

type Danfo = typeof import("danfojs-node");
let danfoModule: Danfo | undefined;

interface FrameLike {
  columns: string[];
  index: (string | number)[];
  values: unknown[];
  shape: number[];
  toString(): string;
}

function frameBundle(this: FrameLike): MimeBundle {
  const isSeries = this.shape.length === 1 || !Array.isArray(this.values[0]);
  const rows = this.values.map((row, r): Cell[] => [this.index[r] as Cell, ...(isSeries ? [row] : (row as unknown[])).map(cellOf)]);
  const headers = ["", ...(isSeries ? [String(this.columns?.[0] ?? "value")] : this.columns)];
  const shape = isSeries ? `${this.values.length} values` : `${this.values.length} rows × ${this.columns.length} columns`;
  return {
    "text/html": htmlTable(headers, rows, { caption: shape, maxRows: FRAME_HTML_ROWS }),
    "text/plain": `${this.toString()}\n${shape}`,
  };
}

/** danfo, loaded once; its DataFrame and Series then display as HTML tables in the kernel. */
export function danfo(): Danfo {
  if (danfoModule) return danfoModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  danfoModule = require("danfojs-node") as Danfo;
  // On their common base class (NDframe): frames danfo makes itself (groupby, describe) are of
  // its internal DataFrame class, not the one it exports.
  for (const type of [danfoModule.DataFrame, danfoModule.Series]) {
    let base: object = type.prototype;
    while (Object.getPrototypeOf(base) !== Object.prototype) base = Object.getPrototypeOf(base) as object;
    if (!isDisplayable(base)) Object.defineProperty(base, "toMimeBundle", { value: frameBundle, configurable: true });
  }
  return danfoModule;
}

/** A cell danfo can hold: scalars as they are; a list or object (a purchase history) as JSON text. */
function cellOf(value: unknown): Cell {
  if (typeof value === "number" || typeof value === "string") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === null || value === undefined) return "";
  return JSON.stringify(value);
}

export type FrameSource = readonly object[] | Table | { matrix: readonly (readonly number[])[]; names: readonly string[]; labels?: readonly number[] };

function isTable(source: unknown): source is Table {
  return typeof source === "object" && source !== null && Array.isArray((source as Table).columns) && typeof (source as Table).data === "object";
}

function isMatrix(source: unknown): source is { matrix: number[][]; names: string[]; labels?: number[] } {
  return typeof source === "object" && source !== null && Array.isArray((source as { matrix?: unknown }).matrix) && Array.isArray((source as { names?: unknown }).names);
}

/**
 * A DataFrame of `source`: an array of records (one row each, columns from the first record),
 * a column table (`customerTable()`, anonymised tables), or a feature matrix with its `names`
 * (`engineerFeatures().output`; its `labels`, if any, become the last column, "label").
 */
export function toDataFrame(source: FrameSource): DataFrame {
  const { DataFrame } = danfo();
  if (isMatrix(source)) {
    const { matrix, names, labels } = source;
    const columns: Record<string, number[]> = {};
    names.forEach((name, j) => (columns[name] = matrix.map((row) => row[j])));
    if (labels) columns.label = [...labels];
    return new DataFrame(columns);
  }
  if (isTable(source)) {
    const columns: Record<string, Cell[]> = {};
    for (const name of source.columns) columns[name] = Array.from(source.data[name] ?? [], cellOf);
    return new DataFrame(columns, { columns: [...source.columns] });
  }
  if (!Array.isArray(source) || source.length === 0 || typeof source[0] !== "object" || source[0] === null) {
    throw new InputError("source", "a non-empty array of records, a column table, or { matrix, names }", source);
  }
  const names = Object.keys(source[0]);
  const rows = (source as readonly Record<string, unknown>[]).map((record) => Object.fromEntries(names.map((name) => [name, cellOf(record[name])])));
  return new DataFrame(rows, { columns: names });
}
