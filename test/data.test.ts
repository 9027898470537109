import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { customersToCsv, parseCustomersCsv } from "../src/data/csv";
import {
  CUSTOMERS_CSV,
  DEFAULT_DATASET_DIR,
  SPLIT_JSON,
  customerDatasetFiles,
  loadCustomerDataset,
  parseSplit,
  writeCustomerDatasets,
} from "../src/data/datasets";
import { GROUND_TRUTH, generateCustomers } from "../src/data/generateCustomers";
import { HISTORY_DAYS, LOCATION_CATEGORIES, REFERENCE_DATE, TOWNS, dayNumber, findTown } from "../src/data/schema";
import { splitTrainTest } from "../src/data/split";
import { collect } from "../src/pipeline/collect";
import { anonymize } from "../src/pipeline/anonymize";
import { engineerFeatures } from "../src/pipeline/features";
import { InputError } from "../src/validation/errors";
import { expectInputError } from "./helpers/expectInputError";


/** Deterministic full-batch gradient-descent logistic regression (no randomness at all). */
function fitLogistic(x: number[][], y: number[], iterations = 2000, rate = 0.5): number[] {
  const d = x[0].length;
  const w = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d + 1).fill(0);
    x.forEach((row, i) => {
      let z = w[d];
      for (let j = 0; j < d; j++) z += w[j] * row[j];
      const error = 1 / (1 + Math.exp(-z)) - y[i];
      for (let j = 0; j < d; j++) grad[j] += error * row[j];
      grad[d] += error;
    });
    for (let j = 0; j <= d; j++) w[j] -= (rate * grad[j]) / x.length;
  }
  return w;
}

function accuracy(w: number[], x: number[][], y: number[]): number {
  const d = x[0].length;
  let correct = 0;
  x.forEach((row, i) => {
    let z = w[d];
    for (let j = 0; j < d; j++) z += w[j] * row[j];
    if ((z > 0 ? 1 : 0) === y[i]) correct++;
  });
  return correct / x.length;
}

const committed = loadCustomerDataset();

