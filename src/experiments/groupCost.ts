/**
 * Who pays for privacy: the accuracy a DP-SGD model loses against the same model trained without
 * privacy, group by group (town category or age band), over several seeds, with intervals.
 *
 * DP-SGD clips every person's gradient and adds the same noise to every step, so a group whose
 * people are few (or whose pattern differs from the majority's) is the first to be drowned out:
 * "disparate impact" (Bagdasaryan, Poursaeed & Shmatikov 2019). This measures it on the course's
 * customers instead of citing it. Groups are read from the raw rows by the evaluator (the model
 * never sees them), and every seed trains both models on the same people.
 *
 * The interval of a group's drop combines, on each side in quadrature (as accuracyInterval does):
 * its test people's sampling noise (a bootstrap over them, models fixed) and the seeds' spread
 * (a t-interval of the per-seed drops). A small group has a wide interval: read it before the mean.
 */
import { wilsonInterval, meanInterval, type Interval } from "../evaluation/intervals";
import { ageBandIndex, ageBandLabels, DEFAULT_AGE_BAND_EDGES, findTown, type LabelledCustomer } from "../data/schema";
import { withTrainSize } from "../data/split";
import { predictProbabilities } from "../models/predict";
import { anonymize } from "../pipeline/anonymize";
import { collect } from "../pipeline/collect";
import { engineerFeatures } from "../pipeline/features";
import { TRAIN_SUBSET_SEED } from "../pipeline/run";
import { trainPrivately } from "../pipeline/train";
import { createRng } from "../random/rng";
import { LongRun, type LongRunOptions } from "../runtime/longRun";
import { InputError, requireNumber } from "../validation/errors";

