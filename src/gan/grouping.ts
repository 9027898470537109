/**
 * Grouping similar records: k-member clustering of mixed (numeric and categorical) rows, the
 * "group similar data points" step of the course's anonymity training process.
 *
 * Rows are placed in the shared encoded space of src/synthetic/encoding.ts (numeric columns
 * standardised, categories one-hot scaled by 1/√2, so one standard deviation and one change of
 * category cost the same distance) and grouped the MDAV way (Domingo-Ferrer & Torra 2005):
 * take the record farthest from the centroid of the rows still ungrouped and group it with its
 * k − 1 nearest, then the same for the record farthest from that one; repeat while at least 3k
 * rows remain. What is left (k to 3k − 1 rows) becomes one or two last groups, so every group
 * has k to 2k − 1 rows. Unlike src/anonymity/mdav.ts (numeric quasi-identifiers only) this
 * works on mixed columns, because the distances are taken in the encoded space.
 *
 * The release replaces each group's values on the grouped columns by the group's
 * representative — the mean of a numeric column (rounded when the column holds integers), the
 * most frequent value of a categorical one — so every group shares one combination of values
 * and the release is k-anonymous on the grouped columns.
 *
 * O(n²/k) distance computations: meant for tables of thousands of rows.
 */
import { MDAV_MAX_ROWS, mdavGroups } from "../anonymity/mdav";
import { columnValues, rowCount, type Cell, type Table } from "../anonymity/table";
import { encodeTable, fitEncoding, type ColumnEncoding } from "../synthetic/encoding";
import { InputError, requireNumber } from "../validation/errors";

export interface GroupSimilarOptions {
  /** The columns to group on (and to replace in the release), e.g. the quasi-identifiers. */
  columns: readonly string[];
  /** Smallest group size (k ≥ 2, at most the number of rows). */
  k: number;
  /** Columns to treat as categorical although every cell is a number (e.g. a 0/1 flag). */
  categorical?: readonly string[];
}

export interface GroupedRecords {
  /** Group id of every row (0-based, in the order the groups were formed). */
  groupOf: number[];
  /** Rows of every group. */
  sizes: number[];
  /** The rows of every group, ascending. */
  members: number[][];
  /** Every group's released values on the grouped columns. */
  representatives: Record<string, Cell>[];
  /** The input table with the grouped columns replaced by the group representatives. */
  released: Table;
}

export interface GroupedColumnReport {
  name: string;
  kind: "numeric" | "categorical";
  /** How the group's value was chosen. */
  representative: "mean" | "mean rounded to an integer" | "most frequent value (ties: first in sorted order)";
  /** Cells whose released value differs from the original. */
  cellsChanged: number;
  /** Share of the column's variance (in the encoded space) lost by the replacement. */
  varianceLost: number;
}

export interface GroupingTrace {
  algorithm: "k-member grouping (MDAV in the encoded space)";
  rows: number;
  k: number;
  groups: { count: number; smallest: number; mean: number; largest: number };
  /**
   * Σ‖x − x̂‖² over rows and Σ‖x − x̄‖² in the encoded space, x̂ the released row's encoding and
   * x̄ the column means: the share of the grouped columns' variance the release no longer shows.
   */
  varianceLost: { sse: number; sst: number; share: number };
  replaced: GroupedColumnReport[];
  /** Columns released as they are. */
  untouched: string[];
  definitions: Record<"distance" | "grouping" | "representative" | "varianceLost", string>;
  sources: string[];
  summary: string;
}

