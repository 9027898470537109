/**
 * Negative events: the unwanted outcomes of a release, counted one by one so that an
 * anonymisation step (or an agent choosing its settings, see ./agent.ts) can be penalised for
 * each of them. Three kinds:
 *
 * - "near-copy": a synthetic row closer to its closest training row than almost every real
 *   person who was NOT trained on is (the holdout baseline of distance to closest record): it
 *   is, in effect, that training person's record;
 * - "small-group": a quasi-identifier combination shared by fewer than k released rows: an
 *   attacker who knows someone's quasi-identifiers narrows them down to fewer than k rows;
 * - "rare-combination": a quasi-identifier combination that singles out exactly one training
 *   person and that the release reproduces: the release confirms that such a person exists.
 *
 * The kinds overlap on purpose (a reproduced unique combination is often also a small group):
 * they are different harms, and each one is counted.
 */
import { columnValues, rowCount, type Cell, type Table } from "../anonymity/table";
import { nearestRecords, quantile } from "../synthetic/distance";
import { type TabularEncoding } from "../synthetic/encoding";
import { encodeForDistances } from "../synthetic/privacy";
import { InputError, requireNumber } from "../validation/errors";

export const NEGATIVE_EVENT_KINDS = ["near-copy", "small-group", "rare-combination"] as const;
export type NegativeEventKind = (typeof NEGATIVE_EVENT_KINDS)[number];

/**
 * Default weight of each kind in the penalty: 1 each, so the penalty is the plain number of
 * negative events (the seed's "count negative events"). Weigh kinds differently to express a
 * policy, e.g. a near-copy (a whole record disclosed) above a small group.
 */
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<NegativeEventKind, number>> = Object.freeze({
  "near-copy": 1,
  "small-group": 1,
  "rare-combination": 1,
});

export interface NegativeEvent {
  kind: NegativeEventKind;
  /** Rows of the released (synthetic or anonymised) table involved, ascending. */
  releasedRows: number[];
  /** Rows of the training table involved, ascending. */
  trainRows: number[];
  /** The quasi-identifier values (small-group, rare-combination), else null. */
  combination: Record<string, Cell> | null;
  /** Distance to the closest training row (near-copy), else null. */
  distance: number | null;
  sentence: string;
}

export interface NegativeEventReport {
  events: NegativeEvent[];
  counts: Record<NegativeEventKind, number>;
  weights: Record<NegativeEventKind, number>;
  /** Σ weight[kind] × counts[kind]. */
  penalty: number;
}

export interface ReleaseEventsOptions {
  /** The released table (anonymised, grouped or synthetic). */
  released: Table;
  /** The real rows the release was made from. */
  train: Table;
  /** Quasi-identifier columns, present in both tables. */
  quasi: readonly string[];
  /** Smallest acceptable group (2 ≤ k ≤ released rows). */
  k: number;
  /** Weight of each kind in the penalty (default DEFAULT_EVENT_WEIGHTS). */
  weights?: Partial<Record<NegativeEventKind, number>>;
}

export interface ReleaseEventsTrace {
  rows: { released: number; train: number };
  quasi: string[];
  k: number;
  counts: Record<NegativeEventKind, number>;
  weights: Record<NegativeEventKind, number>;
  penalty: number;
  definitions: Record<string, string>;
  sources: string[];
  summary: string;
}

/**
 * Small groups and reproduced rare combinations in a released table (e.g. the output of
 * groupSimilarRecords or anonymizeTable) against the training table. Combinations are
 * compared as text, like equivalenceClasses, so 34 and "34" agree.
 */
export function countNegativeEventsInRelease(options: ReleaseEventsOptions): { output: NegativeEventReport; trace: ReleaseEventsTrace } {
  if (options === null || typeof options !== "object") throw new InputError("options", "{ released, train, quasi, k, weights? }", options);
  return inspectRelease(options, "released");
}

/** countNegativeEventsInRelease, with the released table called `releasedName` in errors. */
function inspectRelease(options: ReleaseEventsOptions, releasedName: string): { output: NegativeEventReport; trace: ReleaseEventsTrace } {
  const released = requireRows(releasedName, options.released);
  const train = requireRows("train", options.train);
  const quasi = requireQuasi(options.quasi, [
    { name: releasedName, table: options.released },
    { name: "train", table: options.train },
  ]);
  const k = requireNumber("k", options.k, { min: 2, max: released, integer: true });
  const weights = requireWeights(options.weights);
  const events = [...smallGroups(options.released, quasi, k), ...rareCombinations(options.released, options.train, quasi)];
  const { counts, penalty } = tally(events, weights);
  return {
    output: { events, counts, weights, penalty },
    trace: {
      rows: { released, train },
      quasi,
      k,
      counts,
      weights,
      penalty,
      definitions: { "small-group": SMALL_GROUP, "rare-combination": RARE_COMBINATION, penalty: PENALTY },
      sources: [K_ANONYMITY_SOURCE, SINGLING_OUT_SOURCE],
      summary: summarise(counts, penalty),
    },
  };
}

