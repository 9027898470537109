/**
 * The generator of a tabular GAN: an MLP from standard-normal noise z to one encoded row.
 *
 * z (noiseDim) → hidden layers (ReLU) → encoding.width outputs. Numeric slots are linear (they
 * live in the standardised space of the encoding); each categorical block goes through a softmax
 * (or a Gumbel-softmax, Jang et al. 2017, as CTGAN does) and is multiplied by ONE_HOT_SCALE, so a
 * fake row lives in the same space as an encoded real row and `decodeRows` reads it back.
 *
 * The generator is plain data (layers of number arrays plus its output layout); tensors exist
 * only inside the functions below and are disposed there, or handed to the caller who owns them.
 */
import { tf, valuesOf } from "../runtime/tensorflow";
import { createRng, type Rng } from "../random/rng";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { ONE_HOT_SCALE, type TabularEncoding } from "../synthetic/encoding";
import type { DenseTensors } from "../models/tensors";
import type { LayerData } from "../models/types";

/**
 * How a categorical block is produced. "softmax" is deterministic given z; its
 * argmax decodes to the block's mode for that z, and the discriminator pushes it towards one-hot,
 * where the softmax saturates: on the course's customer table it tends to collapse a many-valued
 * column (36 towns) onto a few categories. "gumbel-softmax" adds Gumbel noise before a
 * low-temperature softmax (CTGAN's choice), so the decoded category is a draw from the block's
 * probabilities; it matched the category frequencies better in every run we compared, so it is
 * the default.
 */
export type CategoricalOutput = "softmax" | "gumbel-softmax";
export const CATEGORICAL_OUTPUTS: readonly CategoricalOutput[] = ["softmax", "gumbel-softmax"];

/** A run of output slots with one activation: linear (numeric columns) or one softmax (one categorical column). */
export interface OutputBlock {
  /** The encoded column(s): one name for a categorical block, consecutive numeric columns merged. */
  columns: string[];
  activation: "linear" | "softmax";
  offset: number;
  size: number;
}

export interface GeneratorData {
  kind: "generator";
  noiseDim: number;
  hidden: number[];
  /** z·W + b per layer; [noiseDim → hidden… → width]. ReLU between layers, the blocks' activations after the last. */
  layers: LayerData[];
  /** Length of a generated row (the encoding's width). */
  width: number;
  blocks: OutputBlock[];
  categoricalOutput: CategoricalOutput;
  /** Softmax temperature τ of the categorical blocks: softmax(logits / τ) (plus Gumbel noise in gumbel-softmax mode). */
  temperature: number;
}

export interface CreateGeneratorOptions {
  /** Length of the noise vector z. Default 16. */
  noiseDim?: number;
  /** Hidden layer widths. Default [64, 64]. */
  hidden?: readonly number[];
  /** Default "gumbel-softmax". */
  categoricalOutput?: CategoricalOutput;
  /** τ > 0. Default 1 for softmax, 0.2 (CTGAN's) for gumbel-softmax. */
  temperature?: number;
  seed?: number | string;
}

export const GENERATOR_DEFAULTS = Object.freeze({
  noiseDim: 16,
  hidden: Object.freeze([64, 64]) as readonly number[],
  categoricalOutput: "gumbel-softmax" as CategoricalOutput,
  temperature: { softmax: 1, "gumbel-softmax": 0.2 } as Readonly<Record<CategoricalOutput, number>>,
});

/** The generator's trainable form: one tf.Variable per weight matrix and bias. */
export interface GeneratorVariables {
  layers: DenseTensors<tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>>[];
}

/** The encoding's output layout, adjacent numeric columns merged into one linear block. */
export function outputBlocks(encoding: TabularEncoding): OutputBlock[] {
  requireEncoding(encoding);
  const blocks: OutputBlock[] = [];
  for (const column of encoding.columns) {
    const last = blocks[blocks.length - 1];
    if (column.kind === "numeric") {
      if (last && last.activation === "linear" && last.offset + last.size === column.offset) {
        last.columns.push(column.name);
        last.size += 1;
      } else {
        blocks.push({ columns: [column.name], activation: "linear", offset: column.offset, size: 1 });
      }
    } else {
      blocks.push({ columns: [column.name], activation: "softmax", offset: column.offset, size: column.categories.length });
    }
  }
  return blocks;
}

/** Checks that the encoding's columns tile [0, width) in order (what fitEncoding produces). */
export function requireEncoding(encoding: TabularEncoding, field = "encoding"): TabularEncoding {
  if (encoding === null || typeof encoding !== "object" || !Array.isArray(encoding.columns) || encoding.columns.length === 0) {
    throw new InputError(field, "a TabularEncoding from fitEncoding (columns, width)", encoding);
  }
  let offset = 0;
  encoding.columns.forEach((column, i) => {
    const size = column.kind === "numeric" ? 1 : Array.isArray(column.categories) ? column.categories.length : 0;
    if (column.offset !== offset || size < 1) {
      throw new InputError(`${field}.columns[${i}]`, `a column at offset ${offset} with at least one slot`, column.offset);
    }
    if (column.kind === "numeric" && !(Number.isFinite(column.mean) && Number.isFinite(column.std) && column.std > 0)) {
      throw new InputError(`${field}.columns[${i}]`, "a numeric column with a finite mean and a positive std", column.name);
    }
    offset += size;
  });
  if (encoding.width !== offset) throw new InputError(`${field}.width`, `${offset} (the sum of the columns' slots)`, encoding.width);
  return encoding;
}