describe("generateCustomers", () => {
  it("is deterministic: same seed, same CSV text; another seed, another text", () => {
    const a = customersToCsv(generateCustomers({ rows: 200, seed: 11 }));
    const b = customersToCsv(generateCustomers({ rows: 200, seed: 11 }));
    const c = customersToCsv(generateCustomers({ rows: 200, seed: 12 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("keeps the first rows when more rows are asked for", () => {
    const few = generateCustomers({ rows: 20, seed: 5 });
    const many = generateCustomers({ rows: 100, seed: 5 });
    expect(many.slice(0, 20)).toEqual(few);
  });

  it("has realistic values", () => {
    const rows = committed.customers;
    expect(rows).toHaveLength(1000);
    const windowStart = (dayNumber(REFERENCE_DATE) as number) - HISTORY_DAYS + 1;
    for (const c of rows) {
      expect(Number.isInteger(c.age) && c.age >= 18 && c.age <= 85).toBe(true);
      expect(c.email).toMatch(/^[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/);
      expect(c.name).toMatch(/^\S+ \S+/);
      expect(findTown(c.location)).toBeDefined();
      expect(c.purchaseHistory.length).toBeGreaterThan(0);
      const days = c.purchaseHistory.map((p) => dayNumber(p.date) as number);
      expect(Math.min(...days)).toBeGreaterThanOrEqual(windowStart);
      expect(Math.max(...days)).toBeLessThanOrEqual(dayNumber(REFERENCE_DATE) as number);
      expect([...days].sort((x, y) => x - y)).toEqual(days);
      for (const p of c.purchaseHistory) {
        expect(p.amount).toBeGreaterThan(0);
        expect(Math.round(p.amount * 100) / 100).toBe(p.amount);
      }
    }
    // Ages skew toward 25–55.
    const middle = rows.filter((c) => c.age >= 25 && c.age <= 55).length / rows.length;
    expect(middle).toBeGreaterThan(0.65);
    // Emails are derived from the name (faker's first.last / first_last patterns).
    const derived = rows.filter((c) => {
      const first = c.name.split(" ")[0].toLowerCase().replace(/[^a-z]/g, "");
      return c.email.replace(/[^a-z@]/g, "").startsWith(first);
    }).length;
    expect(derived / rows.length).toBeGreaterThan(0.95);
    expect(new Set(rows.map((c) => c.email)).size).toBe(rows.length);
    // Class balance.
    const rate = rows.reduce((s, c) => s + c.buysNextMonth, 0) / rows.length;
    expect(rate).toBeGreaterThanOrEqual(0.35);
    expect(rate).toBeLessThanOrEqual(0.65);
    // Spend is skewed: the mean purchase is above the median purchase.
    const amounts = rows.flatMap((c) => c.purchaseHistory.map((p) => p.amount)).sort((x, y) => x - y);
    const mean = amounts.reduce((s, a) => s + a, 0) / amounts.length;
    expect(mean).toBeGreaterThan(amounts[Math.floor(amounts.length / 2)]);
  });

  it("uses a pool of 30–40 towns covering every location category", () => {
    expect(TOWNS.length).toBeGreaterThanOrEqual(30);
    expect(TOWNS.length).toBeLessThanOrEqual(40);
    expect(new Set(TOWNS.map((t) => t.name)).size).toBe(TOWNS.length);
    expect(new Set(TOWNS.map((t) => t.category))).toEqual(new Set(LOCATION_CATEGORIES));
    const used = new Set(committed.customers.map((c) => findTown(c.location)?.category));
    expect(used).toEqual(new Set(LOCATION_CATEGORIES));
  });

  it("exports the ground truth", () => {
    expect(GROUND_TRUTH.weights).toHaveLength(5);
    expect(GROUND_TRUTH.centres).toHaveLength(5);
    expect(GROUND_TRUTH.scales).toHaveLength(5);
    expect(GROUND_TRUTH.features).toEqual([
      "purchaseFrequency",
      "averageSpend",
      "locationCategory",
      "recencyDays",
      "ageBand",
    ]);
  });

  it("rejects bad options", () => {
    expectInputError(() => generateCustomers({ rows: 0 }), "rows");
    expectInputError(() => generateCustomers({ rows: 2.5 }), "rows");
    expectInputError(() => generateCustomers({ seed: -1 }), "seed");
  });
});

describe("the non-private baseline", () => {
  it("reaches 0.86–0.94 test accuracy on the committed split", () => {
    const { split } = committed;
    const anonymised = anonymize(committed.customers).output;
    const { matrix, labels } = engineerFeatures(anonymised, { trainIndices: split.train }).output;
    const w = fitLogistic(
      split.train.map((i) => matrix[i]),
      split.train.map((i) => labels[i]),
    );
    const acc = accuracy(
      w,
      split.test.map((i) => matrix[i]),
      split.test.map((i) => labels[i]),
    );
    expect(acc).toBeGreaterThanOrEqual(0.86);
    expect(acc).toBeLessThanOrEqual(0.94);
    // The fitted weights have the ground truth's signs.
    for (let j = 0; j < 5; j++) expect(Math.sign(w[j])).toBe(Math.sign(GROUND_TRUTH.weights[j]));
  });
});

describe("committed datasets", () => {
  it("equal a fresh regeneration byte for byte", () => {
    const fresh = customerDatasetFiles();
    expect(fs.readFileSync(path.join(DEFAULT_DATASET_DIR, CUSTOMERS_CSV), "utf8")).toBe(fresh.csv);
    expect(fs.readFileSync(path.join(DEFAULT_DATASET_DIR, SPLIT_JSON), "utf8")).toBe(fresh.splitJson);
  });

  it("hold 1000 rows and an 800/200 split", () => {
    expect(committed.customers).toHaveLength(1000);
    expect(committed.split.seed).toBe(2026);
    expect(committed.split.train).toHaveLength(800);
    expect(committed.split.test).toHaveLength(200);
  });

  it("write and load back the same data", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "customers-"));
    try {
      const written = writeCustomerDatasets(dir, { rows: 50, seed: 9, testSize: 10 });
      expect(written).toEqual([path.join(dir, CUSTOMERS_CSV), path.join(dir, SPLIT_JSON)]);
      const loaded = loadCustomerDataset(dir);
      expect(loaded.customers).toEqual(generateCustomers({ rows: 50, seed: 9 }));
      expect(loaded.split.test).toHaveLength(10);
      expect(loaded.split.seed).toBe(9);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reject a split file that is not a partition of the rows", () => {
    expectInputError(() => parseSplit("{", 3), SPLIT_JSON);
    expectInputError(() => parseSplit('{"train":[0],"test":[1,2]}', 3), "seed");
    expectInputError(() => parseSplit('{"seed":1,"train":[0,1],"test":[1,2]}', 3), "test[0]");
    expectInputError(() => parseSplit('{"seed":1,"train":[0],"test":[3]}', 3), "test[0]");
    expectInputError(() => parseSplit('{"seed":1,"train":[0],"test":[1]}', 3), SPLIT_JSON, /covering all 3/);
  });
});

describe("CSV", () => {
  const header = "name,age,location,purchase_history,email,buys_next_month";
  const good = "Ada Lovelace,36,Springfield,2026-03-14:23.50;2026-05-02:8.99,ada@example.com,1";

  it("round-trips rows exactly", () => {
    const rows = generateCustomers({ rows: 100, seed: 3 });
    const text = customersToCsv(rows);
    expect(text.split("\n")[0]).toBe(header);
    expect(parseCustomersCsv(text)).toEqual(rows);
  });

  it("writes amounts with two decimals and quotes fields that need it", () => {
    const text = customersToCsv([
      {
        name: 'Jo "JJ" Smith, Jr',
        age: 40,
        location: "Springfield",
        purchaseHistory: [{ date: "2026-01-02", amount: 5 }],
        email: "jo@example.com",
        buysNextMonth: 0,
      },
    ]);
    expect(text).toBe(`${header}\n"Jo ""JJ"" Smith, Jr",40,Springfield,2026-01-02:5.00,jo@example.com,0\n`);
    expect(parseCustomersCsv(text)[0].name).toBe('Jo "JJ" Smith, Jr');
  });

  it("parses a well-formed file", () => {
    const [row] = parseCustomersCsv(`${header}\n${good}\n`);
    expect(row).toEqual({
      name: "Ada Lovelace",
      age: 36,
      location: "Springfield",
      purchaseHistory: [
        { date: "2026-03-14", amount: 23.5 },
        { date: "2026-05-02", amount: 8.99 },
      ],
      email: "ada@example.com",
      buysNextMonth: 1,
    });
  });

  it("accepts a file without the outcome column for prediction, when asked", () => {
    const text = "name,age,location,purchase_history,email\nAda Lovelace,36,Springfield,2026-03-14:23.50,ada@example.com\n";
    const rows = parseCustomersCsv(text, { requireOutcome: false });
    expect(rows[0]).not.toHaveProperty("buysNextMonth");
    const error = expectInputError(() => parseCustomersCsv(text), "columns");
    expect(error.message).toContain("buys_next_month");
    // With the option the outcome column may still be there, and is still checked.
    expect(parseCustomersCsv(`${header}\n${good}`, { requireOutcome: false })[0]).toHaveProperty("buysNextMonth", 1);
  });

  const replace = (column: number, value: string) => {
    const cells = good.split(",");
    cells[column] = value;
    return `${header}\n${cells.join(",")}\n`;
  };

  it("names the missing columns and lists the expected ones", () => {
    const error = expectInputError(
      () => parseCustomersCsv("name,age,location,email,buys_next_month\nA B,3,X,a@b.co,1\n"),
      "columns",
    );
    expect(error.allowed).toContain("name, age, location, purchase_history, email, buys_next_month");
    expect(error.allowed).toContain("missing purchase_history");
    expectInputError(() => parseCustomersCsv(""), "columns");
    expectInputError(() => parseCustomersCsv(`${header},extra\n${good},1\n`), "columns", /unknown column/);
    expectInputError(() => parseCustomersCsv(`${header},age\n${good},1\n`), "columns", /repeated/);
  });

  it("rejects non-numeric and out-of-range ages, naming the row", () => {
    for (const age of ["abc", "", "-1", "121", "36.5", " 36"]) {
      const error = expectInputError(() => parseCustomersCsv(replace(1, age)), "age", /\[0, 120\]/);
      expect(error.field).toContain("row 1");
    }
    expect(parseCustomersCsv(replace(1, "0"))[0].age).toBe(0);
    expect(parseCustomersCsv(replace(1, "120"))[0].age).toBe(120);
  });

  it("rejects an empty purchase history and malformed entries", () => {
    expectInputError(() => parseCustomersCsv(replace(3, "")), "purchase_history (row 1)", /at least one purchase/);
    for (const entry of [
      "2026-03-14",
      "2026-03-14:",
      "2026-02-30:5.00",
      "14/03/2026:5.00",
      "2026-03-14:abc",
      "2026-03-14:5.123",
      "2026-03-14:0.00",
      "2026-03-14:-5.00",
      "2026-03-14:5.00;",
    ]) {
      expectInputError(() => parseCustomersCsv(replace(3, entry)), "purchase_history (row 1, entry", /YYYY-MM-DD/);
    }
    const second = expectInputError(() => parseCustomersCsv(replace(3, "2026-03-14:5.00;bad")), "entry 2");
    expect(second.got).toBe("bad");
  });

  it("rejects a bad outcome, name or email", () => {
    for (const outcome of ["2", "", "yes", "1.0"]) {
      expectInputError(() => parseCustomersCsv(replace(5, outcome)), "buys_next_month (row 1)", /0 or 1/);
    }
    expectInputError(() => parseCustomersCsv(replace(4, "not-an-email")), "email (row 1)");
    expectInputError(() => parseCustomersCsv(replace(0, "")), "name (row 1)");
  });

  it("reports malformed CSV from papaparse, and ragged rows, with the row", () => {
    expectInputError(() => parseCustomersCsv(`${header}\n"Ada,36,X,2026-03-14:1.00,a@b.co,1\n`), "csv", /papaparse/);
    expectInputError(() => parseCustomersCsv(`${header}\n${good}\nAda,36\n`), "csv (row 2)");
    expectInputError(() => parseCustomersCsv(42 as unknown as string), "csv");
  });

  it("names the row when a later row is bad", () => {
    const error = expectInputError(() => parseCustomersCsv(`${header}\n${good}\n${good.replace(",36,", ",x,")}\n`), "age");
    expect(error.field).toBe("age (row 2)");
  });

  it("refuses to write what it could not read back", () => {
    const row = committed.customers[0];
    expectInputError(
      () => customersToCsv([{ ...row, purchaseHistory: [{ date: "2026-01-01", amount: 1.234 }] }]),
      "amount",
      /whole cents/,
    );
    expectInputError(() => customersToCsv([{ ...row, age: 30.5 }]), "age (row 1)");
    expectInputError(() => customersToCsv([{ ...row, age: "30" as unknown as number }]), "age (row 1)");
    expectInputError(() => customersToCsv([{ ...row, name: 7 as unknown as string }]), "name (row 1)");
    expectInputError(() => customersToCsv([{ ...row, buysNextMonth: "1" as unknown as 1 }]), "buysNextMonth (row 1)");
    expectInputError(() => customersToCsv([{ ...row, purchaseHistory: [] }]), "purchase_history (row 1)");
    const { buysNextMonth: _drop, ...unlabelled } = row;
    expectInputError(() => customersToCsv([row, unlabelled]), "rows");
    expect(customersToCsv([unlabelled]).split("\n")[0]).toBe("name,age,location,purchase_history,email");
  });

  it("ignores a byte-order mark", () => {
    expect(parseCustomersCsv(`\uFEFF${header}\n${good}\n`)).toHaveLength(1);
  });
});

describe("splitTrainTest", () => {
  const labels = committed.customers.map((c) => c.buysNextMonth);

  it("is a seeded, stratified partition with sorted indices", () => {
    const split = splitTrainTest(labels, { testSize: 200, seed: 1 });
    expect(split.test).toHaveLength(200);
    expect(split.train).toHaveLength(800);
    expect([...split.train].sort((a, b) => a - b)).toEqual(split.train);
    expect([...split.test].sort((a, b) => a - b)).toEqual(split.test);
    expect(new Set([...split.train, ...split.test]).size).toBe(1000);
    const rate = (idx: number[]) => idx.reduce((s, i) => s + labels[i], 0) / idx.length;
    expect(Math.abs(rate(split.test) - rate(split.train))).toBeLessThan(0.01);
    expect(splitTrainTest(labels, { testSize: 200, seed: 1 })).toEqual(split);
    expect(splitTrainTest(labels, { testSize: 200, seed: 2 }).test).not.toEqual(split.test);
  });

  it("uses a test size of 200 by default and allows the extremes 1 and N − 1", () => {
    expect(splitTrainTest(labels, { seed: 3 }).test).toHaveLength(200);
    expect(splitTrainTest([0, 1, 1], { testSize: 1, seed: 3 }).train).toHaveLength(2);
    expect(splitTrainTest([0, 1, 1], { testSize: 2, seed: 3 }).train).toHaveLength(1);
  });

  it("rejects bad sizes and labels", () => {
    for (const testSize of [0, 1000, 1001, 1.5, NaN]) {
      expectInputError(() => splitTrainTest(labels, { testSize, seed: 1 }), "testSize", /\[1, 999\]/);
    }
    expectInputError(() => splitTrainTest([0, 2, 1], { testSize: 1, seed: 1 }), "labels[1]");
    expectInputError(() => splitTrainTest([1], { testSize: 1, seed: 1 }), "labels");
    expectInputError(() => splitTrainTest([0, 1], { testSize: 1, seed: undefined as unknown as number }), "seed");
  });
});

describe("collect (stage 1)", () => {
  it("defaults to the committed dataset and describes it", () => {
    const { output, trace } = collect();
    expect(output.customers).toEqual(committed.customers);
    expect(output.split).toEqual({ train: committed.split.train, test: committed.split.test });
    expect(trace.stage).toBe("collect");
    expect(trace.source.kind).toBe("committed");
    expect(trace.shape).toEqual({ rows: 1000, columns: 5 });
    expect(trace.columns.map((c) => c.name)).toEqual(["name", "age", "location", "purchase_history", "email"]);
    expect(trace.columns.filter((c) => c.identifying).map((c) => c.name)).toEqual(["name", "email"]);
    expect(trace.split).toMatchObject({ train: 800, test: 200, source: "committed", seed: 2026 });
    expect(trace.outcomeRate).toBeGreaterThan(0.35);
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("generates, takes given rows, or reads a CSV", () => {
    const generated = collect({ rows: 50, seed: 4 });
    expect(generated.output.customers).toEqual(generateCustomers({ rows: 50, seed: 4 }));
    expect(generated.trace.split).toMatchObject({ source: "stratified", train: 40, test: 10 });

    const rows = generateCustomers({ rows: 10, seed: 4 });
    const given = collect({ rows, split: { train: [0, 1, 2, 3, 4, 5, 6, 7], test: [8, 9] } });
    expect(given.output.customers).toEqual(rows);
    expect(given.output.customers[0]).not.toBe(rows[0]);
    expect(given.trace.split.source).toBe("given");

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collect-"));
    try {
      const file = path.join(dir, "c.csv");
      fs.writeFileSync(file, customersToCsv(rows));
      const read = collect({ csvPath: file, split: { testSize: 3, seed: 1 } });
      expect(read.output.customers).toEqual(rows);
      expect(read.output.split.test).toHaveLength(3);
      expect(read.trace.source).toEqual({ kind: "csv", path: file });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects conflicting or bad options", () => {
    expectInputError(() => collect({ rows: 10, csvPath: "x.csv" }), "csvPath");
    expectInputError(() => collect({ rows: 0 }), "rows");
    const rows = generateCustomers({ rows: 4, seed: 1 });
    expectInputError(() => collect({ rows, split: { train: [0, 1], test: [1, 2, 3] } }), "split.test[0]");
    expectInputError(() => collect({ rows: [{ ...rows[0], age: 200 }] }), "age (row 1)");
  });
});