export function groupSimilarRecords(table: Table, options: GroupSimilarOptions): { output: GroupedRecords; trace: GroupingTrace } {
  const n = rowCount(table);
  if (options === null || typeof options !== "object") throw new InputError("options", "{ columns, k, categorical? }", options);
  const columns = requireColumns(table, options.columns);
  if (n < 2) throw new InputError("table", "at least 2 rows (a group needs k ≥ 2 members)", `${n} row(s)`);
  const k = requireNumber("k", options.k, { min: 2, max: n, integer: true });
  if (n > MDAV_MAX_ROWS) throw new InputError("table", `at most ${MDAV_MAX_ROWS} rows (the cost grows with n²/k)`, `${n} rows`);
  if (options.categorical !== undefined && !Array.isArray(options.categorical as unknown)) {
    throw new InputError("categorical", "a list of column names", options.categorical);
  }

  const encoding = fitEncoding(table, { columns, categorical: options.categorical });
  const D = encoding.width;
  const encoded = encodeTable(table, encoding);
  const z = new Float64Array(n * D);
  encoded.forEach((row, i) => z.set(row, i * D));
  const groups = mdavGroups(z, n, D, k);

  const groupOf = new Array<number>(n).fill(-1);
  const members = groups.map((rows) => [...rows].sort((a, b) => a - b));
  members.forEach((rows, g) => rows.forEach((row) => (groupOf[row] = g)));
  const representatives = members.map((rows) => {
    const record: Record<string, Cell> = {};
    for (const column of encoding.columns) record[column.name] = representative(column, table.data[column.name], rows);
    return record;
  });

  const data: Record<string, ArrayLike<Cell>> = { ...table.data };
  for (const name of columns) data[name] = groupOf.map((g) => representatives[g][name]);
  const released: Table = { columns: [...table.columns], data };

  // Loss is measured on what is actually released (rounded means, modes), not on centroids.
  const releasedEncoded = encodeTable(released, encoding);
  const replaced: GroupedColumnReport[] = encoding.columns.map((column) => {
    const width = column.kind === "numeric" ? 1 : column.categories.length;
    const { sse, sst } = blockLoss(encoded, releasedEncoded, column.offset, width);
    const original = table.data[column.name];
    let cellsChanged = 0;
    for (let i = 0; i < n; i++) if (original[i] !== data[column.name][i]) cellsChanged++;
    return {
      name: column.name,
      kind: column.kind,
      representative: column.kind === "categorical" ? "most frequent value (ties: first in sorted order)" : column.integer ? "mean rounded to an integer" : "mean",
      cellsChanged,
      varianceLost: sst > 0 ? sse / sst : 0,
    };
  });
  const total = blockLoss(encoded, releasedEncoded, 0, D);
  const share = total.sst > 0 ? total.sse / total.sst : 0;
  const sizes = members.map((rows) => rows.length);
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  return {
    output: { groupOf, sizes, members, representatives, released },
    trace: {
      algorithm: "k-member grouping (MDAV in the encoded space)",
      rows: n,
      k,
      groups: { count: sizes.length, smallest, mean: n / sizes.length, largest },
      varianceLost: { sse: total.sse, sst: total.sst, share },
      replaced,
      untouched: table.columns.filter((c) => !columns.includes(c)),
      definitions: {
        distance: "Euclidean distance in the encoded space: numeric columns standardised with the table's mean and std, categories one-hot scaled by 1/√2, so one std and one change of category both cost 1",
        grouping: "MDAV: while at least 3k rows are ungrouped, the row farthest from their centroid and its k − 1 nearest rows form a group, then the row farthest from that row and its k − 1 nearest; of the remaining k to 3k − 1 rows, k around the row farthest from their centroid form a group if at least 2k remain, and the rest form the last group",
        representative: "numeric columns: the group mean (rounded when every value of the column is an integer); categorical columns: the most frequent value in the group, ties broken by the encoding's sorted category order",
        varianceLost: "Σ over rows of the squared encoded distance between the original and the released values, divided by Σ of squared distances to the column means: 0 = nothing lost, 1 = as much as releasing the overall mean",
      },
      sources: [
        "MDAV: Domingo-Ferrer & Torra 2005, Ordinal, continuous and heterogeneous k-anonymity through microaggregation",
        "k-member clustering: Byun, Kamra, Bertino & Li 2007, Efficient k-anonymization using clustering techniques",
      ],
      summary: `${sizes.length} groups of ${smallest}–${largest} rows (k = ${k}) on ${columns.join(", ")}; ${(100 * share).toFixed(1)}% of their variance lost; ${replaced.reduce((s, c) => s + c.cellsChanged, 0)} cells replaced`,
    },
  };
}

function requireColumns(table: Table, columns: unknown): string[] {
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new InputError("columns", `a non-empty list of column names (of ${table.columns.join(", ")})`, columns);
  }
  columns.forEach((c, i) => {
    if (columns.indexOf(c) !== i) throw new InputError("columns", "distinct column names", `"${c}" twice`);
    columnValues(table, c as string, "columns");
  });
  return [...(columns as string[])];
}

function representative(column: ColumnEncoding, values: ArrayLike<Cell>, rows: readonly number[]): Cell {
  if (column.kind === "numeric") {
    let sum = 0;
    for (const row of rows) sum += values[row] as number;
    const mean = sum / rows.length;
    return column.integer ? Math.round(mean) : mean;
  }
  const counts = new Map<Cell, number>();
  for (const row of rows) counts.set(values[row], (counts.get(values[row]) ?? 0) + 1);
  // Categories are sorted in the encoding; the first of the most frequent wins.
  let best = column.categories[0];
  let bestCount = -1;
  for (const category of column.categories) {
    const count = counts.get(category) ?? 0;
    if (count > bestCount) {
      best = category;
      bestCount = count;
    }
  }
  return best;
}

function blockLoss(original: readonly Float32Array[], released: readonly Float32Array[], offset: number, width: number): { sse: number; sst: number } {
  const n = original.length;
  const mean = new Float64Array(width);
  for (const row of original) for (let d = 0; d < width; d++) mean[d] += row[offset + d] / n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < width; d++) {
      sse += (original[i][offset + d] - released[i][offset + d]) ** 2;
      sst += (original[i][offset + d] - mean[d]) ** 2;
    }
  }
  return { sse, sst };
}
