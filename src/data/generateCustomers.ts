/**
 * The course's example data: fictional customers of a shop, generated from a seed.
 *
 * Names and emails come from a private faker instance (so no global faker state is shared
 * with other code); numbers come from the course's seeded RNG. Whether a customer buys next
 * month is drawn from a KNOWN ground truth (GROUND_TRUTH), a logistic function of the same
 * engineered features the pipeline computes, so lessons can compare what a model learns
 * with the truth.
 */
import { Faker, en } from "@faker-js/faker";
import { createRng, type Rng } from "../random/rng";
import { requireNumber } from "../validation/errors";
import {
  HISTORY_DAYS,
  REFERENCE_DATE,
  TOWNS,
  dateFromDayNumber,
  dayNumber,
  type LabelledCustomer,
  type Purchase,
  type Town,
} from "./schema";
import { FEATURE_NAMES, rawFeatures } from "../pipeline/features";

/**
 * P(buysNextMonth = 1) = sigmoid(intercept + Σ weights[j] · (x[j] − centres[j]) / scales[j]),
 * with x the raw features of `rawFeatures` (FEATURE_NAMES order); then every label is flipped
 * with probability `labelNoise`. Centres and scales are fixed reference values (close to the
 * population mean and std), so the weights read like weights on standardised features.
 */
export const GROUND_TRUTH = Object.freeze({
  features: FEATURE_NAMES,
  centres: Object.freeze([0.85, 3.4, 2, 90, 3.3]),
  scales: Object.freeze([0.75, 0.6, 1, 100, 1.3]),
  weights: Object.freeze([2.5, 1.4, 1.5, -5.6, 0.7]),
  intercept: -0.3,
  labelNoise: 0.03,
});

export const DEFAULT_ROWS = 1000;
export const DEFAULT_SEED = 2026;
export const MAX_ROWS = 1_000_000;

export interface GenerateOptions {
  rows?: number;
  seed?: number;
}

export function generateCustomers({
  rows = DEFAULT_ROWS,
  seed = DEFAULT_SEED,
}: GenerateOptions = {}): LabelledCustomer[] {
  requireNumber("rows", rows, { min: 1, max: MAX_ROWS, integer: true });
  requireNumber("seed", seed, { min: 0, max: 2 ** 31 - 1, integer: true });

  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  // Separate streams: adding a draw to one concern never shifts another, and row k is the
  // same whatever the number of rows.
  const root = createRng(seed);
  const people = root.fork("people");
  const behaviour = root.fork("behaviour");
  const outcomes = root.fork("outcomes");
  const emails = new Set<string>();

  const customers: LabelledCustomer[] = [];
  for (let i = 0; i < rows; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    let email = faker.internet.email({ firstName, lastName }).toLowerCase();
    while (emails.has(email)) email = faker.internet.email({ firstName, lastName }).toLowerCase();
    emails.add(email);

    const age = drawAge(people);
    const town = drawTown(people);
    const purchaseHistory = drawHistory(behaviour, town);
    const row = { name: `${firstName} ${lastName}`, age, location: town.name, purchaseHistory, email };
    customers.push({ ...row, buysNextMonth: drawOutcome(outcomes, rawFeatures(row)) });
  }
  return customers;
}

/** The ground-truth probability of buying next month for one row's raw features. */
export function groundTruthProbability(raw: readonly number[]): number {
  let logit = GROUND_TRUTH.intercept;
  raw.forEach((x, j) => {
    logit += (GROUND_TRUTH.weights[j] * (x - GROUND_TRUTH.centres[j])) / GROUND_TRUTH.scales[j];
  });
  return 1 / (1 + Math.exp(-logit));
}

function drawOutcome(rng: Rng, raw: number[]): 0 | 1 {
  const bought = rng.uniform() < groundTruthProbability(raw);
  const flipped = rng.uniform() < GROUND_TRUTH.labelNoise;
  return bought !== flipped ? 1 : 0;
}

/** 18–85, most customers 25–55: a normal bulk around 40 plus a thin uniform spread. */
function drawAge(rng: Rng): number {
  if (rng.uniform() < 0.2) return 18 + rng.int(68);
  for (;;) {
    const age = Math.round(40 + 11 * rng.normal());
    if (age >= 18 && age <= 85) return age;
  }
}

const TOTAL_WEIGHT = TOWNS.reduce((sum, t) => sum + t.weight, 0);

function drawTown(rng: Rng): Town {
  let u = rng.uniform() * TOTAL_WEIGHT;
  for (const town of TOWNS) {
    u -= town.weight;
    if (u < 0) return town;
  }
  return TOWNS[TOWNS.length - 1];
}

const END_DAY = dayNumber(REFERENCE_DATE) as number;
const START_DAY = END_DAY - HISTORY_DAYS + 1;
const CATEGORY_ACTIVITY: Record<Town["category"], number> = {
  rural: 0.8,
  town: 0.9,
  city: 1,
  metro: 1.15,
};

/**
 * Some customers joined during the window, some stopped buying partway through (which is
 * what makes recency informative); while active they buy at a log-normal monthly rate, and
 * each basket is log-normal around the customer's own typical spend.
 */
function drawHistory(rng: Rng, town: Town): Purchase[] {
  const first = START_DAY + (rng.uniform() < 0.3 ? rng.int(HISTORY_DAYS - 30) : 0);
  const last = rng.uniform() < 0.4 ? first + rng.int(END_DAY - first + 1) : END_DAY;
  const perMonth = CATEGORY_ACTIVITY[town.category] * Math.exp(-0.1 + 0.6 * rng.normal());
  const activeMonths = (last - first + 1) / (HISTORY_DAYS / 12);
  const count = 1 + poisson(rng, perMonth * activeMonths);
  const typicalSpend = Math.log(28) + 0.6 * rng.normal();

  const days: number[] = [];
  for (let k = 0; k < count; k++) days.push(first + rng.int(last - first + 1));
  days.sort((a, b) => a - b);
  return days.map((day) => ({ date: dateFromDayNumber(day), amount: drawAmount(rng, typicalSpend) }));
}

function drawAmount(rng: Rng, logTypical: number): number {
  for (;;) {
    const cents = Math.round(100 * Math.exp(logTypical + 0.4 * rng.normal()));
    if (cents >= 1) return cents / 100;
  }
}

/** Knuth's method; the means here stay far below where it loses precision. */
function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}
