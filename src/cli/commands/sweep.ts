/** `privacy-course sweep`: accuracy across privacy budgets, with CSV and JSON for plotting. */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runSweep } from "../../experiments/sweep";
import { progressBar } from "../../render/text/progress";
import { textTable } from "../../render/text/textTable";
import { requireOneOf } from "../../validation/errors";
import { ACCOUNTANT_FLAGS, parseAccountantFlags, parseNumberFlag, parseNumberListFlag } from "../options";
import { jsonReplacer } from "./pipeline";

export async function sweepCommand(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      epsilons: { type: "string" },
      repeats: { type: "string" },
      epochs: { type: "string" },
      delta: { type: "string" },
      model: { type: "string" },
      seed: { type: "string" },
      workers: { type: "string" },
      out: { type: "string" },
      accountant: ACCOUNTANT_FLAGS.accountant,
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
    ...(values.accountant === undefined ? {} : { accountant: parseAccountantFlags(values) as "rdp" | "pld" }),
  };
  const out = values.out ?? "sweep";
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
  writeFileSync(`${out}.csv`, csv + "\n");
  writeFileSync(`${out}.json`, JSON.stringify({ options, summary, runs }, jsonReplacer, 2) + "\n");

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