/**
 * Weights drawn in plain JS from the seed: He-uniform for layers feeding a ReLU, Glorot-uniform
 * for the output layer (as createModel does for classifiers); biases start at 0.
 */
export function createGenerator(encoding: TabularEncoding, options: CreateGeneratorOptions = {}): GeneratorData {
  const blocks = outputBlocks(encoding);
  const noiseDim = requireNumber("noiseDim", options.noiseDim ?? GENERATOR_DEFAULTS.noiseDim, { min: 1, max: 4096, integer: true });
  const hidden = requireWidths("hidden", options.hidden ?? GENERATOR_DEFAULTS.hidden);
  const categoricalOutput = requireOneOf("categoricalOutput", options.categoricalOutput ?? GENERATOR_DEFAULTS.categoricalOutput, CATEGORICAL_OUTPUTS);
  const temperature = requireNumber("temperature", options.temperature ?? GENERATOR_DEFAULTS.temperature[categoricalOutput], {
    min: 0,
    minExclusive: true,
  });
  const rng = createRng(options.seed ?? 7).fork("generator-init");
  const sizes = [noiseDim, ...hidden, encoding.width];
  const layers: LayerData[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const limit = l + 2 === sizes.length ? Math.sqrt(6 / (fanIn + fanOut)) : Math.sqrt(6 / fanIn);
    const weights = Array.from({ length: fanIn }, () => Array.from({ length: fanOut }, () => (2 * rng.uniform() - 1) * limit));
    layers.push({ weights, bias: new Array<number>(fanOut).fill(0) });
  }
  return { kind: "generator", noiseDim, hidden, layers, width: encoding.width, blocks, categoricalOutput, temperature };
}

/** A non-empty list of layer widths in [1, 4096]. */
export function requireWidths(field: string, widths: unknown): number[] {
  if (!Array.isArray(widths) || widths.length === 0) throw new InputError(field, "a non-empty array of hidden layer widths", widths);
  return widths.map((width, i) => requireNumber(`${field}[${i}]`, width, { min: 1, max: 4096, integer: true }));
}

/** Checks the generator's shapes (and, given an encoding, that it generates rows of that encoding). */
export function validateGenerator(generator: GeneratorData, encoding?: TabularEncoding, field = "generator"): GeneratorData {
  if (generator === null || typeof generator !== "object" || generator.kind !== "generator") {
    throw new InputError(field, "a generator from createGenerator or trainGan (kind \"generator\")", generator);
  }
  requireOneOf(`${field}.categoricalOutput`, generator.categoricalOutput, CATEGORICAL_OUTPUTS);
  requireNumber(`${field}.temperature`, generator.temperature, { min: 0, minExclusive: true });
  requireNumber(`${field}.noiseDim`, generator.noiseDim, { min: 1, integer: true });
  if (!Array.isArray(generator.blocks)) throw new InputError(`${field}.blocks`, "an array of output blocks", generator.blocks);
  if (!Array.isArray(generator.layers) || generator.layers.length < 1) {
    throw new InputError(`${field}.layers`, "a non-empty array of layers", generator.layers);
  }
  let width = generator.noiseDim;
  generator.layers.forEach((layer, l) => {
    const out = layer?.bias?.length;
    const ok =
      Array.isArray(layer.weights) && layer.weights.length === width && out > 0 && layer.weights.every((row) => Array.isArray(row) && row.length === out);
    if (!ok) throw new InputError(`${field}.layers[${l}]`, `weights [${width}][outputs] and bias [outputs]`, layer);
    width = out;
  });
  if (width !== generator.width) throw new InputError(`${field}.layers`, `a last layer with ${generator.width} outputs (the row width)`, width);
  let offset = 0;
  generator.blocks.forEach((block, i) => {
    if (block.offset !== offset || !(block.size >= 1)) throw new InputError(`${field}.blocks[${i}]`, `a block at offset ${offset}`, block.offset);
    offset += block.size;
  });
  if (offset !== generator.width) throw new InputError(`${field}.blocks`, `blocks covering ${generator.width} slots`, offset);
  if (encoding) {
    const expected = outputBlocks(encoding);
    const same =
      expected.length === generator.blocks.length &&
      expected.every(
        (b, i) =>
          b.activation === generator.blocks[i].activation &&
          b.offset === generator.blocks[i].offset &&
          b.size === generator.blocks[i].size &&
          b.columns.join("\u0000") === generator.blocks[i].columns.join("\u0000"),
      );
    if (!same) {
      throw new InputError(`${field}.blocks`, "the output layout of the encoding it is used with (same columns, kinds and category counts)", "a different layout");
    }
  }
  return generator;
}

