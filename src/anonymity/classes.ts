/**
 * Equivalence classes: the groups of released rows that share every quasi-identifier value
 * (Samarati & Sweeney 1998). An attacker who knows a person's quasi-identifiers can narrow
 * them down to one class and no further; every privacy model and risk measure here is a
 * statement about these classes.
 */
import { InputError } from "../validation/errors";
import { columnValues, rowCount, type Cell, type Table } from "./table";

export interface EquivalenceClass {
  /** The shared quasi-identifier values, in `quasi` order. */
  key: Cell[];
  size: number;
  /** Row indices of the members, ascending. */
  rows: number[];
}

export interface EquivalenceClasses {
  quasi: string[];
  /** Class index of every row. */
  classOf: Int32Array;
  /** In order of first appearance. */
  classes: EquivalenceClass[];
}

export interface ClassesTrace {
  rows: number;
  quasi: string[];
  classes: number;
  smallest: number;
  largest: number;
  /** Classes of one row: people singled out by their quasi-identifiers alone. */
  uniques: number;
  rule: string;
}

/** Groups rows by their quasi-identifier values (compared as text, so 34 and "34" agree). */
export function equivalenceClasses(table: Table, quasi: readonly string[]): { output: EquivalenceClasses; trace: ClassesTrace } {
  const n = rowCount(table);
  if (!Array.isArray(quasi) || quasi.length === 0) throw new InputError("quasi", "at least one quasi-identifier column", quasi);
  quasi.forEach((q, j) => {
    if (quasi.indexOf(q) !== j) throw new InputError("quasi", "distinct column names", `"${q}" twice`);
  });
  const columns = quasi.map((q) => columnValues(table, q, "quasi"));
  const classOf = new Int32Array(n);
  const classes: EquivalenceClass[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    let key = "";
    for (const column of columns) key += String(column[i]) + "\u0001";
    let c = index.get(key);
    if (c === undefined) {
      c = classes.length;
      index.set(key, c);
      classes.push({ key: columns.map((column) => column[i]), size: 0, rows: [] });
    }
    classOf[i] = c;
    classes[c].size++;
    classes[c].rows.push(i);
  }
  let smallest = Infinity;
  let largest = 0;
  let uniques = 0;
  for (const c of classes) {
    smallest = Math.min(smallest, c.size);
    largest = Math.max(largest, c.size);
    if (c.size === 1) uniques++;
  }
  return {
    output: { quasi: [...quasi], classOf, classes },
    trace: {
      rows: n,
      quasi: [...quasi],
      classes: classes.length,
      smallest: n === 0 ? 0 : smallest,
      largest,
      uniques,
      rule: "rows with the same text in every quasi-identifier column form one class",
    },
  };
}

/** The class key as an object, for reports: { age: "[20, 29]", location: "city" }. */
export function keyRecord(quasi: readonly string[], key: readonly Cell[]): Record<string, Cell> {
  const record: Record<string, Cell> = {};
  quasi.forEach((q, j) => (record[q] = key[j]));
  return record;
}
