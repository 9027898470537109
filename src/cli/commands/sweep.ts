/** `privacy-course sweep`: accuracy across privacy budgets, with CSV and JSON for plotting. */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runSweep, sweepJobs } from "../../experiments/sweep";
import { progressBar } from "../../render/text/progress";
import { renderSweepSummary } from "../../render/text/sweepReport";
import { requireOneOf } from "../../validation/errors";
import { parseNumberFlag, parseNumberListFlag } from "../options";
import { jsonReplacer } from "./pipeline";

export async function sweepCommand(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      epsilons: { type: "string" },
      "train-sizes": { type: "string" },
      repeats: { type: "string" },
      epochs: { type: "string" },
      delta: { type: "string" },
      model: { type: "string" },
      seed: { type: "string" },
      workers: { type: "string" },
      out: { type: "string" },
    },
  });
  const options = {
    epsilons: parseNumberListFlag("epsilons", values.epsilons, [0.25, 0.5, 1, 2, 4, 8, Infinity]),
    repeats: parseNumberFlag("repeats", values.repeats, 5),
    epochs: parseNumberFlag("epochs", values.epochs, 5),
    delta: parseNumberFlag("delta", values.delta, 1e-5),
    model: requireOneOf("--model", values.model ?? "logistic", ["logistic", "mlp"] as const),
    baseSeed: parseNumberFlag("seed", values.seed, 7),
    workers: parseNumberFlag("workers", values.workers, 2),
    trainSizes: values["train-sizes"] === undefined ? undefined : parseNumberListFlag("train-sizes", values["train-sizes"], []),
  };
  const out = values.out ?? "sweep";
  const bar = progressBar(sweepJobs(options).length, "Sweep");
  const { runs, summary } = await runSweep(options, (run, done) =>
    bar.update(done, `${run.trainRows} rows, ε = ${run.epsilon}, seed ${run.seed}: accuracy ${run.accuracy.toFixed(3)}`),
  );
  bar.stop();

  const csv = [
    "train_rows,epsilon,runs,mean_accuracy,std_accuracy,ci95_low,ci95_high,test_set_ci95_low,test_set_ci95_high,seed_ci95_low,seed_ci95_high,below_non_private,mean_roc_auc,mean_epsilon_spent,noise_multiplier",
    ...summary.map((r) =>
      [
        r.trainRows, r.epsilon, r.runs, r.meanAccuracy, r.stdAccuracy, r.interval.low, r.interval.high, r.testSetInterval.low, r.testSetInterval.high,
        r.seedInterval.low, r.seedInterval.high, r.belowNonPrivate ?? "", r.meanRocAuc, r.meanEpsilonSpent, r.noiseMultiplier,
      ].join(","),
    ),
  ].join("\n");
  writeFileSync(`${out}.csv`, csv + "\n");
  writeFileSync(`${out}.json`, JSON.stringify({ options, summary, runs }, jsonReplacer, 2) + "\n");

  return [
    renderSweepSummary(summary),
    `Wrote ${out}.csv and ${out}.json`,
  ].join("\n");
}
