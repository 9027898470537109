/**
 * Does synthetic data give away the people it was trained on? Two distance-based measures in
 * the shared encoded space (standardised numbers, scaled one-hot categories):
 *
 * - distance to closest record (DCR): how close each synthetic row comes to a training row,
 *   judged against a holdout of real rows the generator never saw. Real people from the same
 *   population are the honest baseline: a synthetic row closer to a training row than almost
 *   every holdout row is (a near-copy) is a warning, whatever its absolute distance.
 * - a membership-inference attack that only sees the synthetic data: a candidate whose closest
 *   synthetic row is near is guessed to be a training member (the full black-box attack of
 *   GAN-Leaks). If members and non-members are equally close, the release leaks no membership
 *   this attack can read.
 */
import { summariseRoc, tprAtFpr, type RocSummary } from "../attacks/roc";
import { createRng, type Rng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";
import type { Cell, Table } from "../anonymity/table";
import { nearestRecords, quantile } from "./distance";
import { encodeTable, fitEncoding, type ColumnEncoding, type TabularEncoding } from "./encoding";
import { requireComparableTables } from "./fidelity";
import { sampleIndices } from "../data/split";

export interface SyntheticPrivacyInput {
  /** The real rows the generator was trained on. */
  train: Table;
  /** Real rows from the same population the generator never saw. */
  holdout: Table;
  synthetic: Table;
  /** The space distances are measured in (default: fitEncoding(train) on all its columns). */
  encoding?: TabularEncoding;
}

export interface EncodingTrace {
  fittedOn: "train" | "given";
  columns: { name: string; kind: "numeric" | "categorical" }[];
  width: number;
  /**
   * Categories of the holdout or synthetic rows the encoding had not seen: each got a slot of
   * its own, so such a row is one unit away from every training row in that column.
   */
  unseenCategories: { column: string; table: "holdout" | "synthetic"; categories: Cell[] }[];
}

export interface EncodedTables {
  train: Float32Array[];
  holdout: Float32Array[];
  synthetic: Float32Array[];
  trace: EncodingTrace;
}

/**
 * Train, holdout and synthetic rows in one distance space: the given encoding (or one fitted on
 * train), with a slot of its own for each category of the holdout or synthetic rows it has not seen.
 */
export function encodeForDistances(input: SyntheticPrivacyInput): EncodedTables {
  if (input === null || typeof input !== "object") throw new InputError("options", "{ train, holdout, synthetic, encoding? }", input);
  const { train, holdout, synthetic, encoding } = input;
  if (encoding !== undefined && (encoding === null || !Array.isArray(encoding.columns) || encoding.columns.length === 0)) {
    throw new InputError("encoding", "a TabularEncoding from fitEncoding (at least one column)", encoding);
  }
  const tables = { train, holdout, synthetic };
  requireComparableTables(
    { name: "train", table: train },
    [{ name: "holdout", table: holdout }, { name: "synthetic", table: synthetic }],
    encoding?.columns.map((c) => c.name),
  );
  const base = encoding ?? fitEncoding(train);
  const unseen: EncodingTrace["unseenCategories"] = [];
  let offset = 0;
  const columns: ColumnEncoding[] = base.columns.map((column) => {
    if (column.kind === "numeric") {
      for (const [name, table] of Object.entries(tables)) {
        const values = table.data[column.name];
        for (let i = 0; i < values.length; i++) {
          if (typeof values[i] !== "number" || !Number.isFinite(values[i])) throw new InputError(`${name}.${column.name}[${i}]`, "a finite number (the column is numeric in the encoding)", values[i]);
        }
      }
      return { ...column, offset: offset++ };
    }
    // A category the encoding has not seen gets a slot of its own rather than an error: a
    // synthetic row with an invented category is simply far from every training row there.
    const categories = [...column.categories];
    const known = new Set<Cell>(categories);
    for (const name of ["train", "holdout", "synthetic"] as const) {
      const values = tables[name].data[column.name];
      const extra = new Set<Cell>();
      for (let i = 0; i < values.length; i++) if (!known.has(values[i])) extra.add(values[i]);
      if (extra.size === 0) continue;
      if (name === "train") {
        // Only a given encoding can miss a training category.
        throw new InputError(`train.${column.name}`, `categories of the given encoding (${column.categories.slice(0, 8).join(", ")})`, [...extra][0]);
      }
      unseen.push({ column: column.name, table: name, categories: [...extra] });
      for (const c of extra) {
        known.add(c);
        categories.push(c);
      }
    }
    const shifted = { ...column, categories, offset };
    offset += categories.length;
    return shifted;
  });
  const space: TabularEncoding = { columns, width: offset };
  return {
    train: encodeTable(train, space),
    holdout: encodeTable(holdout, space),
    synthetic: encodeTable(synthetic, space),
    trace: {
      fittedOn: encoding ? "given" : "train",
      columns: columns.map((c) => ({ name: c.name, kind: c.kind })),
      width: space.width,
      unseenCategories: unseen,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Distance to closest record.

export interface DcrOptions extends SyntheticPrivacyInput {
  /** How many of the closest synthetic–training pairs to list (default 5). */
  closestPairs?: number;
}

export interface CountAndShare {
  count: number;
  share: number;
}

export interface ClosestPair {
  /** Row of the synthetic table. */
  synthetic: number;
  /** Row of the training table it is closest to. */
  train: number;
  distance: number;
}

export interface DcrReport {
  /** 5th and 50th percentiles of the synthetic rows' distances to their closest training row. */
  synthetic: { p5: number; p50: number };
  /** The same for holdout rows: what real people who were not trained on look like. */
  holdout: { p5: number; p50: number };
  /** The holdout's 5th percentile: closer than this is closer than 95 % of unseen real people. */
  threshold: number;
  /** Synthetic rows strictly closer to a training row than the threshold (≈ 5 % if the generator does not copy). */
  closeRows: CountAndShare;
  /** Synthetic rows at distance 0 from a training row (on every encoded column). */
  exactCopies: CountAndShare;
  /** Holdout rows at distance 0 from a training row: how often real people coincide anyway. */
  holdoutExactCopies: CountAndShare;
  /** The closest synthetic–training pairs, closest first. */
  closestPairs: ClosestPair[];
  /** Every synthetic row's DCR and every holdout row's, in row order (for a histogram). */
  syntheticDistances: number[];
  holdoutDistances: number[];
}

export interface DcrTrace {
  rows: { train: number; holdout: number; synthetic: number };
  encoding: EncodingTrace;
  definitions: Record<"dcr" | "baseline" | "closeRows" | "exactCopies", string>;
  sources: string[];
  summary: string;
}

export function distanceToClosestRecord(options: DcrOptions): { output: DcrReport; trace: DcrTrace } {
  const encoded = encodeForDistances(options);
  const listed = requireNumber("closestPairs", options.closestPairs ?? 5, { min: 0, max: 1000, integer: true });
  const toSynthetic = nearestRecords(encoded.synthetic, encoded.train);
  const toHoldout = nearestRecords(encoded.holdout, encoded.train);
  const synthetic = Array.from(toSynthetic.distances);
  const holdout = Array.from(toHoldout.distances);
  const threshold = quantile(holdout, 0.05);
  const share = (count: number, of: number): CountAndShare => ({ count, share: count / of });
  const order = synthetic.map((_, i) => i).sort((a, b) => synthetic[a] - synthetic[b] || a - b);
  const output: DcrReport = {
    synthetic: { p5: quantile(synthetic, 0.05), p50: quantile(synthetic, 0.5) },
    holdout: { p5: threshold, p50: quantile(holdout, 0.5) },
    threshold,
    closeRows: share(synthetic.filter((d) => d < threshold).length, synthetic.length),
    exactCopies: share(synthetic.filter((d) => d === 0).length, synthetic.length),
    holdoutExactCopies: share(holdout.filter((d) => d === 0).length, holdout.length),
    closestPairs: order.slice(0, listed).map((i) => ({ synthetic: i, train: toSynthetic.indices[i], distance: synthetic[i] })),
    syntheticDistances: synthetic,
    holdoutDistances: holdout,
  };
  const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
  return {
    output,
    trace: {
      rows: { train: encoded.train.length, holdout: encoded.holdout.length, synthetic: encoded.synthetic.length },
      encoding: encoded.trace,
      definitions: {
        dcr: "distance to closest record: Euclidean distance from a row to its nearest training row in the encoded space (numeric columns standardised with the training mean and std, categories one-hot scaled by 1/√2, so one std and one change of category both cost 1)",
        baseline: "the same distance for holdout rows, real people the generator never saw; its 5th percentile is the threshold",
        closeRows: "synthetic rows strictly closer to a training row than the holdout's 5th percentile: about 5 % when synthetic rows are no closer to the training data than new real people are; far more means near-copies",
        exactCopies: "synthetic rows identical to a training row on every encoded column (distance 0)",
      },
      sources: [
        "DCR: Park et al. 2018, Data synthesis based on generative adversarial networks (table-GAN)",
        "holdout baseline: Platzer & Reutterer 2021, Holdout-based empirical assessment of mixed-type synthetic data",
      ],
      summary: `${percent(output.closeRows.share)} of ${synthetic.length} synthetic rows are closer to a training row than 95% of holdout rows are (expect ≈ 5%); ${output.exactCopies.count} exact copies; median DCR ${output.synthetic.p50.toFixed(3)} (holdout ${output.holdout.p50.toFixed(3)})`,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Membership inference from the synthetic data alone.

export interface MembershipOnSyntheticOptions extends SyntheticPrivacyInput {
  /** Seed of the draw that balances members and non-members (default 7). */
  seed?: number;
}

export interface SyntheticMembershipReport {
  /** Area under the ROC curve: 0.5 = the attack learns nothing, 1 = it separates perfectly. */
  auc: number;
  /** 2·(AUC − 0.5): 0 for guessing, 1 for a perfect attack. */
  advantage: number;
  tprAt1PctFpr: number;
  tprAt10PctFpr: number;
  members: number;
  nonMembers: number;
  /** The training and holdout rows used as candidates (sorted row indices). */
  memberRows: number[];
  nonMemberRows: number[];
  /** One score per candidate (members first), −(distance to the closest synthetic row), and its label. */
  scores: number[];
  isMember: number[];
  roc: RocSummary;
}

export interface SyntheticMembershipTrace {
  rows: { train: number; holdout: number; synthetic: number };
  candidatesPerSide: number;
  seed: number;
  encoding: EncodingTrace;
  attack: string;
  definitions: Record<"auc" | "advantage" | "tprAtFpr", string>;
  sources: string[];
  summary: string;
}

export function membershipInferenceOnSynthetic(options: MembershipOnSyntheticOptions): { output: SyntheticMembershipReport; trace: SyntheticMembershipTrace } {
  const encoded = encodeForDistances(options);
  const seed = requireNumber("seed", options.seed ?? 7, { min: 0, max: 2 ** 31 - 1, integer: true });
  // Equal numbers of members and non-members, so that AUC and TPR at a given FPR compare like with like.
  const perSide = Math.min(encoded.train.length, encoded.holdout.length);
  const rng = createRng(seed);
  const memberRows = sampleIndices(encoded.train.length, perSide, rng.fork("members"));
  const nonMemberRows = sampleIndices(encoded.holdout.length, perSide, rng.fork("non-members"));
  const candidates = [...memberRows.map((i) => encoded.train[i]), ...nonMemberRows.map((i) => encoded.holdout[i])];
  const nearest = nearestRecords(candidates, encoded.synthetic);
  const scores = Array.from(nearest.distances, (d) => -d);
  const isMember = candidates.map((_, i) => (i < perSide ? 1 : 0));
  const roc = summariseRoc(isMember, scores, [0.01, 0.1]);
  const tprAt10PctFpr = tprAtFpr(roc.points, 0.1);
  const output: SyntheticMembershipReport = {
    auc: roc.auc,
    advantage: 2 * (roc.auc - 0.5),
    tprAt1PctFpr: roc.tprAt1PctFpr,
    tprAt10PctFpr,
    members: perSide,
    nonMembers: perSide,
    memberRows,
    nonMemberRows,
    scores,
    isMember,
    roc,
  };
  return {
    output,
    trace: {
      rows: { train: encoded.train.length, holdout: encoded.holdout.length, synthetic: encoded.synthetic.length },
      candidatesPerSide: perSide,
      seed,
      encoding: encoded.trace,
      attack: "the attacker sees only the synthetic table; a candidate's score is −(Euclidean distance to its closest synthetic row) in the encoded space, and a higher score means \"member\"",
      definitions: {
        auc: "area under the ROC curve over every threshold, ties counted one half: 0.5 is guessing",
        advantage: "2·(AUC − 0.5), from 0 (guessing) to 1 (perfect separation)",
        tprAtFpr: "share of training members flagged when at most 1 % (10 %) of holdout non-members are, read off the curve without interpolation (Carlini et al. 2022)",
      },
      sources: [
        "distance-to-synthetic attack: Chen, Yu, Zhang & Fritz 2020, GAN-Leaks (full black-box attack)",
        "members are training rows, non-members holdout rows, min(|train|, |holdout|) of each drawn with the seed",
      ],
      summary: `AUC ${output.auc.toFixed(3)} (advantage ${output.advantage.toFixed(3)}), TPR ${(100 * output.tprAt1PctFpr).toFixed(1)}% at 1% FPR and ${(100 * tprAt10PctFpr).toFixed(1)}% at 10% FPR, over ${perSide} members and ${perSide} non-members`,
    },
  };
}


