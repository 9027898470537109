/** `privacy-course pipeline`: run the six stages and print them like the seed document. */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runPipeline } from "../../pipeline/run";
import { renderPipelineReport } from "../../render/text/pipelineReport";
import { progressBar, type Progress } from "../../render/text/progress";
import { requireOneOf } from "../../validation/errors";
import { ACCOUNTANT_FLAGS, parseAccountantFlags, parseNumberFlag } from "../options";

export async function pipelineCommand(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
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
      ...ACCOUNTANT_FLAGS,
    },
  });
  const optional = (flag: string, text: string | undefined) =>
    text === undefined ? undefined : parseNumberFlag(flag, text, Number.NaN);
  const epochs = parseNumberFlag("epochs", values.epochs, 5);
  const config = {
    epsilon: parseNumberFlag("epsilon", values.epsilon, 1),
    delta: parseNumberFlag("delta", values.delta, 1e-5),
    epochs,
    batchSize: optional("batch-size", values["batch-size"]),
    clipNorm: optional("clip-norm", values["clip-norm"]),
    learningRate: optional("learning-rate", values["learning-rate"]),
    model: requireOneOf("--model", values.model ?? "logistic", ["logistic", "mlp"] as const),
    seed: parseNumberFlag("seed", values.seed, 7),
    backend:
      values.backend === undefined
        ? undefined
        : requireOneOf("--backend", values.backend, ["wasm", "cpu"] as const),
    accountant: parseAccountantFlags(values),
  };

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
  if (values.json !== undefined) {
    writeFileSync(values.json, JSON.stringify(result, jsonReplacer, 2) + "\n");
  }
  return renderPipelineReport(result) + (values.json ? `\n\nFull trace written to ${values.json}` : "");
}

/** JSON has no ∞: write it as the string "Infinity" rather than losing it as null. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}