export const GROUPINGS = ["location", "ageBand"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface GroupCostOptions extends LongRunOptions {
  /** The private model's budget (> 0, finite). */
  epsilon: number;
  delta?: number;
  /** Seeds of the paired runs (each trains a private and a non-private model); default 1–5. */
  seeds?: readonly number[];
  /** "location": the town's category (rural, town, city, metro); "ageBand": ten-year bands. Default "location". */
  groupBy?: Grouping;
  /** Train on this many of the training people (the same subset as runPipeline's trainSize). */
  trainSize?: number;
  epochs?: number;
  model?: "logistic" | "mlp";
  /** Bootstrap resamples of each group's test people (default 2000). */
  resamples?: number;
}

export interface GroupCostRow {
  group: string;
  trainPeople: number;
  testPeople: number;
  /** Mean over seeds of the group's test accuracy. */
  privateAccuracy: number;
  nonPrivateAccuracy: number;
  /** nonPrivateAccuracy − privateAccuracy: what privacy cost this group, in accuracy. */
  drop: number;
  /** 95% interval of the drop: test people and seeds together. */
  interval: Interval;
  /** The two parts of it. */
  testPeopleInterval: Interval;
  seedInterval: Interval;
}

export interface GroupCostTrace {
  stage: "groupCost";
  epsilon: number;
  delta: number;
  seeds: number[];
  groupBy: Grouping;
  trainPeople: number;
  testPeople: number;
  /** The whole test set, as a yardstick for the groups. */
  overall: { privateAccuracy: number; nonPrivateAccuracy: number; drop: number; privateInterval: Interval; nonPrivateInterval: Interval };
  method: string;
  notes: string[];
}

function groupOf(customer: LabelledCustomer, groupBy: Grouping): string {
  if (groupBy === "ageBand") return ageBandLabels(DEFAULT_AGE_BAND_EDGES)[ageBandIndex(customer.age, DEFAULT_AGE_BAND_EDGES)]!;
  return findTown(customer.location)?.category ?? "unknown town";
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function groupCostOfPrivacy(options: GroupCostOptions): Promise<{ output: GroupCostRow[]; trace: GroupCostTrace }> {
  if (options === null || typeof options !== "object") throw new InputError("options", "{ epsilon, seeds?, groupBy?, … }", options);
  const epsilon = requireNumber("epsilon", options.epsilon, { min: 0, minExclusive: true });
  if (!Number.isFinite(epsilon)) throw new InputError("epsilon", "a finite number > 0 (the private model's budget; the comparison is without privacy)", epsilon);
  const delta = requireNumber("delta", options.delta ?? 1e-5, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const seeds = options.seeds ?? [1, 2, 3, 4, 5];
  if (!Array.isArray(seeds) || seeds.length === 0) throw new InputError("seeds", "a non-empty list of whole numbers", seeds);
  seeds.forEach((s, i) => requireNumber(`seeds[${i}]`, s, { min: 0, max: 2 ** 31 - 1, integer: true }));
  const groupBy = options.groupBy ?? "location";
  if (!GROUPINGS.includes(groupBy)) throw new InputError("groupBy", GROUPINGS.join(" or "), groupBy);
  const resamples = requireNumber("resamples", options.resamples ?? 2000, { min: 100, max: 100_000, integer: true });

  const { customers, split: full } = collect().output;
  const split = options.trainSize === undefined ? full : withTrainSize(full, options.trainSize, TRAIN_SUBSET_SEED);
  const features = engineerFeatures(anonymize(customers).output, { trainIndices: split.train });
  const pick = <T>(rows: readonly T[], indices: readonly number[]) => indices.map((i) => rows[i]!);
  const train = { x: pick(features.output.matrix, split.train), y: pick(features.output.labels, split.train) };
  const testX = pick(features.output.matrix, split.test);
  const testY = pick(features.output.labels, split.test);

  // right[run][k]: 1 if the run's model classified test person k correctly.
  const right = { private: [] as number[][], nonPrivate: [] as number[][] };
  const progress = new LongRun("groupCostOfPrivacy", seeds.length, "seed", options);
  try {
    for (const [i, seed] of seeds.entries()) {
      const shared = { delta, epochs: options.epochs, model: options.model, seed, ...progress.nested(1) };
      for (const [kind, eps] of [["private", epsilon], ["nonPrivate", Infinity]] as const) {
        const trained = await trainPrivately(train, { ...shared, epsilon: eps });
        right[kind].push(predictProbabilities(trained.output.model, testX).map((p, k) => ((p >= 0.5 ? 1 : 0) === testY[k] ? 1 : 0)));
      }
      await progress.step(i + 1);
    }
    progress.finish();
  } finally {
    progress.close();
  }

  const accuracyOn = (runs: number[][], people: readonly number[]) => mean(runs.map((run) => mean(people.map((k) => run[k]!))));
  const dropOn = (people: readonly number[]) => accuracyOn(right.nonPrivate, people) - accuracyOn(right.private, people);
  const rng = createRng(`groupCost:${groupBy}`);
  const labels = split.test.map((i) => groupOf(customers[i]!, groupBy));
  const trainLabels = split.train.map((i) => groupOf(customers[i]!, groupBy));
  const groups = [...new Set(labels)].sort();
  const rows = groups.map((group): GroupCostRow => {
    const people = labels.flatMap((label, k) => (label === group ? [k] : []));
    const drop = dropOn(people);
    const boot = Array.from({ length: resamples }, () => dropOn(people.map(() => people[Math.floor(rng.uniform() * people.length)]!))).sort((a, b) => a - b);
    const testPeopleInterval = { low: boot[Math.floor(0.025 * resamples)]!, high: boot[Math.ceil(0.975 * resamples) - 1]! };
    const perSeed = meanInterval(right.private.map((run, s) => mean(people.map((k) => right.nonPrivate[s]![k]! - run[k]!))));
    const below = Math.max(0, drop - testPeopleInterval.low);
    const above = Math.max(0, testPeopleInterval.high - drop);
    return {
      group,
      trainPeople: trainLabels.filter((l) => l === group).length,
      testPeople: people.length,
      privateAccuracy: accuracyOn(right.private, people),
      nonPrivateAccuracy: accuracyOn(right.nonPrivate, people),
      drop,
      interval: { low: drop - Math.hypot(below, perSeed.halfWidth), high: drop + Math.hypot(above, perSeed.halfWidth) },
      testPeopleInterval,
      seedInterval: { low: perSeed.low, high: perSeed.high },
    };
  });
  // Smallest groups first: they are where disparate impact shows, and where the intervals are widest.
  rows.sort((a, b) => a.trainPeople - b.trainPeople || a.group.localeCompare(b.group));

  const everyone = testY.map((_, k) => k);
  const n = everyone.length;
  const overallPrivate = accuracyOn(right.private, everyone);
  const overallNonPrivate = accuracyOn(right.nonPrivate, everyone);
  const wilson = (accuracy: number) => wilsonInterval(Math.round(accuracy * n), n) as Interval;
  return {
    output: rows,
    trace: {
      stage: "groupCost",
      epsilon,
      delta,
      seeds: [...seeds],
      groupBy,
      trainPeople: split.train.length,
      testPeople: n,
      overall: { privateAccuracy: overallPrivate, nonPrivateAccuracy: overallNonPrivate, drop: overallNonPrivate - overallPrivate, privateInterval: wilson(overallPrivate), nonPrivateInterval: wilson(overallNonPrivate) },
      method:
        `Each seed trains the same model twice on the same ${split.train.length} people: with DP-SGD at ε = ${epsilon}, δ = ${delta}, and without privacy. ` +
        `A group's drop is the mean over ${seeds.length} seeds of its test accuracy without privacy minus with it; its 95% interval adds, in quadrature on each side, ` +
        `a bootstrap over the group's test people (${resamples} resamples, models fixed) and the t-interval of the per-seed drops.`,
      notes: [
        "Groups are read from the raw rows by the evaluator; the models never see them.",
        "A group with few test people has a wide interval: a drop whose interval includes 0 is not evidence of a cost, nor of none.",
        "Drops of different groups are compared by their intervals; overlapping intervals do not show that one group paid more than another.",
      ],
    },
  };
}
