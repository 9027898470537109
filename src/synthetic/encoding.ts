/**
 * Mixed tabular data as numbers, the way CTGAN-style generators and distance-based privacy
 * metrics need it: numeric columns standardised with the real data's mean and standard
 * deviation, categorical columns one-hot. One encoding is fitted on the real table and shared
 * by the generator, the discriminator and every metric, so they all see the same space.
 *
 * In this space a change of one standard deviation in a numeric column and a change of category
 * cost the same distance: one-hot blocks are scaled by 1/√2, because two different one-hot
 * vectors are √2 apart.
 */
import { InputError, requireNumber } from "../validation/errors";
import { columnKind, columnValues, rowCount, type Cell, type Table } from "../anonymity/table";

export interface NumericColumnEncoding {
  name: string;
  kind: "numeric";
  mean: number;
  /** Standard deviation of the real column (1 when the column is constant). */
  std: number;
  min: number;
  max: number;
  /** Every real value is an integer: decoded values are rounded. */
  integer: boolean;
  /** Position of the column in the encoded vector. */
  offset: number;
}

export interface CategoricalColumnEncoding {
  name: string;
  kind: "categorical";
  /** The categories seen in the real table, sorted; each gets one one-hot slot. */
  categories: Cell[];
  offset: number;
}

export type ColumnEncoding = NumericColumnEncoding | CategoricalColumnEncoding;

export interface TabularEncoding {
  columns: ColumnEncoding[];
  /** Length of an encoded row. */
  width: number;
  /**
   * Where the statistics come from: read from the rows ("data", fitEncoding), or declared from
   * public metadata ("declared", declareEncoding), which reads no row and so costs no privacy.
   */
  source?: "data" | "declared";
}

/** A column as public metadata describes it: a numeric range, or the list of categories. */
export type DeclaredColumn =
  | { name: string; kind: "numeric"; min: number; max: number; integer?: boolean }
  | { name: string; kind: "categorical"; categories: Cell[] };

/**
 * An encoding built from public metadata alone (no row is read): each numeric column is centred
 * on its declared range's midpoint and scaled by the standard deviation of a uniform on that
 * range ((max − min)/√12, 1 for a single value); each categorical column gets its declared
 * categories in the order given. Rows outside it are rejected by encodeTable, so the declaration
 * must cover the data; it must also truly be public for the guarantee to hold.
 */
export function declareEncoding(declared: readonly DeclaredColumn[]): TabularEncoding {
  if (!Array.isArray(declared as unknown) || declared.length === 0) throw new InputError("declared", "a non-empty list of columns { name, kind, … }", declared);
  const columns: ColumnEncoding[] = [];
  const names = new Set<string>();
  let offset = 0;
  declared.forEach((column, i) => {
    const field = `declared[${i}]`;
    if (column === null || typeof column !== "object" || typeof column.name !== "string" || column.name === "") throw new InputError(`${field}.name`, "a column name", column?.name);
    if (names.has(column.name)) throw new InputError(`${field}.name`, "a name no other declared column has", column.name);
    names.add(column.name);
    if (column.kind === "numeric") {
      const min = requireNumber(`${field}.min`, column.min);
      const max = requireNumber(`${field}.max`, column.max, { min });
      const integer = column.integer ?? false;
      if (typeof integer !== "boolean") throw new InputError(`${field}.integer`, "true or false", integer);
      columns.push({ name: column.name, kind: "numeric", mean: (min + max) / 2, std: max > min ? (max - min) / Math.sqrt(12) : 1, min, max, integer, offset });
      offset += 1;
    } else if (column.kind === "categorical") {
      const categories = column.categories;
      if (!Array.isArray(categories) || categories.length === 0 || new Set(categories).size !== categories.length) {
        throw new InputError(`${field}.categories`, "a non-empty list of distinct categories", categories);
      }
      columns.push({ name: column.name, kind: "categorical", categories: [...categories], offset });
      offset += categories.length;
    } else {
      throw new InputError(`${field}.kind`, '"numeric" or "categorical"', (column as { kind: unknown }).kind);
    }
  });
  return { columns, width: offset, source: "declared" };
}

