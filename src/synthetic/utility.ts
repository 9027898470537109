/**
 * Utility of synthetic data for the task it is released for: train the same model once on the
 * real training rows and once on the synthetic rows, and test both on the same real held-out
 * rows (TRTR vs TSTR, "train on real/synthetic, test on real"; Esteban, Hyland & Rätsch 2017).
 * The gap between the two accuracies is what a data user loses by getting synthetic data.
 */
import type { TrainOnAnonymisedTrace } from "../anonymity/training";
import { trainOnAnonymised } from "../anonymity/training";
import { rowCount, type Table } from "../anonymity/table";
import { InputError, requireNumber } from "../validation/errors";
import { requireComparableTables } from "./fidelity";

/** Trains a model on `train` and returns its accuracy on `test`, in [0, 1]. */
export type EvaluateModel = (train: Table, test: Table) => number | Promise<number>;

export interface MeasureUtilityOptions {
  /** The real rows the generator was trained on (the TRTR model trains on them too). */
  realTrain: Table;
  /** Synthetic rows with the same columns as realTrain. */
  synthetic: Table;
  /** Real rows neither the generator nor either model saw; must hold realTrain's columns. */
  realTest: Table;
  /** Epochs of the course model (default 5; ignored with `evaluate`). */
  epochs?: number;
  /** Seed of the course model, the same for both runs so only the data differs (default 7). */
  seed?: number;
  /** The largest acceptable loss of accuracy, in percentage points (default 5). */
  maxGapPoints?: number;
  /** Another model: trains on its first table, returns the accuracy on its second. */
  evaluate?: EvaluateModel;
}

export interface UtilityReport {
  /** Accuracy on realTest of the model trained on realTrain. */
  trtrAccuracy: number;
  /** Accuracy on realTest of the model trained on synthetic. */
  tstrAccuracy: number;
  /** 100 · (TRTR − TSTR): positive when the synthetic data costs accuracy. */
  gapPoints: number;
  maxGapPoints: number;
  /** gapPoints ≤ maxGapPoints (a synthetic table that does better than the real one passes). */
  withinTolerance: boolean;
}

export interface UtilityTrace {
  rows: { realTrain: number; synthetic: number; realTest: number };
  model: string;
  epochs: number | null;
  seed: number | null;
  /** The course model's training traces (null with a custom `evaluate`). */
  training: { real: TrainOnAnonymisedTrace; synthetic: TrainOnAnonymisedTrace } | null;
  definitions: Record<"trtr" | "tstr" | "gapPoints", string>;
  summary: string;
}

export async function measureUtility(options: MeasureUtilityOptions): Promise<{ output: UtilityReport; trace: UtilityTrace }> {
  if (options === null || typeof options !== "object") throw new InputError("options", "{ realTrain, synthetic, realTest, … }", options);
  const { realTrain, synthetic, realTest, evaluate } = options;
  const columns = requireComparableTables({ name: "realTrain", table: realTrain }, [{ name: "synthetic", table: synthetic }]);
  requireComparableTables({ name: "realTrain", table: realTrain }, [{ name: "realTest", table: realTest }], columns);
  const maxGapPoints = requireNumber("maxGapPoints", options.maxGapPoints ?? 5, { min: 0, max: 100 });
  if (evaluate !== undefined && typeof evaluate !== "function") throw new InputError("evaluate", "a function (train, test) => accuracy in [0, 1]", evaluate);

  let trtr: number;
  let tstr: number;
  let training: UtilityTrace["training"] = null;
  let epochs: number | null = null;
  let seed: number | null = null;
  if (evaluate) {
    trtr = requireNumber("evaluate(realTrain, realTest)", await evaluate(realTrain, realTest), { min: 0, max: 1 });
    tstr = requireNumber("evaluate(synthetic, realTest)", await evaluate(synthetic, realTest), { min: 0, max: 1 });
  } else {
    epochs = requireNumber("epochs", options.epochs ?? 5, { min: 1, max: 1000, integer: true });
    seed = requireNumber("seed", options.seed ?? 7, { min: 0, max: 2 ** 31 - 1, integer: true });
    const real = await trainOnAnonymised({ train: realTrain, test: realTest, epochs, seed });
    const fake = await trainOnAnonymised({ train: synthetic, test: realTest, epochs, seed });
    trtr = real.output.accuracy;
    tstr = fake.output.accuracy;
    training = { real: real.trace, synthetic: fake.trace };
  }
  const gapPoints = 100 * (trtr - tstr);
  const output: UtilityReport = { trtrAccuracy: trtr, tstrAccuracy: tstr, gapPoints, maxGapPoints, withinTolerance: gapPoints <= maxGapPoints };
  const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
  return {
    output,
    trace: {
      rows: { realTrain: rowCount(realTrain), synthetic: rowCount(synthetic), realTest: rowCount(realTest) },
      model: evaluate
        ? "a custom evaluate(train, test) function"
        : "the course model (trainOnAnonymised: logistic regression on the engineered customer features, ε = ∞), same seed for both runs",
      epochs,
      seed,
      training,
      definitions: {
        trtr: "train on real, test on real: accuracy on realTest of the model trained on realTrain",
        tstr: "train on synthetic, test on real: accuracy on realTest of the same model trained on the synthetic rows (Esteban, Hyland & Rätsch 2017)",
        gapPoints: "100 · (TRTR − TSTR), in percentage points; within tolerance when at most maxGapPoints",
      },
      summary: `TRTR ${percent(trtr)}, TSTR ${percent(tstr)}: gap ${gapPoints.toFixed(1)} points, ${output.withinTolerance ? "within" : "beyond"} the ${maxGapPoints}-point tolerance`,
    },
  };
}
