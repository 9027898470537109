/** `privacy-course sweep`: accuracy across privacy budgets, with CSV and JSON for plotting. */
import { MAX_TRAIN_SIZE, runSweep, sweepJobs } from "../../experiments/sweep";
import { progressBar } from "../../render/text/progress";
import { renderSweepSummary } from "../../render/text/sweepReport";
import { checkOutputPath, writeFileSafely, type OutputOptions } from "../../runtime/safeWrite";
import { requireNumber, requireOneOf } from "../../validation/errors";
import { toJsonFile } from "../json";
import { ACCOUNTANT_FLAGS, EPOCH_RANGE, epsilonListFlag, numberFlag, parseAccountantFlags, parseFlags, parseNumberListFlag, SEED_RANGE } from "../options";

export async function sweepCommand(args: string[]): Promise<string> {
  const { values } = parseFlags("sweep", args, {
    epsilons: { type: "string" },
    "train-sizes": { type: "string" },
    repeats: { type: "string" },
    epochs: { type: "string" },
    delta: { type: "string" },
    model: { type: "string" },
    seed: { type: "string" },
    workers: { type: "string" },
    out: { type: "string" },
    force: { type: "boolean", default: false },
    accountant: ACCOUNTANT_FLAGS.accountant,
  });
  const options = {
    epsilons: epsilonListFlag("epsilons", values.epsilons, [0.25, 0.5, 1, 2, 4, 8, Infinity]),
    repeats: numberFlag("repeats", values.repeats, 5, { min: 1, max: 1000, integer: true }),
    epochs: numberFlag("epochs", values.epochs, 5, EPOCH_RANGE),
    delta: numberFlag("delta", values.delta, 1e-5, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    model: requireOneOf("--model", values.model ?? "logistic", ["logistic", "mlp"] as const),
    baseSeed: numberFlag("seed", values.seed, 7, SEED_RANGE),
    workers: numberFlag("workers", values.workers, 2, { min: 0, max: 64, integer: true }),
    trainSizes: trainSizesFlag(values["train-sizes"]),
    ...(values.accountant === undefined ? {} : { accountant: parseAccountantFlags(values) as "rdp" | "pld" }),
  };
  // The command's own default prefix ("sweep") may be refreshed; a named one may not be overwritten without --force.
  const out = values.out ?? "sweep";
  const target: OutputOptions = { flag: "--out", force: values.force, explicit: values.out !== undefined };
  for (const ext of [".csv", ".json"]) checkOutputPath(`${out}${ext}`, target);
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
  writeFileSafely(`${out}.csv`, csv + "\n", target);
  writeFileSafely(`${out}.json`, toJsonFile({ options, summary, runs }), target);

  return [
    renderSweepSummary(summary),
    `Wrote ${out}.csv and ${out}.json`,
  ].join("\n");
}

/** Training-set sizes, each checked against the library's range with the flag's own name. */
function trainSizesFlag(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  return parseNumberListFlag("train-sizes", text, []).map((size) =>
    requireNumber("--train-sizes", size, { min: 10, max: MAX_TRAIN_SIZE, integer: true }),
  );
}
