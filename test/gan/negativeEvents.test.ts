import { describe, expect, it } from "vitest";
import { CUSTOMER_ROLES, customerTable } from "../../src/anonymity/customers";
import { selectRows, type Cell, type Table } from "../../src/anonymity/table";
import { generateCustomers } from "../../src/data/generateCustomers";
import { groupSimilarRecords } from "../../src/gan/grouping";
import { countNegativeEventsInRelease, detectNegativeEvents, NEGATIVE_EVENT_KINDS, type NegativeEventReport } from "../../src/gan/negativeEvents";
import { createRng } from "../../src/random/rng";
import { fitEncoding } from "../../src/synthetic/encoding";
import { expectInputError } from "../helpers/expectInputError";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** Counts agree with the events and the penalty with the weights. */
function expectConsistent(report: NegativeEventReport) {
  let penalty = 0;
  for (const kind of NEGATIVE_EVENT_KINDS) {
    expect(report.counts[kind]).toBe(report.events.filter((e) => e.kind === kind).length);
    penalty += report.weights[kind] * report.counts[kind];
  }
  expect(report.penalty).toBeCloseTo(penalty, 12);
}

describe("near-copies against the holdout baseline", () => {
  // 2000 customers of one population: train, holdout and independent rows are disjoint draws.
  const people = customerTable(generateCustomers({ rows: 2000, seed: 2026 }));
  const train = selectRows(people, range(0, 800));
  const holdout = selectRows(people, range(800, 1400));
  const independent = selectRows(people, range(1400, 2000));
  const columns = people.columns.filter((c) => !CUSTOMER_ROLES.direct.includes(c));
  const encoding = fitEncoding(train, { columns, categorical: ["buysNextMonth"] });

  // 40 training rows copied with tiny noise on the behaviour features.
  const rng = createRng(4);
  const sources = range(0, 40).map((i) => 20 * i);
  const copies = selectRows(train, sources);
  const copyData = { ...copies.data } as Record<string, Cell[]>;
  copyData.purchaseFrequency = (copies.data.purchaseFrequency as number[]).map((v) => v + 1e-4 * rng.normal());
  copyData.averageSpend = (copies.data.averageSpend as number[]).map((v) => v * (1 + 1e-3 * rng.normal()));
  const synthetic: Table = {
    columns: people.columns,
    data: Object.fromEntries(people.columns.map((c) => [c, [...(copyData[c] as Cell[]), ...(independent.data[c] as Cell[])]])),
  };

  const { output, trace } = detectNegativeEvents({ synthetic, train, holdout, quasi: CUSTOMER_ROLES.quasi, k: 3, encoding });
  const nearCopies = output.events.filter((e) => e.kind === "near-copy");

  it("flags every planted near-copy, with the training row it copies", () => {
    for (let i = 0; i < sources.length; i++) {
      const event = nearCopies.find((e) => e.releasedRows[0] === i);
      expect(event, `planted copy ${i}`).toBeDefined();
      expect(event!.trainRows).toEqual([sources[i]]);
      expect(event!.distance!).toBeLessThan(output.threshold);
    }
  });

  it("flags few independent rows: about the 5 % the holdout quantile lets through", () => {
    // An independent row falls below the holdout's 5% quantile with probability ≈ 5%. Over 600
    // rows the count has sd √(600·0.05·0.95)/600 ≈ 0.9 points, and the quantile estimated from
    // 600 holdout rows moves that probability by about as much: 9% is 3 combined sd above 5%.
    const flagged = nearCopies.filter((e) => e.releasedRows[0] >= sources.length).length;
    expect(flagged / independent.data.age.length).toBeLessThan(0.09);
    expect(trace.nearCopy.threshold).toBe(output.threshold);
    expect(trace.nearCopy.quantile).toBe(0.05);
    expect(trace.nearCopy.columns).toEqual(columns);
  });

  it("keeps counts, penalty and trace consistent and plain", () => {
    expectConsistent(output);
    expect(trace.counts).toEqual(output.counts);
    expect(trace.penalty).toBe(output.penalty);
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
    // A higher quantile only raises the threshold, so it flags at least as many rows.
    const wider = detectNegativeEvents({ synthetic, train, holdout, quasi: CUSTOMER_ROLES.quasi, k: 3, encoding, nearCopyQuantile: 0.2 });
    expect(wider.output.threshold).toBeGreaterThanOrEqual(output.threshold);
    expect(wider.output.counts["near-copy"]).toBeGreaterThanOrEqual(output.counts["near-copy"]);
  });
});