export interface DetectNegativeEventsOptions {
  synthetic: Table;
  /** The real rows the generator was trained on. */
  train: Table;
  /** Real rows from the same population the generator never saw: the near-copy baseline. */
  holdout: Table;
  quasi: readonly string[];
  k: number;
  /** The space distances are measured in (default: fitEncoding(train) on all its columns). */
  encoding?: TabularEncoding;
  /** The quantile of holdout→train closest distances below which a synthetic row is a near-copy (default 0.05). */
  nearCopyQuantile?: number;
  weights?: Partial<Record<NegativeEventKind, number>>;
}

export interface DetectNegativeEventsTrace extends ReleaseEventsTrace {
  rows: { released: number; train: number; holdout: number };
  nearCopy: {
    quantile: number;
    /** The nearCopyQuantile-quantile of holdout→train closest distances. */
    threshold: number;
    columns: string[];
    /** Categories of the holdout or synthetic rows the encoding had not seen (each got a slot of its own). */
    unseenCategories: { column: string; table: "holdout" | "synthetic"; categories: Cell[] }[];
  };
}

export function detectNegativeEvents(options: DetectNegativeEventsOptions): { output: NegativeEventReport & { threshold: number }; trace: DetectNegativeEventsTrace } {
  if (options === null || typeof options !== "object") {
    throw new InputError("options", "{ synthetic, train, holdout, quasi, k, encoding?, nearCopyQuantile?, weights? }", options);
  }
  const { synthetic, train, holdout, encoding } = options;
  // Checks the tables and the encoding, and puts all three in one distance space.
  const encoded = encodeForDistances({ train, holdout, synthetic, encoding });
  const p = requireNumber("nearCopyQuantile", options.nearCopyQuantile ?? 0.05, { min: 0, max: 1 });
  // Checks quasi, k and weights before the distance work.
  const release = inspectRelease({ released: synthetic, train, quasi: options.quasi, k: options.k, weights: options.weights }, "synthetic");

  const toTrainFromHoldout = nearestRecords(encoded.holdout, encoded.train);
  const toTrainFromSynthetic = nearestRecords(encoded.synthetic, encoded.train);
  const threshold = quantile(toTrainFromHoldout.distances, p);
  const nearCopies: NegativeEvent[] = [];
  toTrainFromSynthetic.distances.forEach((distance, row) => {
    if (!(distance < threshold)) return;
    const source = toTrainFromSynthetic.indices[row];
    nearCopies.push({
      kind: "near-copy",
      releasedRows: [row],
      trainRows: [source],
      combination: null,
      distance,
      sentence: `synthetic row ${row} is ${distance.toFixed(4)} from training row ${source}, closer than ${(100 * (1 - p)).toFixed(0)}% of holdout rows come to any training row (${threshold.toFixed(4)})`,
    });
  });

  const events = [...nearCopies, ...release.output.events];
  const { counts, penalty } = tally(events, release.output.weights);
  return {
    output: { events, counts, weights: release.output.weights, penalty, threshold },
    trace: {
      ...release.trace,
      rows: { released: release.trace.rows.released, train: release.trace.rows.train, holdout: rowCount(holdout) },
      counts,
      penalty,
      nearCopy: { quantile: p, threshold, columns: encoded.trace.columns.map((c) => c.name), unseenCategories: encoded.trace.unseenCategories },
      definitions: {
        "near-copy": `a synthetic row strictly closer to its closest training row than the ${p}-quantile of the holdout rows' closest-training-row distances; distances are Euclidean in the encoded space (numeric columns standardised with the training mean and std, categories one-hot scaled by 1/√2)`,
        ...release.trace.definitions,
      },
      sources: [
        "distance to closest record: Park et al. 2018, Data synthesis based on generative adversarial networks (table-GAN)",
        "holdout baseline: Platzer & Reutterer 2021, Holdout-based empirical assessment of mixed-type synthetic data",
        ...release.trace.sources,
      ],
      summary: summarise(counts, penalty),
    },
  };
}

// ---------------------------------------------------------------------------------------

const SMALL_GROUP = "a quasi-identifier combination shared by at least one but fewer than k released rows (one event per combination)";
const RARE_COMBINATION = "a quasi-identifier combination held by exactly one training row and present in the release (one event per combination)";
const PENALTY = "Σ over kinds of weight[kind] × number of events of that kind";
const K_ANONYMITY_SOURCE = "k-anonymity: Samarati & Sweeney 1998; Sweeney 2002, k-anonymity: a model for protecting privacy";
const SINGLING_OUT_SOURCE = "singling out: Article 29 Working Party, Opinion 05/2014 on anonymisation techniques";

