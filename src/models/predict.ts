import { tf, valuesOf } from "../runtime/tensorflow";
import { InputError } from "../validation/errors";
import { inputSizeOf, validateModelData } from "./init";
import { bceWithLogits, forwardLogits, toTensors } from "./tensors";
import type { ModelData } from "./types";

function checkRows(model: ModelData, x: number[][], field = "x"): void {
  const width = inputSizeOf(model);
  x.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new InputError(`${field}[${i}]`, `a row of ${width} numbers (the model's inputs)`, row);
    }
  });
}

/** Logits for each row of x. Pure: tensors live only inside the tidy. */
export function predictLogits(model: ModelData, x: number[][]): number[] {
  validateModelData(model);
  checkRows(model, x);
  if (x.length === 0) return [];
  return Array.from(valuesOf(() => forwardLogits(toTensors(model).layers, tf.tensor2d(x))));
}

/** P(y = 1 | x) for each row of x. */
export function predictProbabilities(model: ModelData, x: number[][]): number[] {
  return predictLogits(model, x).map((z) => 1 / (1 + Math.exp(-z)));
}

/** Mean binary cross-entropy and accuracy (threshold 0.5) on labelled rows. */
export function evaluateModel(
  model: ModelData,
  x: number[][],
  y: number[],
): { loss: number; accuracy: number } {
  validateModelData(model);
  checkRows(model, x);
  if (y.length !== x.length) throw new InputError("y", `${x.length} labels (one per row)`, y);
  if (x.length === 0) return { loss: NaN, accuracy: NaN };
  return tf.tidy(() => {
    const logits = forwardLogits(toTensors(model).layers, tf.tensor2d(x));
    const loss = tf.mean(bceWithLogits(logits, tf.tensor1d(y))).dataSync()[0];
    const z = logits.dataSync();
    const correct = y.reduce((n, label, i) => n + (Number(z[i] > 0) === label ? 1 : 0), 0);
    return { loss, accuracy: correct / y.length };
  });
}