describe("small groups and rare combinations", () => {
  // Ten common (age band, town) combinations; three combinations held by one training row each.
  const COMMON: Cell[][] = range(0, 10).map((i) => [`${20 + 10 * (i % 5)}s`, i < 5 ? "Ayr" : "Bath"]);
  const UNIQUE: Cell[][] = [["90s", "Cork"], ["90s", "Derry"], ["10s", "Ely"]];
  const NEW: Cell[] = ["80s", "Ayr"]; // not in the training data at all
  const k = 5;

  function table(keys: Cell[][], seed: number): Table {
    const rng = createRng(seed);
    return {
      columns: ["ageBand", "town", "score"],
      data: { ageBand: keys.map((x) => x[0]), town: keys.map((x) => x[1]), score: keys.map(() => rng.normal()) },
    };
  }
  const draw = (seed: number, rows: number) => {
    const rng = createRng(seed);
    return range(0, rows).map(() => COMMON[rng.int(COMMON.length)]);
  };
  const train = table([...draw(1, 200), ...UNIQUE], 11);
  const holdout = table(draw(2, 200), 12);
  // Every common combination k + 1 times; UNIQUE[0] reproduced k + 1 times (a rare combination
  // in a big enough group), UNIQUE[1] once (rare and small), NEW twice (small only).
  const syntheticKeys = [...COMMON.flatMap((key) => range(0, k + 1).map(() => key)), ...range(0, k + 1).map(() => UNIQUE[0]), UNIQUE[1], NEW, NEW];
  const synthetic = table(syntheticKeys, 13);
  const quasi = ["ageBand", "town"];
  const weights = { "near-copy": 2, "small-group": 0.5, "rare-combination": 3 };
  const { output } = detectNegativeEvents({ synthetic, train, holdout, quasi, k, weights });
  const rowsWith = (key: Cell[]) => syntheticKeys.map((x, i) => (x === key ? i : -1)).filter((i) => i >= 0);

  it("flags exactly the planted small groups", () => {
    const small = output.events.filter((e) => e.kind === "small-group");
    expect(small.map((e) => e.releasedRows).sort((a, b) => a[0] - b[0])).toEqual([rowsWith(UNIQUE[1]), rowsWith(NEW)]);
    expect(small.find((e) => e.releasedRows.length === 2)!.combination).toEqual({ ageBand: NEW[0], town: NEW[1] });
  });

  it("flags exactly the reproduced unique training combinations, with the person they single out", () => {
    const rare = output.events.filter((e) => e.kind === "rare-combination");
    expect(rare).toHaveLength(2);
    for (const [u, key] of UNIQUE.slice(0, 2).entries()) {
      const event = rare.find((e) => e.combination!.town === key[1])!;
      expect(event.trainRows).toEqual([200 + u]);
      expect(event.releasedRows).toEqual(rowsWith(key));
    }
  });

  it("sums the weighted penalty", () => {
    expect(output.weights).toEqual(weights);
    expectConsistent(output);
  });

  it("on a released table: grouping with k leaves no small group that the raw table had", () => {
    const people = customerTable(generateCustomers({ rows: 300, seed: 9 }));
    const quasi = [...CUSTOMER_ROLES.quasi];
    const raw = countNegativeEventsInRelease({ released: people, train: people, quasi, k });
    expect(raw.output.counts["small-group"]).toBeGreaterThan(0);
    // Every unique training combination is, trivially, in the raw release too.
    expect(raw.output.counts["rare-combination"]).toBe(raw.output.events.filter((e) => e.kind === "small-group" && e.releasedRows.length === 1).length);
    expect(raw.output.counts["near-copy"]).toBe(0);
    const grouped = groupSimilarRecords(people, { columns: quasi, k });
    const release = countNegativeEventsInRelease({ released: grouped.output.released, train: people, quasi, k });
    expect(release.output.counts["small-group"]).toBe(0);
    expect(release.output.penalty).toBeLessThan(raw.output.penalty);
    expectConsistent(raw.output);
    expectConsistent(release.output);
  });
});

describe("bad input", () => {
  const t: Table = { columns: ["a", "b"], data: { a: [1, 2, 3, 4], b: ["x", "y", "x", "y"] } };
  const base = { synthetic: t, train: t, holdout: t, quasi: ["b"], k: 2 };
  it("names the field and the allowed range", () => {
    expectInputError(() => detectNegativeEvents({ ...base, k: 1 }), "k", /\[2, 4\]/);
    expectInputError(() => detectNegativeEvents({ ...base, k: 5 }), "k", /\[2, 4\]/);
    expectInputError(() => detectNegativeEvents({ ...base, quasi: ["zip"] }), "quasi");
    expectInputError(() => detectNegativeEvents({ ...base, quasi: [] }), "quasi");
    expectInputError(() => detectNegativeEvents({ ...base, nearCopyQuantile: 1.5 }), "nearCopyQuantile", /\[0, 1\]/);
    expectInputError(() => detectNegativeEvents({ ...base, weights: { "small-group": -1 } }), "weights.small-group");
    expectInputError(() => detectNegativeEvents({ ...base, weights: { leak: 1 } as never }), "weights");
    expectInputError(() => detectNegativeEvents({ ...base, holdout: { columns: ["a"], data: { a: [1] } } }), "holdout.columns");
    expectInputError(() => detectNegativeEvents({ ...base, synthetic: { columns: ["a", "b"], data: { a: ["one", 2], b: ["x", "y"] } } }), "synthetic.a[0]");
    expectInputError(() => countNegativeEventsInRelease({ released: t, train: t, quasi: ["b"], k: 2.5 }), "k");
  });
});