export const ONE_HOT_SCALE = Math.SQRT1_2;

export interface FitEncodingOptions {
  /** Columns to encode, in order (default: all of the table's). */
  columns?: readonly string[];
  /** Columns to treat as categorical even though every cell is a number (e.g. a 0/1 outcome). */
  categorical?: readonly string[];
}

export function fitEncoding(table: Table, options: FitEncodingOptions = {}): TabularEncoding {
  const rows = rowCount(table);
  if (rows === 0) throw new InputError("table", "a table with at least one row", "0 rows");
  const names = options.columns ?? table.columns;
  for (const name of options.categorical ?? []) {
    if (!names.includes(name)) throw new InputError("categorical", `names among the encoded columns (${names.join(", ")})`, name);
  }
  const columns: ColumnEncoding[] = [];
  let offset = 0;
  for (const name of names) {
    const values = columnValues(table, name, "columns");
    if (columnKind(values) === "numeric" && !options.categorical?.includes(name)) {
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      let integer = true;
      for (let i = 0; i < rows; i++) {
        const v = values[i] as number;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
        if (!Number.isInteger(v)) integer = false;
      }
      const mean = sum / rows;
      let squares = 0;
      for (let i = 0; i < rows; i++) squares += ((values[i] as number) - mean) ** 2;
      const std = Math.sqrt(squares / rows) || 1;
      columns.push({ name, kind: "numeric", mean, std, min, max, integer, offset });
      offset += 1;
    } else {
      const seen = new Set<Cell>();
      for (let i = 0; i < rows; i++) seen.add(values[i]);
      const categories = [...seen].sort((a, b) => String(a).localeCompare(String(b), "en", { numeric: true }));
      columns.push({ name, kind: "categorical", categories, offset });
      offset += categories.length;
    }
  }
  return { columns, width: offset, source: "data" };
}

/** One encoded row per table row. A value the encoding has not seen is an InputError. */
export function encodeTable(table: Table, encoding: TabularEncoding): Float32Array[] {
  const rows = rowCount(table);
  const out = Array.from({ length: rows }, () => new Float32Array(encoding.width));
  for (const column of encoding.columns) {
    const values = columnValues(table, column.name, "encoding.columns");
    if (column.kind === "numeric") {
      for (let i = 0; i < rows; i++) {
        const v = values[i];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new InputError(`${column.name}[${i}]`, "a finite number (the column is numeric)", v);
        }
        out[i][column.offset] = (v - column.mean) / column.std;
      }
    } else {
      const slot = new Map(column.categories.map((c, k) => [c, k]));
      for (let i = 0; i < rows; i++) {
        const k = slot.get(values[i]);
        if (k === undefined) {
          throw new InputError(`${column.name}[${i}]`, `one of the categories seen in the real data (${column.categories.slice(0, 8).join(", ")}${column.categories.length > 8 ? ", …" : ""})`, values[i]);
        }
        out[i][column.offset + k] = ONE_HOT_SCALE;
      }
    }
  }
  return out;
}

/**
 * Rows of encoded numbers back to a table: numeric columns un-standardised (rounded when the
 * real column holds integers), categorical blocks to their largest slot. Values outside the
 * real range are kept as they are (a generator that extrapolates should show it).
 */
export function decodeRows(rows: ArrayLike<ArrayLike<number>>, encoding: TabularEncoding): Table {
  const data: Record<string, Cell[]> = {};
  for (const column of encoding.columns) data[column.name] = new Array<Cell>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.length !== encoding.width) throw new InputError(`rows[${i}]`, `${encoding.width} numbers (the encoding's width)`, `${row.length} numbers`);
    for (const column of encoding.columns) {
      if (column.kind === "numeric") {
        const v = row[column.offset] * column.std + column.mean;
        data[column.name][i] = column.integer ? Math.round(v) : v;
      } else {
        let best = 0;
        for (let k = 1; k < column.categories.length; k++) {
          if (row[column.offset + k] > row[column.offset + best]) best = k;
        }
        data[column.name][i] = column.categories[best];
      }
    }
  }
  return { columns: encoding.columns.map((c) => c.name), data };
}
