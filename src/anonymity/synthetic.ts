/**
 * A seeded synthetic table of (fictional) people with four quasi-identifiers — age, ZIP code,
 * sex, town (with the course's town → category → "*" hierarchy) — and two sensitive columns,
 * a diagnosis and an income. For benchmarks and property tests at any size; numeric columns
 * are typed arrays so a million rows stay small.
 */
import { createRng } from "../random/rng";
import { TOWNS } from "../data/schema";
import { requireNumber } from "../validation/errors";
import { intervalHierarchy, treeHierarchy, type Hierarchy } from "./hierarchy";
import type { DatasetRoles } from "./roles";
import type { Table } from "./table";

export const SYNTHETIC_DIAGNOSES = ["asthma", "bronchitis", "diabetes", "flu", "gastritis", "hypertension", "migraine", "none"] as const;

export const SYNTHETIC_ROLES: DatasetRoles = {
  direct: [],
  quasi: ["age", "zip", "sex", "town"],
  sensitive: ["diagnosis", "income"],
  insensitive: [],
};

/** Hierarchies for the full-domain search: age 5 → 10 → 20 → *, ZIP 10 → 100 → 1000 → 10000 → *, town → category → *. */
export function syntheticHierarchies(): Record<string, Hierarchy> {
  return {
    age: intervalHierarchy({ widths: [5, 10, 20], min: 0, max: 120 }),
    zip: intervalHierarchy({ widths: [10, 100, 1000, 10000], min: 10000, max: 99999 }),
    sex: treeHierarchy([
      ["female", "*"],
      ["male", "*"],
    ]),
    town: treeHierarchy(TOWNS.map((t) => [t.name, t.category, "*"])),
  };
}

export function syntheticPeopleTable({ rows, seed = 1 }: { rows: number; seed?: number }): Table {
  requireNumber("rows", rows, { min: 1, max: 10_000_000, integer: true });
  const rng = createRng(seed);
  const age = new Float64Array(rows);
  const zip = new Float64Array(rows);
  const income = new Float64Array(rows);
  const sex = new Array<string>(rows);
  const town = new Array<string>(rows);
  const diagnosis = new Array<string>(rows);
  // Towns by their customer weight; each town owns a block of ZIP codes, like a real postcode area.
  const cumulative: number[] = [];
  let total = 0;
  for (const t of TOWNS) cumulative.push((total += t.weight));
  for (let i = 0; i < rows; i++) {
    const a = Math.min(90, Math.max(18, Math.round(42 + 14 * rng.normal())));
    age[i] = a;
    const u = rng.uniform() * total;
    let t = 0;
    while (cumulative[t] < u) t++;
    town[i] = TOWNS[t].name;
    zip[i] = 10000 + t * 2400 + rng.int(2400);
    sex[i] = rng.uniform() < 0.5 ? "female" : "male";
    // Diagnosis depends a little on age, so classes differ and l-diversity has work to do.
    const d = rng.uniform() < a / 200 ? rng.int(3) + 5 : rng.int(SYNTHETIC_DIAGNOSES.length);
    diagnosis[i] = SYNTHETIC_DIAGNOSES[d];
    income[i] = Math.round(Math.exp(10 + 0.01 * (a - 18) + 0.5 * rng.normal()) / 100) * 100;
  }
  return {
    columns: ["age", "zip", "sex", "town", "diagnosis", "income"],
    data: { age, zip, sex, town, diagnosis, income },
  };
}