function requireRows(name: string, table: Table): number {
  let rows: number;
  try {
    rows = rowCount(table);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${name}.${error.field}`, error.allowed, error.got);
    throw error;
  }
  if (rows === 0) throw new InputError(name, "a table with at least one row", "0 rows");
  return rows;
}

function requireQuasi(quasi: unknown, tables: { name: string; table: Table }[]): string[] {
  if (!Array.isArray(quasi) || quasi.length === 0) throw new InputError("quasi", "a non-empty list of quasi-identifier columns", quasi);
  quasi.forEach((q, i) => {
    if (quasi.indexOf(q) !== i) throw new InputError("quasi", "distinct column names", `"${q}" twice`);
    for (const { name, table } of tables) columnValues(table, q as string, `quasi (${name})`);
  });
  return [...(quasi as string[])];
}

function requireWeights(weights: unknown): Record<NegativeEventKind, number> {
  const out = { ...DEFAULT_EVENT_WEIGHTS };
  if (weights === undefined) return out;
  if (weights === null || typeof weights !== "object") throw new InputError("weights", `an object with weights for ${NEGATIVE_EVENT_KINDS.join(", ")}`, weights);
  for (const [kind, weight] of Object.entries(weights)) {
    if (!(NEGATIVE_EVENT_KINDS as readonly string[]).includes(kind)) throw new InputError("weights", `keys among ${NEGATIVE_EVENT_KINDS.join(", ")}`, kind);
    out[kind as NegativeEventKind] = requireNumber(`weights.${kind}`, weight, { min: 0 });
  }
  return out;
}

interface Combination {
  key: Cell[];
  rows: number[];
}

/** Rows grouped by their quasi-identifier text, in order of first appearance. */
function combinations(table: Table, quasi: readonly string[]): Map<string, Combination> {
  const columns = quasi.map((q) => table.data[q]);
  const n = rowCount(table);
  const out = new Map<string, Combination>();
  for (let i = 0; i < n; i++) {
    let key = "";
    for (const column of columns) key += String(column[i]) + "\u0001";
    let c = out.get(key);
    if (!c) out.set(key, (c = { key: columns.map((column) => column[i]), rows: [] }));
    c.rows.push(i);
  }
  return out;
}

function record(quasi: readonly string[], key: readonly Cell[]): Record<string, Cell> {
  const r: Record<string, Cell> = {};
  quasi.forEach((q, j) => (r[q] = key[j]));
  return r;
}

function describeKey(quasi: readonly string[], key: readonly Cell[]): string {
  return quasi.map((q, j) => `${q} = ${key[j]}`).join(", ");
}

function smallGroups(released: Table, quasi: readonly string[], k: number): NegativeEvent[] {
  const events: NegativeEvent[] = [];
  for (const { key, rows } of combinations(released, quasi).values()) {
    if (rows.length >= k) continue;
    events.push({
      kind: "small-group",
      releasedRows: rows,
      trainRows: [],
      combination: record(quasi, key),
      distance: null,
      sentence: `only ${rows.length} released row${rows.length === 1 ? " has" : "s have"} ${describeKey(quasi, key)} (fewer than k = ${k})`,
    });
  }
  return events;
}

function rareCombinations(released: Table, train: Table, quasi: readonly string[]): NegativeEvent[] {
  const inRelease = combinations(released, quasi);
  const events: NegativeEvent[] = [];
  for (const [text, { key, rows }] of combinations(train, quasi)) {
    const reproduced = inRelease.get(text);
    if (rows.length !== 1 || !reproduced) continue;
    events.push({
      kind: "rare-combination",
      releasedRows: reproduced.rows,
      trainRows: rows,
      combination: record(quasi, key),
      distance: null,
      sentence: `${describeKey(quasi, key)} singles out training row ${rows[0]} and appears in ${reproduced.rows.length} released row${reproduced.rows.length === 1 ? "" : "s"}`,
    });
  }
  return events;
}

function tally(events: readonly NegativeEvent[], weights: Record<NegativeEventKind, number>): { counts: Record<NegativeEventKind, number>; penalty: number } {
  const counts: Record<NegativeEventKind, number> = { "near-copy": 0, "small-group": 0, "rare-combination": 0 };
  for (const e of events) counts[e.kind]++;
  let penalty = 0;
  for (const kind of NEGATIVE_EVENT_KINDS) penalty += weights[kind] * counts[kind];
  return { counts, penalty };
}

function summarise(counts: Record<NegativeEventKind, number>, penalty: number): string {
  return `${NEGATIVE_EVENT_KINDS.map((kind) => `${counts[kind]} ${kind}`).join(", ")}; penalty ${penalty}`;
}
