/**
 * The course's customer table as an anonymity problem: its roles, hierarchies, the sensitive
 * attribute, and a public register an attacker could link it with.
 *
 * Roles, and the attacker model they encode:
 * - direct identifiers: name, email (dropped before anything is released);
 * - quasi-identifiers: age and location — what a public register (an electoral roll, a
 *   social-media profile) says about a person;
 * - sensitive: spendBand, the customer's total spend over the year in five bands. How much
 *   someone spends is what a customer would not want a stranger to learn; it is derived from
 *   the purchase history and is not a model feature, so protecting it costs the model nothing;
 * - insensitive: the three behaviour features the model learns from (purchases per month,
 *   average basket, days since the last purchase) and the outcome. They are released as they
 *   are because the attacker is assumed NOT to know them. purchaseFrequency × averageSpend
 *   × 12 is the yearly spend, so an attacker who could link a person to one row would learn
 *   the band anyway: k-anonymity is what stops that link. If an attacker could know a
 *   behaviour feature (a leaked loyalty-card log), declare it a quasi-identifier.
 */
import { createRng } from "../random/rng";
import { generateCustomers } from "../data/generateCustomers";
import { MAX_AGE, TOWNS, type LabelledCustomer } from "../data/schema";
import { rawFeatures } from "../pipeline/features";
import { InputError, requireNumber } from "../validation/errors";
import { intervalHierarchy, treeHierarchy, type Hierarchy } from "./hierarchy";
import type { DatasetRoles } from "./roles";
import type { Cell, Table } from "./table";

export const CUSTOMER_ROLES: DatasetRoles = Object.freeze({
  direct: ["name", "email"],
  quasi: ["age", "location"],
  sensitive: ["spendBand"],
  insensitive: ["purchaseFrequency", "averageSpend", "recencyDays", "buysNextMonth"],
}) as DatasetRoles;

/** Lower edges of the spend bands after the first (currency units over the 365-day window). */
export const SPEND_BAND_EDGES: readonly number[] = [100, 250, 500, 1000];
export const SPEND_BANDS: readonly string[] = ["0–99", "100–249", "250–499", "500–999", "1000+"];

export function spendBand(totalSpend: number): string {
  let band = 0;
  while (band < SPEND_BAND_EDGES.length && totalSpend >= SPEND_BAND_EDGES[band]) band++;
  return SPEND_BANDS[band];
}

/**
 * age 5 → 10 → 20 years → "*" (on [0, MAX_AGE]); location town → settlement category → "*"
 * (the TOWNS table of src/data/schema.ts).
 */
export function customerHierarchies(): Record<string, Hierarchy> {
  return {
    age: intervalHierarchy({ widths: [5, 10, 20], origin: 0, min: 0, max: MAX_AGE }),
    location: treeHierarchy(TOWNS.map((t) => [t.name, t.category, "*"])),
  };
}

/** One row per customer: identifiers, quasi-identifiers, behaviour features, spend band, outcome. */
export function customerTable(customers: readonly LabelledCustomer[]): Table {
  if (!Array.isArray(customers as unknown) || customers.length === 0) {
    throw new InputError("customers", "a non-empty array of labelled customers", customers);
  }
  const columns = ["name", "email", "age", "location", "purchaseFrequency", "averageSpend", "recencyDays", "spendBand", "buysNextMonth"];
  const data: Record<string, Cell[]> = {};
  for (const c of columns) data[c] = [];
  customers.forEach((customer, i) => {
    // rawFeatures checks the row (known town, dates in the window, positive amounts).
    const [frequency, logAverage, , recency] = rawFeatures(customer);
    const total = customer.purchaseHistory.reduce((s, p) => s + p.amount, 0);
    if (customer.buysNextMonth !== 0 && customer.buysNextMonth !== 1) {
      throw new InputError(`customers[${i}].buysNextMonth`, "0 or 1", customer.buysNextMonth);
    }
    data.name.push(customer.name);
    data.email.push(customer.email);
    data.age.push(customer.age);
    data.location.push(customer.location);
    data.purchaseFrequency.push(round(frequency, 4));
    data.averageSpend.push(round(Math.exp(logAverage), 2));
    data.recencyDays.push(recency);
    data.spendBand.push(spendBand(total));
    data.buysNextMonth.push(customer.buysNextMonth);
  });
  return { columns, data };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface PublicRegisterOptions {
  /** Share of the customers listed in the register, in (0, 1]. Default 0.4. */
  share?: number;
  /** People in the register who are not customers (fictional, same towns). Default 200. */
  outsiders?: number;
  seed?: number;
}

export interface PublicRegister {
  /** name, age, location: what a public register says about each person. */
  table: Table;
  /** For scoring only (the attacker never sees it): the customer each register row is, or null. */
  customerIndex: Array<number | null>;
}

/**
 * A fictional public register (think electoral roll or a people-search site) listing name, age
 * and town for a random share of the customers plus people who are not customers — the
 * auxiliary data of a linkage attack (Sweeney 2002 linked a voter list with medical records).
 */
export function publicRegister(
  customers: readonly LabelledCustomer[],
  options: PublicRegisterOptions = {},
): { output: PublicRegister; trace: { customersListed: number; outsiders: number; seed: number; columns: string[] } } {
  const share = requireNumber("share", options.share ?? 0.4, { min: 0, max: 1, minExclusive: true });
  const outsiders = requireNumber("outsiders", options.outsiders ?? 200, { min: 0, max: 100_000, integer: true });
  const seed = requireNumber("seed", options.seed ?? 11, { min: 0, max: 2 ** 31 - 1, integer: true });
  const rng = createRng(seed);
  const listed = customers.map((_, i) => i).filter(() => rng.uniform() < share);
  const others = outsiders > 0 ? generateCustomers({ rows: outsiders, seed: seed + 7919 }) : [];
  const people: Array<{ name: string; age: number; location: string; customer: number | null }> = [
    ...listed.map((i) => ({ name: customers[i].name, age: customers[i].age, location: customers[i].location, customer: i })),
    ...others.map((p) => ({ name: p.name, age: p.age, location: p.location, customer: null })),
  ];
  const shuffle = rng.fork("shuffle");
  for (let i = people.length - 1; i > 0; i--) {
    const j = shuffle.int(i + 1);
    [people[i], people[j]] = [people[j], people[i]];
  }
  return {
    output: {
      table: {
        columns: ["name", "age", "location"],
        data: { name: people.map((p) => p.name), age: people.map((p) => p.age), location: people.map((p) => p.location) },
      },
      customerIndex: people.map((p) => p.customer),
    },
    trace: { customersListed: listed.length, outsiders: others.length, seed, columns: ["name", "age", "location"] },
  };
}
