import { createRng } from "../random/rng";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { MODEL_KINDS, type LayerData, type ModelData, type ModelKind } from "./types";

export interface CreateModelOptions {
  kind?: ModelKind;
  inputSize: number;
  /** Hidden layer widths of the MLP (ignored for logistic regression). Default [16]. */
  hidden?: readonly number[];
  seed?: number | string;
}

export const DEFAULT_HIDDEN: readonly number[] = [16];

/**
 * Weights drawn in plain JS from the seed (identical on every backend): He-uniform for
 * layers feeding a ReLU, Glorot-uniform for the output layer; biases start at 0.
 */
export function createModel(options: CreateModelOptions): ModelData {
  const kind = requireOneOf("kind", options.kind ?? "logistic", MODEL_KINDS);
  const inputSize = requireNumber("inputSize", options.inputSize, { min: 1, integer: true });
  const hidden = kind === "mlp" ? [...(options.hidden ?? DEFAULT_HIDDEN)] : [];
  if (kind === "mlp" && hidden.length === 0) {
    throw new InputError("hidden", "at least one hidden layer width for an mlp", hidden);
  }
  hidden.forEach((width, i) => requireNumber(`hidden[${i}]`, width, { min: 1, integer: true }));
  const rng = createRng(options.seed ?? 7).fork("init");
  const sizes = [inputSize, ...hidden, 1];
  const layers: LayerData[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const isOutput = l + 2 === sizes.length;
    const limit = isOutput ? Math.sqrt(6 / (fanIn + fanOut)) : Math.sqrt(6 / fanIn);
    const weights = Array.from({ length: fanIn }, () =>
      Array.from({ length: fanOut }, () => (2 * rng.uniform() - 1) * limit),
    );
    layers.push({ weights, bias: new Array<number>(fanOut).fill(0) });
  }
  return { kind, layers };
}

export function parameterCount(model: ModelData): number {
  return model.layers.reduce((n, l) => n + l.weights.length * l.bias.length + l.bias.length, 0);
}

export function inputSizeOf(model: ModelData): number {
  return model.layers[0].weights.length;
}

/** Checks that the layers chain (each layer's outputs feed the next) and end in one logit. */
export function validateModelData(model: ModelData, field = "model"): ModelData {
  if (!model || !MODEL_KINDS.includes(model.kind)) {
    throw new InputError(`${field}.kind`, `one of ${MODEL_KINDS.join(", ")}`, model?.kind);
  }
  if (!Array.isArray(model.layers) || model.layers.length === 0) {
    throw new InputError(`${field}.layers`, "a non-empty array of layers", model.layers);
  }
  let width = model.layers[0].weights?.length;
  model.layers.forEach((layer, l) => {
    const out = layer.bias?.length;
    const ok =
      Array.isArray(layer.weights) &&
      layer.weights.length === width &&
      width > 0 &&
      out > 0 &&
      layer.weights.every((row) => Array.isArray(row) && row.length === out);
    if (!ok) {
      throw new InputError(`${field}.layers[${l}]`, `weights [${width}][outputs] and bias [outputs]`, layer);
    }
    width = out;
  });
  if (width !== 1) throw new InputError(`${field}.layers`, "a last layer with 1 output", width);
  return model;
}
