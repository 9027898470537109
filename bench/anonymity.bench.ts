/**
 * Speed of the anonymisation algorithms on generated tables of 10 000, 100 000 and 1 000 000
 * people with 4 quasi-identifiers (age, ZIP code, sex, town: syntheticPeopleTable), k = 10.
 * Timed: the whole call from a table to classes (encoding included; generating the table and
 * writing a CSV are not). Goal: Mondrian on 1 000 000 rows in under 10 s on a 2-core machine.
 */
import { fullDomainGeneralisation } from "../src/anonymity/fullDomain";
import { mondrian } from "../src/anonymity/mondrian";
import { SYNTHETIC_ROLES, syntheticHierarchies, syntheticPeopleTable } from "../src/anonymity/synthetic";
import type { BenchRow } from "./run";

const K = 10;
const SIZES = [10_000, 100_000, 1_000_000];

function timeRuns(run: () => void, runs: number): number {
  run(); // warm-up: let the JIT compile the hot loops
  const start = performance.now();
  for (let r = 0; r < runs; r++) run();
  return (performance.now() - start) / runs;
}

function memoryNote(): string {
  const peakMb = process.resourceUsage().maxRSS / 1024;
  return `peak RSS so far ${peakMb.toFixed(0)} MB`;
}

export async function benchAnonymity(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const quasi = SYNTHETIC_ROLES.quasi;
  const hierarchies = syntheticHierarchies();
  for (const n of SIZES) {
    const table = syntheticPeopleTable({ rows: n, seed: 2026 });
    const runs = n >= 1_000_000 ? 3 : n >= 100_000 ? 5 : 20;

    let classes = 0;
    const mondrianMs = timeRuns(() => {
      classes = mondrian(table, { quasi, k: K, hierarchies: { sex: hierarchies.sex, town: hierarchies.town } }).output.classes.length;
    }, runs);
    rows.push({
      name: `Mondrian, ${n.toLocaleString("en")} rows, 4 QIs, k = ${K}`,
      meanMs: mondrianMs,
      ...(n === 1_000_000 ? { goalMs: 10_000 } : {}),
      note: `${rowsPerSecond(n, mondrianMs)} rows/s, ${classes} classes, ${memoryNote()}`,
    });

    let evaluated = 0;
    let suppressed = 0;
    const fullDomainMs = timeRuns(() => {
      const result = fullDomainGeneralisation(table, { quasi, k: K, hierarchies, maxSuppression: 0.05 });
      evaluated = result.trace.lattice.evaluated;
      suppressed = result.output.suppressed;
    }, runs);
    rows.push({
      name: `full-domain search, ${n.toLocaleString("en")} rows, 4 QIs, k = ${K}, ≤ 5 % suppressed`,
      meanMs: fullDomainMs,
      note: `${rowsPerSecond(n, fullDomainMs)} rows/s, ${evaluated} of 180 lattice nodes evaluated, ${suppressed} rows suppressed, ${memoryNote()}`,
    });
  }
  return rows;
}

function rowsPerSecond(n: number, ms: number): string {
  return Math.round((n / ms) * 1000).toLocaleString("en");
}