export function generatorParameterCount(generator: GeneratorData): number {
  return generator.layers.reduce((n, l) => n + l.weights.length * l.bias.length + l.bias.length, 0);
}

export function generatorVariables(generator: GeneratorData): GeneratorVariables {
  return {
    layers: generator.layers.map((l) => ({
      weights: tf.tidy(() => tf.variable(tf.tensor2d(l.weights))),
      bias: tf.tidy(() => tf.variable(tf.tensor1d(l.bias))),
    })),
  };
}

/** The weights back to plain data, keeping the layout and options of `spec`. */
export function generatorFromVariables(spec: GeneratorData, variables: { layers: readonly DenseTensors[] }): GeneratorData {
  return {
    ...spec,
    hidden: [...spec.hidden],
    blocks: spec.blocks.map((b) => ({ ...b, columns: [...b.columns] })),
    layers: variables.layers.map((l) => ({ weights: l.weights.arraySync(), bias: l.bias.arraySync() })),
  };
}

export function disposeGenerator(variables: { layers: readonly DenseTensors[] }): void {
  for (const l of variables.layers) tf.dispose([l.weights, l.bias]);
}

/** [W0, b0, W1, b1, …]. */
export function generatorParameters(variables: GeneratorVariables): tf.Variable[] {
  return variables.layers.flatMap((l) => [l.weights, l.bias] as tf.Variable[]);
}

/** rows × noiseDim standard-normal noise, seeded from rng. Caller disposes. */
export function sampleLatent(rows: number, noiseDim: number, rng: Rng): tf.Tensor2D {
  return tf.randomNormal([rows, noiseDim], 0, 1, "float32", rng.seed()) as tf.Tensor2D;
}

/** Smallest Gumbel uniform, and 1 minus the largest (see generatorForward). */
const GUMBEL_U_MIN = 2 ** -24;

/**
 * G(z): the encoded rows for noise z. In gumbel-softmax mode Gumbel noise (seeded by
 * `gumbelSeed`, required then) is added to each categorical block's logits. Differentiable with
 * respect to the layers. Caller disposes the result.
 */
export function generatorForward(
  spec: Pick<GeneratorData, "blocks" | "categoricalOutput" | "temperature">,
  layers: readonly DenseTensors[],
  z: tf.Tensor2D,
  gumbelSeed?: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    let a: tf.Tensor2D = z;
    layers.forEach((layer, l) => {
      const h = tf.add(tf.matMul(a, layer.weights), layer.bias) as tf.Tensor2D;
      a = l + 1 < layers.length ? tf.relu(h) : h;
    });
    if (spec.blocks.every((b) => b.activation === "linear")) return a;
    const parts = spec.blocks.length === 1 ? [a] : tf.split(a, spec.blocks.map((b) => b.size), 1);
    const gumbel = spec.categoricalOutput === "gumbel-softmax";
    if (gumbel && gumbelSeed === undefined) throw new Error("generatorForward: gumbel-softmax needs a gumbelSeed");
    const seeds = gumbel ? createRng(gumbelSeed as number).fork("gumbel") : null;
    const out = spec.blocks.map((block, k) => {
      const logits = parts[k] as tf.Tensor2D;
      if (block.activation === "linear") return logits;
      let scores: tf.Tensor2D = logits;
      if (seeds) {
        // g = −log(−log U), U ~ Uniform(0, 1): argmax(logits + g) is a draw from softmax(logits).
        // In float32 a uniform draw can round to exactly 0 or 1, where g is infinite and the
        // softmax NaN: keep U inside [2⁻²⁴, 1 − 2⁻²⁴] (|g| ≤ 17).
        const u = tf.clipByValue(tf.randomUniform(logits.shape, 0, 1, "float32", seeds.seed()), GUMBEL_U_MIN, 1 - GUMBEL_U_MIN);
        scores = tf.add(logits, tf.neg(tf.log(tf.neg(tf.log(u))))) as tf.Tensor2D;
      }
      return tf.mul(tf.softmax(tf.div(scores, spec.temperature)), ONE_HOT_SCALE) as tf.Tensor2D;
    });
    return out.length === 1 ? out[0] : (tf.concat(out, 1) as tf.Tensor2D);
  });
}

/**
 * `rows` encoded rows from the generator (seeded: same seed, same rows). The rows are the raw
 * generator output: softmax blocks are probabilities × ONE_HOT_SCALE, not one-hot.
 */
export function generateRows(generator: GeneratorData, rows: number, seed: number | string): Float32Array[] {
  validateGenerator(generator);
  requireNumber("rows", rows, { min: 0, max: 10_000_000, integer: true });
  if (rows === 0) return [];
  const rng = createRng(seed).fork("generate");
  const flat = valuesOf(() => {
    const layers = generator.layers.map((l) => ({ weights: tf.tensor2d(l.weights), bias: tf.tensor1d(l.bias) }));
    const z = sampleLatent(rows, generator.noiseDim, rng);
    return generatorForward(generator, layers, z, rng.seed());
  });
  const out: Float32Array[] = new Array(rows);
  for (let i = 0; i < rows; i++) out[i] = flat.slice(i * generator.width, (i + 1) * generator.width);
  return out;
}
