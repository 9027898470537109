/** `privacy-course sweep`: accuracy across privacy budgets, with CSV and JSON for plotting. */
import { runSweep } from "../../experiments/sweep";
import { progressBar } from "../../render/text/progress";
import { textTable } from "../../render/text/textTable";
import { checkOutputPath, writeFileSafely, type OutputOptions } from "../../runtime/safeWrite";
import { requireOneOf } from "../../validation/errors";
import { toJsonFile } from "../json";
import { EPOCH_RANGE, epsilonListFlag, numberFlag, parseFlags, SEED_RANGE } from "../options";

export async function sweepCommand(args: string[]): Promise<string> {
  const { values } = parseFlags("sweep", args, {
    epsilons: { type: "string" },
    repeats: { type: "string" },
    epochs: { type: "string" },
    delta: { type: "string" },
    model: { type: "string" },
    seed: { type: "string" },
    workers: { type: "string" },
    out: { type: "string" },
    force: { type: "boolean", default: false },
  });
  const options = {
    epsilons: epsilonListFlag("epsilons", values.epsilons, [0.25, 0.5, 1, 2, 4, 8, Infinity]),
    repeats: numberFlag("repeats", values.repeats, 5, { min: 1, max: 1000, integer: true }),
    epochs: numberFlag("epochs", values.epochs, 5, EPOCH_RANGE),
    delta: numberFlag("delta", values.delta, 1e-5, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    model: requireOneOf("--model", values.model ?? "logistic", ["logistic", "mlp"] as const),
    baseSeed: numberFlag("seed", values.seed, 7, SEED_RANGE),
    workers: numberFlag("workers", values.workers, 2, { min: 0, max: 64, integer: true }),
  };
  // The command's own default prefix ("sweep") may be refreshed; a named one may not be overwritten without --force.
  const out = values.out ?? "sweep";
  const target: OutputOptions = { flag: "--out", force: values.force, explicit: values.out !== undefined };
  for (const ext of [".csv", ".json"]) checkOutputPath(`${out}${ext}`, target);
  const bar = progressBar(options.epsilons.length * options.repeats, "Sweep");
  const { runs, summary } = await runSweep(options, (run, done) =>
    bar.update(done, `ε = ${run.epsilon}, seed ${run.seed}: accuracy ${run.accuracy.toFixed(3)}`),
  );
  bar.stop();

  const csv = [
    "epsilon,runs,mean_accuracy,std_accuracy,mean_roc_auc,mean_epsilon_spent,noise_multiplier",
    ...summary.map((r) =>
      [r.epsilon, r.runs, r.meanAccuracy, r.stdAccuracy, r.meanRocAuc, r.meanEpsilonSpent, r.noiseMultiplier].join(","),
    ),
  ].join("\n");
  writeFileSafely(`${out}.csv`, csv + "\n", target);
  writeFileSafely(`${out}.json`, toJsonFile({ options, summary, runs }), target);

  return [
    textTable(
      ["ε target", "runs", "accuracy (mean ± std)", "ROC AUC", "ε spent", "σ"],
      summary.map((r) => [
        r.epsilon,
        r.runs,
        `${r.meanAccuracy.toFixed(3)} ± ${r.stdAccuracy.toFixed(3)}`,
        r.meanRocAuc,
        r.meanEpsilonSpent,
        r.noiseMultiplier,
      ]),
    ),
    `Wrote ${out}.csv and ${out}.json`,
  ].join("\n");
}
