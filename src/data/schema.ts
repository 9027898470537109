/**
 * The data dictionary of the course's example: one row per (fictional) customer of a shop.
 *
 * Besides the types and column names this holds the small reference tables that both the
 * generator and the feature stage need (dates, the place pool, age bands), so neither has to
 * import the other.
 */
import { Faker, en } from "@faker-js/faker";
import { createRng } from "../random/rng";

export interface Purchase {
  /** Calendar day of the purchase, YYYY-MM-DD. */
  date: string;
  /** Amount paid, in currency units (whole cents). */
  amount: number;
}

export interface Customer {
  name: string;
  age: number;
  location: string;
  purchaseHistory: Purchase[];
  email: string;
}

export interface LabelledCustomer extends Customer {
  /** 1 if the customer buys again in the month after REFERENCE_DATE. */
  buysNextMonth: 0 | 1;
}

/** The raw columns as they appear in the CSV, in order. */
export const RAW_COLUMNS = ["name", "age", "location", "purchase_history", "email"] as const;
export type RawColumn = (typeof RAW_COLUMNS)[number];
export const OUTCOME_COLUMN = "buys_next_month" as const;

/** The day the data was collected. Purchase histories cover the HISTORY_DAYS ending on it. */
export const REFERENCE_DATE = "2026-10-31";
/** The history window: the 365 days ending on (and including) the reference date. */
export const HISTORY_DAYS = 365;
/** Months in the window, the denominator of "purchases per month". */
export const HISTORY_MONTHS = 12;

// ---------------------------------------------------------------------------------------
// Dates. Calendar days are handled as whole UTC day numbers so no time zone can shift them.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a real calendar date written YYYY-MM-DD; undefined otherwise. */
export function dayNumber(date: string): number | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return undefined;
  }
  return ms / MS_PER_DAY;
}

export function dateFromDayNumber(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Places. A fixed pool of fictional towns, each with a settlement category. The pool has its
// own seed, independent of the customer seed, so every generated dataset (and every new
// row to predict) shares the same places and the same town → category mapping.

/** Ordered by settlement size; the index is the ordinal code used as a feature. */
export const LOCATION_CATEGORIES = ["rural", "town", "city", "metro"] as const;
export type LocationCategory = (typeof LOCATION_CATEGORIES)[number];

export interface Town {
  name: string;
  category: LocationCategory;
  /** Relative share of customers living there. */
  weight: number;
}

export const TOWN_POOL_SEED = 404;
/** How many towns of each category, and the customer share of one town of that category. */
const TOWN_PLAN: Record<LocationCategory, { count: number; weight: number }> = {
  metro: { count: 4, weight: 10 },
  city: { count: 8, weight: 4 },
  town: { count: 12, weight: 1.8 },
  rural: { count: 12, weight: 0.9 },
};

function buildTownPool(): readonly Town[] {
  const faker = new Faker({ locale: [en] });
  faker.seed(TOWN_POOL_SEED);
  const rng = createRng(TOWN_POOL_SEED);
  const names = new Set<string>();
  const total = LOCATION_CATEGORIES.reduce((sum, c) => sum + TOWN_PLAN[c].count, 0);
  while (names.size < total) names.add(faker.location.city());
  // Shuffle so category does not follow faker's draw order.
  const shuffled = [...names];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const towns: Town[] = [];
  let next = 0;
  for (const category of [...LOCATION_CATEGORIES].reverse()) {
    const { count, weight } = TOWN_PLAN[category];
    for (let k = 0; k < count; k++) towns.push({ name: shuffled[next++], category, weight });
  }
  return Object.freeze(towns.map((t) => Object.freeze(t)));
}

export const TOWNS: readonly Town[] = buildTownPool();
const TOWN_BY_NAME = new Map(TOWNS.map((t) => [t.name, t]));

/** The town record for a location, or undefined for a place outside the pool. */
export function findTown(location: string): Town | undefined {
  return TOWN_BY_NAME.get(location);
}

// ---------------------------------------------------------------------------------------
// Age bands. Edges are the first ages of every band after the first (which starts at 0).

export const DEFAULT_AGE_BAND_EDGES: readonly number[] = [18, 25, 35, 45, 55, 65];
export const MAX_AGE = 120;

/** Labels such as "0–17", "25–34", "65+" for the bands the edges define. */
export function ageBandLabels(edges: readonly number[] = DEFAULT_AGE_BAND_EDGES): string[] {
  const starts = [0, ...edges];
  return starts.map((start, i) =>
    i === starts.length - 1 ? `${start}+` : `${start}–${starts[i + 1] - 1}`,
  );
}

/** Index of the band an age falls in (0 = youngest). */
export function ageBandIndex(age: number, edges: readonly number[] = DEFAULT_AGE_BAND_EDGES): number {
  let band = 0;
  while (band < edges.length && age >= edges[band]) band++;
  return band;
}
