/**
 * Who is in which group: one key per row, so per-group metrics can be read off the same
 * arrays as the model's predictions. The course's two groupings are the ones a shop would be
 * asked about first — does the model serve every age band and every kind of place equally?
 */
import { numericRange } from "../anonymity/generalisedCell";
import { columnValues, rowCount, type Cell, type Table } from "../anonymity/table";
import {
  DEFAULT_AGE_BAND_EDGES,
  LOCATION_CATEGORIES,
  ageBandIndex,
  ageBandLabels,
  findTown,
  type LocationCategory,
} from "../data/schema";
import { InputError } from "../validation/errors";

/** Names of the two course groupings, as used in `groups` records and report rows. */
export const AGE_BAND_GROUPING = "ageBand" as const;
export const LOCATION_GROUPING = "locationCategory" as const;

/** "0–17", "18–24", …, "65+": the bands of the course's age-band feature. */
export const AGE_BAND_LABELS: readonly string[] = Object.freeze(ageBandLabels(DEFAULT_AGE_BAND_EDGES));

/** Turns one cell (and its row index, for error messages) into a group key. */
export type GroupKeyFn = (cell: Cell, row: number) => string;

export interface Group {
  key: string;
  /** Row indices, ascending. */
  rows: number[];
}

export interface GroupByTrace {
  column: string;
  rows: number;
  groups: { key: string; size: number }[];
  definition: string;
}

/**
 * The age band of an exact age, or of a generalised age ("[20, 24]") that lies inside one
 * band. An interval that straddles bands has no single band: that is an InputError, not a guess.
 */
export function ageBandKey(cell: Cell, row = 0): string {
  const range = numericRange(cell);
  const allowed = "an age (a number ≥ 0) or an interval inside one age band";
  if (range === null || range === "any" || !(range.low >= 0)) throw new InputError(`age[${row}]`, allowed, cell);
  const low = ageBandIndex(range.low);
  // [a, b) ends just before b; [a, b] includes b.
  const high = range.highInclusive || range.high === range.low ? ageBandIndex(range.high) : ageBandIndex(Math.max(range.low, range.high - 1e-9));
  if (low !== high) throw new InputError(`age[${row}]`, allowed, cell);
  return AGE_BAND_LABELS[low];
}

/** rural / town / city / metro: a town's settlement category, or the category cell itself. */
export function locationCategoryKey(cell: Cell, row = 0): LocationCategory {
  const text = String(cell);
  const category = findTown(text)?.category ?? LOCATION_CATEGORIES.find((c) => c === text);
  if (category === undefined) {
    throw new InputError(`location[${row}]`, `a town of the course's pool or one of ${LOCATION_CATEGORIES.join(", ")}`, cell);
  }
  return category;
}

/**
 * Group keys in a reading order: the course's age bands and location categories in their
 * natural order (youngest first, smallest place first), anything else sorted with numbers
 * compared as numbers ("2" before "10").
 */
export function orderGroupKeys(keys: Iterable<string>): string[] {
  const unique = [...new Set(keys)];
  for (const known of [AGE_BAND_LABELS, LOCATION_CATEGORIES as readonly string[]]) {
    if (unique.every((k) => known.includes(k))) return unique.sort((a, b) => known.indexOf(a) - known.indexOf(b));
  }
  return unique.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/**
 * The rows of `table` grouped by the key `keyFn` gives each cell of `column` (the cell's
 * text by default). Every row gets exactly one key, so the groups partition the table.
 */
export function groupBy(
  table: Table,
  column: string,
  keyFn: GroupKeyFn = (cell) => String(cell),
): { output: { keys: string[]; groups: Group[] }; trace: GroupByTrace } {
  const n = rowCount(table);
  const values = columnValues(table, column, "column");
  const keys: string[] = new Array(n);
  const rowsByKey = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = keyFn(values[i], i);
    if (typeof key !== "string") throw new InputError(`keyFn(${column}[${i}])`, "a string key", key);
    keys[i] = key;
    const rows = rowsByKey.get(key);
    if (rows) rows.push(i);
    else rowsByKey.set(key, [i]);
  }
  const groups = orderGroupKeys(rowsByKey.keys()).map((key) => ({ key, rows: rowsByKey.get(key) as number[] }));
  return {
    output: { keys, groups },
    trace: {
      column,
      rows: n,
      groups: groups.map((g) => ({ key: g.key, size: g.rows.length })),
      definition: `each row's group is the key of its "${column}" cell; every row is in exactly one group`,
    },
  };
}

/** One key per row for each course grouping (AGE_BAND_GROUPING, LOCATION_GROUPING). */
// A type alias, not an interface, so it is assignable to Record<string, readonly string[]>.
export type CustomerGroupKeys = {
  ageBand: string[];
  locationCategory: string[];
};

/**
 * The course's two groupings of a customer table (exact test rows, or a release whose ages
 * fall inside single bands): { ageBand: key per row, locationCategory: key per row } —
 * the `groups` argument of `metricsByGroup`.
 */
export function customerGroups(table: Table): {
  output: CustomerGroupKeys;
  trace: { rows: number; groupings: { name: string; column: string; sizes: Record<string, number>; definition: string }[] };
} {
  const age = groupBy(table, "age", ageBandKey);
  const location = groupBy(table, "location", locationCategoryKey);
  const sizes = (groups: Group[]) => Object.fromEntries(groups.map((g) => [g.key, g.rows.length]));
  return {
    output: { ageBand: age.output.keys, locationCategory: location.output.keys },
    trace: {
      rows: age.trace.rows,
      groupings: [
        {
          name: AGE_BAND_GROUPING,
          column: "age",
          sizes: sizes(age.output.groups),
          definition: `the course's age bands (${AGE_BAND_LABELS.join(", ")}), the same bands as the ageBand feature`,
        },
        {
          name: LOCATION_GROUPING,
          column: "location",
          sizes: sizes(location.output.groups),
          definition: `the settlement category of the customer's town (${LOCATION_CATEGORIES.join(", ")})`,
        },
      ],
    },
  };
}
