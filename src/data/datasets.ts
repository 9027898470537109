/**
 * The committed example dataset: datasets/customers.csv and datasets/customers-split.json.
 *
 * Paths resolve from this source file (not the working directory) so notebooks in other
 * folders find the same files. Regeneration is bit-for-bit identical: generation is seeded,
 * amounts are written with exactly two decimals and the JSON has a fixed layout.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../validation/errors";
import { customersToCsv, parseCustomersCsv } from "./csv";
import { DEFAULT_ROWS, DEFAULT_SEED, generateCustomers } from "./generateCustomers";
import type { LabelledCustomer } from "./schema";
import { checkSplit, splitTrainTest } from "./split";
import { writeFileSafely } from "../runtime/safeWrite";
import { PACKAGE_ROOT } from "../runtime/packageRoot";

export const DEFAULT_DATASET_DIR = path.resolve(PACKAGE_ROOT, "datasets");
export const CUSTOMERS_CSV = "customers.csv";
export const SPLIT_JSON = "customers-split.json";
export const DEFAULT_TEST_SIZE = 200;

export interface DatasetSplit {
  seed: number;
  train: number[];
  test: number[];
}

export interface CustomerDataset {
  customers: LabelledCustomer[];
  split: DatasetSplit;
}

export interface DatasetOptions {
  rows?: number;
  seed?: number;
  testSize?: number;
}

/** The exact text of both files, without touching the disk. */
export function customerDatasetFiles({
  rows = DEFAULT_ROWS,
  seed = DEFAULT_SEED,
  testSize = DEFAULT_TEST_SIZE,
}: DatasetOptions = {}): { csv: string; splitJson: string } {
  const customers = generateCustomers({ rows, seed });
  const { train, test } = splitTrainTest(
    customers.map((c) => c.buysNextMonth),
    { testSize, seed },
  );
  return { csv: customersToCsv(customers), splitJson: formatSplit({ seed, train, test }) };
}

/** Writes both files into `dir` and returns their paths (CSV first). */
export function writeCustomerDatasets(
  dir: string = DEFAULT_DATASET_DIR,
  options: DatasetOptions = {},
): string[] {
  const { csv, splitJson } = customerDatasetFiles(options);
  fs.mkdirSync(dir, { recursive: true });
  const csvPath = path.join(dir, CUSTOMERS_CSV);
  const splitPath = path.join(dir, SPLIT_JSON);
  // The course's own dataset folder is refreshed in place; each file is replaced atomically.
  writeFileSafely(csvPath, csv, { flag: "datasets", explicit: false });
  writeFileSafely(splitPath, splitJson, { flag: "datasets", explicit: false });
  return [csvPath, splitPath];
}

export function loadCustomerDataset(dir: string = DEFAULT_DATASET_DIR): CustomerDataset {
  const customers = parseCustomersCsv(fs.readFileSync(path.join(dir, CUSTOMERS_CSV), "utf8"));
  const split = parseSplit(fs.readFileSync(path.join(dir, SPLIT_JSON), "utf8"), customers.length);
  return { customers, split };
}

/** One index array per line keeps diffs readable and the bytes stable. */
function formatSplit(split: DatasetSplit): string {
  return (
    `{\n  "seed": ${split.seed},\n  "train": ${JSON.stringify(split.train)},\n` +
    `  "test": ${JSON.stringify(split.test)}\n}\n`
  );
}

/** The split file must hold an integer seed and a partition of the rows into train and test. */
export function parseSplit(text: string, rows: number): DatasetSplit {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(SPLIT_JSON, `JSON (${(error as Error).message})`, text.slice(0, 40));
  }
  const seed = (value as { seed?: unknown } | null)?.seed;
  if (!Number.isInteger(seed)) throw new InputError(`${SPLIT_JSON} seed`, "an integer", seed);
  return { seed: seed as number, ...checkSplit(value, rows, SPLIT_JSON) };
}
