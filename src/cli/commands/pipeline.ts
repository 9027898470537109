/** `privacy-course pipeline`: run the six stages and print them like the seed document. */
import { runPipeline } from "../../pipeline/run";
import { renderPipelineReport } from "../../render/text/pipelineReport";
import { progressBar, type Progress } from "../../render/text/progress";
import { checkOutputPath, writeFileSafely } from "../../runtime/safeWrite";
import { requireOneOf } from "../../validation/errors";
import { toJsonFile } from "../json";
import { ACCOUNTANT_FLAGS, EPOCH_RANGE, numberFlag, optionalNumberFlag, parseAccountantFlags, parseFlags, SEED_RANGE } from "../options";

export { jsonReplacer } from "../json";

const OPTIONS = {
  epsilon: { type: "string" },
  delta: { type: "string" },
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  "clip-norm": { type: "string" },
  "learning-rate": { type: "string" },
  model: { type: "string" },
  seed: { type: "string" },
  backend: { type: "string" },
  json: { type: "string" },
  force: { type: "boolean", default: false },
  ...ACCOUNTANT_FLAGS,
} as const;

export async function pipelineCommand(args: string[]): Promise<string> {
  const { values } = parseFlags("pipeline", args, OPTIONS);
  const epochs = numberFlag("epochs", values.epochs, 5, EPOCH_RANGE);
  const config = {
    epsilon: numberFlag("epsilon", values.epsilon, 1, { min: 0, minExclusive: true }),
    delta: numberFlag("delta", values.delta, 1e-5, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    epochs,
    batchSize: optionalNumberFlag("batch-size", values["batch-size"], { min: 1, integer: true }),
    clipNorm: optionalNumberFlag("clip-norm", values["clip-norm"], { min: 0, minExclusive: true }),
    learningRate: optionalNumberFlag("learning-rate", values["learning-rate"], { min: 0, minExclusive: true }),
    model: requireOneOf("--model", values.model ?? "logistic", ["logistic", "mlp"] as const),
    seed: numberFlag("seed", values.seed, 7, SEED_RANGE),
    backend:
      values.backend === undefined
        ? undefined
        : requireOneOf("--backend", values.backend, ["wasm", "cpu"] as const),
    accountant: parseAccountantFlags(values),
  };
  // Checked before training, so a bad path costs nothing.
  if (values.json !== undefined) checkOutputPath(values.json, { flag: "--json", force: values.force });

  let bar: Progress | undefined;
  const result = await runPipeline({
    ...config,
    onEpoch: (epoch, run) => {
      bar ??= progressBar(2 * epochs, "Training (DP, then non-private baseline)");
      const done = (run === "private" ? 0 : epochs) + epoch.epoch;
      bar.update(done, `${run} epoch ${epoch.epoch}: loss ${epoch.loss.toFixed(3)}`);
    },
  });
  bar?.stop();
  if (values.json !== undefined) writeFileSafely(values.json, toJsonFile(result), { flag: "--json", force: values.force });
  return renderPipelineReport(result) + (values.json ? `\n\nFull trace written to ${values.json}` : "");
}
