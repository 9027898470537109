/**
 * Quasi-identifiers and sensitive columns as typed arrays: what the algorithms work on.
 * Numbers become a Float64Array; categories become depth-first leaf indices of their
 * hierarchy (so every hierarchy node is a contiguous range of codes); sensitive values become
 * codes into their sorted domain. Encoding once keeps the hot loops free of strings and objects.
 */
import { InputError } from "../validation/errors";
import {
  autoGrid,
  autoIntervalHierarchy,
  compileIntervals,
  compileTree,
  flatHierarchy,
  leafOf,
  requireCovered,
  type CompiledTree,
  type Hierarchy,
  type IntervalHierarchy,
  type NumericGrid,
} from "./hierarchy";
import { columnKind, columnValues, rowCount, type Cell, type Table } from "./table";

export type EncodedDimension =
  | {
      kind: "numeric";
      name: string;
      values: Float64Array;
      min: number;
      max: number;
      /** Given, or built automatically when `intervals: "auto"` is asked for (full-domain search). */
      intervals: IntervalHierarchy | null;
      /** The hierarchy's finest cells (given, or automatic); null when the given hierarchy goes straight to "*". */
      grid: NumericGrid | null;
      hierarchySource: "given" | "automatic" | "none";
    }
  | {
      kind: "categorical";
      name: string;
      leaves: Int32Array;
      tree: CompiledTree;
      hierarchySource: "given" | "automatic";
    };

export interface EncodedQuasi {
  n: number;
  dims: EncodedDimension[];
}

export function encodeQuasi(
  table: Table,
  quasi: readonly string[],
  hierarchies: Readonly<Record<string, Hierarchy>> = {},
  { intervals }: { intervals: "auto" | "given-only" } = { intervals: "given-only" },
): EncodedQuasi {
  const n = rowCount(table);
  if (!Array.isArray(quasi) || quasi.length === 0) throw new InputError("quasi", "at least one quasi-identifier column", quasi);
  for (const column of Object.keys(hierarchies ?? {})) {
    if (!quasi.includes(column)) {
      throw new InputError("hierarchies", `hierarchies for quasi-identifiers only (${quasi.join(", ")})`, column);
    }
  }
  const dims = quasi.map((name): EncodedDimension => {
    const values = columnValues(table, name, "quasi");
    const given = hierarchies?.[name];
    const numeric = columnKind(values) === "numeric";
    if (given?.kind === "tree" || (!given && !numeric)) {
      const tree = compileTree(given?.kind === "tree" ? given : flatHierarchy(values, `hierarchies.${name}`), `hierarchies.${name}`);
      const leaves = new Int32Array(n);
      for (let i = 0; i < n; i++) leaves[i] = leafOf(tree, values[i], `${name} (row ${i + 1})`);
      return { kind: "categorical", name, leaves, tree, hierarchySource: given ? "given" : "automatic" };
    }
    if (!numeric) {
      throw new InputError(`hierarchies.${name}`, "a tree hierarchy (the column holds text, not numbers)", "an interval hierarchy");
    }
    const data = Float64Array.from(values as ArrayLike<number>);
    let min = Infinity;
    let max = -Infinity;
    let integers = true;
    for (let i = 0; i < n; i++) {
      if (data[i] < min) min = data[i];
      if (data[i] > max) max = data[i];
      if (integers && !Number.isInteger(data[i])) integers = false;
    }
    let hierarchy: IntervalHierarchy | null = null;
    if (given?.kind === "intervals") {
      compileIntervals(given, `hierarchies.${name}`);
      for (let i = 0; i < n; i++) requireCovered(given, data[i], `${name} (row ${i + 1})`);
      hierarchy = given;
    } else if (intervals === "auto") {
      hierarchy = autoIntervalHierarchy(data, `hierarchies.${name}`);
    }
    return {
      kind: "numeric",
      name,
      values: data,
      min,
      max,
      intervals: hierarchy,
      grid:
        given?.kind === "intervals"
          ? given.widths.length > 0
            ? { origin: given.origin, width: given.widths[0] }
            : null
          : autoGrid(min, max, integers),
      hierarchySource: given ? "given" : hierarchy ? "automatic" : "none",
    };
  });
  return { n, dims };
}

export interface EncodedSensitive {
  name: string;
  numeric: boolean;
  /** Distinct values, sorted (numbers ascending: the order of the ordered-distance EMD). */
  domain: Cell[];
  codes: Int32Array;
  /** Count of each domain value over the whole table. */
  counts: Float64Array;
}

export function encodeSensitive(table: Table, column: string): EncodedSensitive {
  const values = columnValues(table, column, "sensitive");
  const numeric = columnKind(values) === "numeric";
  const distinct: Cell[] = [...new Set(Array.from(values, (v): Cell => (numeric ? v : String(v))))];
  const domain: Cell[] = numeric
    ? (distinct as number[]).sort((a, b) => a - b)
    : (distinct as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<Cell, number>();
  domain.forEach((v, i) => index.set(v, i));
  const codes = new Int32Array(values.length);
  const counts = new Float64Array(domain.length);
  for (let i = 0; i < values.length; i++) {
    const code = index.get(numeric ? values[i] : String(values[i])) as number;
    codes[i] = code;
    counts[code]++;
  }
  return { name: column, numeric, domain, codes, counts };
}
