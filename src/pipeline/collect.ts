/**
 * Stage 1 — data collection: the raw table, identifiers and all, with its train/test split.
 * By default the committed example dataset (datasets/customers.csv and its split file).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { customersToCsv, parseCustomersCsv } from "../data/csv";
import { DEFAULT_DATASET_DIR, CUSTOMERS_CSV, loadCustomerDataset } from "../data/datasets";
import { DEFAULT_SEED, generateCustomers } from "../data/generateCustomers";
import { OUTCOME_COLUMN, RAW_COLUMNS, type LabelledCustomer, type RawColumn } from "../data/schema";
import { checkSplit, splitTrainTest, type Split } from "../data/split";
import { InputError, requireNumber } from "../validation/errors";

export interface CollectOptions {
  /** Rows to use as given, or how many fresh rows to generate with `seed`. */
  rows?: number | readonly LabelledCustomer[];
  /** Read the rows from this CSV (with the outcome column) instead. */
  csvPath?: string;
  /** An explicit split, or how to draw one; default: the committed split, or a stratified 20 % test split. */
  split?: Split | { testSize?: number; seed?: number };
  /** Seed for generated rows and for a drawn split (default 2026). */
  seed?: number;
}

export interface ColumnInfo {
  name: RawColumn;
  type: string;
  example: string;
  /** A direct identifier: on its own it points at one person. */
  identifying: boolean;
  role: "direct identifier" | "quasi-identifier" | "attribute";
}

export interface CollectTrace {
  stage: "collect";
  source:
    | { kind: "committed"; path: string }
    | { kind: "csv"; path: string }
    | { kind: "generated"; rows: number; seed: number }
    | { kind: "given"; rows: number };
  shape: { rows: number; columns: number };
  columns: ColumnInfo[];
  outcome: { column: typeof OUTCOME_COLUMN; rate: number };
  outcomeRate: number;
  split: {
    source: "committed" | "given" | "stratified";
    seed?: number;
    train: number;
    test: number;
    trainOutcomeRate: number;
    testOutcomeRate: number;
  };
}

const COLUMN_INFO: Record<RawColumn, Omit<ColumnInfo, "name" | "example">> = {
  name: { type: "text (full name)", identifying: true, role: "direct identifier" },
  age: { type: "integer (years)", identifying: false, role: "quasi-identifier" },
  location: { type: "text (town)", identifying: false, role: "quasi-identifier" },
  purchase_history: {
    type: "list of purchases (date YYYY-MM-DD, amount in currency units)",
    identifying: false,
    role: "attribute",
  },
  email: { type: "text (email address)", identifying: true, role: "direct identifier" },
};

export function collect(options: CollectOptions = {}): {
  output: { customers: LabelledCustomer[]; split: Split };
  trace: CollectTrace;
} {
  const seed = requireNumber("seed", options.seed ?? DEFAULT_SEED, { min: 0, max: 2 ** 31 - 1, integer: true });
  if (options.rows !== undefined && options.csvPath !== undefined) {
    throw new InputError("csvPath", "absent when rows is given (one source at a time)", options.csvPath);
  }

  let customers: LabelledCustomer[];
  let source: CollectTrace["source"];
  let committedSplit: (Split & { seed: number }) | undefined;
  if (typeof options.rows === "number") {
    customers = generateCustomers({ rows: options.rows, seed });
    source = { kind: "generated", rows: options.rows, seed };
  } else if (options.rows !== undefined) {
    if (!Array.isArray(options.rows as unknown)) throw new InputError("rows", "a number or an array of customers", options.rows);
    customersToCsv(options.rows); // the CSV checks, so given rows meet the same rules as read ones
    customers = options.rows.map(copyCustomer);
    source = { kind: "given", rows: customers.length };
  } else if (options.csvPath !== undefined) {
    customers = parseCustomersCsv(fs.readFileSync(options.csvPath, "utf8"));
    source = { kind: "csv", path: options.csvPath };
  } else {
    const dataset = loadCustomerDataset();
    customers = dataset.customers;
    committedSplit = dataset.split;
    source = { kind: "committed", path: path.join(DEFAULT_DATASET_DIR, CUSTOMERS_CSV) };
  }

  const labels = customers.map((c) => c.buysNextMonth);
  const { split, splitSource, splitSeed } = chooseSplit(options.split, committedSplit, labels, seed);
  const rate = (indices: readonly number[]) => indices.reduce((s, i) => s + labels[i], 0) / indices.length;
  const outcomeRate = labels.reduce<number>((s, l) => s + l, 0) / labels.length;

  return {
    output: { customers, split },
    trace: {
      stage: "collect",
      source,
      shape: { rows: customers.length, columns: RAW_COLUMNS.length },
      columns: RAW_COLUMNS.map((name) => ({ name, ...COLUMN_INFO[name], example: example(customers[0], name) })),
      outcome: { column: OUTCOME_COLUMN, rate: outcomeRate },
      outcomeRate,
      split: {
        source: splitSource,
        ...(splitSeed === undefined ? {} : { seed: splitSeed }),
        train: split.train.length,
        test: split.test.length,
        trainOutcomeRate: rate(split.train),
        testOutcomeRate: rate(split.test),
      },
    },
  };
}

function chooseSplit(
  requested: CollectOptions["split"],
  committed: (Split & { seed: number }) | undefined,
  labels: number[],
  seed: number,
): { split: Split; splitSource: CollectTrace["split"]["source"]; splitSeed?: number } {
  if (requested !== undefined && ("train" in requested || "test" in requested)) {
    return { split: checkSplit(requested, labels.length), splitSource: "given" };
  }
  if (requested === undefined && committed) {
    return { split: { train: committed.train, test: committed.test }, splitSource: "committed", splitSeed: committed.seed };
  }
  // Written without relying on `in` narrowing, which tslab's non-strict compiler does not do.
  const drawing = requested as { testSize?: number; seed?: number } | undefined;
  const splitSeed = drawing?.seed ?? seed;
  const testSize = drawing?.testSize ?? Math.round(labels.length / 5);
  return { split: splitTrainTest(labels, { testSize, seed: splitSeed }), splitSource: "stratified", splitSeed };
}

function copyCustomer(c: LabelledCustomer): LabelledCustomer {
  return { ...c, purchaseHistory: c.purchaseHistory.map((p) => ({ ...p })) };
}

function example(row: LabelledCustomer | undefined, column: RawColumn): string {
  if (!row) return "";
  switch (column) {
    case "purchase_history": {
      const first = row.purchaseHistory[0];
      const more = row.purchaseHistory.length - 1;
      return `${first.date}:${first.amount.toFixed(2)}${more > 0 ? `;… (${more} more)` : ""}`;
    }
    case "age":
      return String(row.age);
    default:
      return row[column];
  }
}
