/**
 * Using a trained GAN: sample a synthetic table from the generator, and ask the discriminator
 * how real rows look to it (the "final real/fake classification").
 *
 * Sampling is post-processing of the generator: it costs no privacy beyond what the training
 * trace reports (when that trace says the generator is covered). `discriminate` runs the
 * discriminator on whatever table it is given; on real rows its scores are a fresh computation on
 * those rows (e.g. a membership signal) and are not covered by the training's ε.
 */
import { tf, valuesOf } from "../runtime/tensorflow";
import { decodeRows, encodeTable, type TabularEncoding } from "../synthetic/encoding";
import { rowCount, type Table } from "../anonymity/table";
import { forwardLogits, toTensors, validateModelData, inputSizeOf, type ModelData } from "../models";
import { InputError, requireNumber } from "../validation/errors";
import { generateRows, requireEncoding, validateGenerator, type GeneratorData } from "./generator";

export interface SampleTrace {
  stage: "sampleSynthetic";
  rows: number;
  seed: number | string;
  columns: string[];
  categoricalOutput: GeneratorData["categoricalOutput"];
  /** How categorical blocks became categories. */
  decoding: string;
  /** Per categorical column, the share of each category in the sample. */
  categoryShares: Record<string, Record<string, number>>;
  /** Per numeric column, the sample's mean and standard deviation (decoded units). */
  numericSummary: Record<string, { mean: number; std: number; min: number; max: number }>;
  /** Numeric values outside the real column's [min, max] (kept as they are). */
  outOfRange: Record<string, number>;
  durationMs: number;
}

/**
 * `rows` synthetic rows as a Table with the encoding's columns: the generator's output decoded
 * with `decodeRows` (numeric slots un-standardised and rounded for integer columns, each
 * categorical block to its largest slot). Same seed, same table.
 */
export function sampleSynthetic(
  generator: GeneratorData,
  encoding: TabularEncoding,
  rows: number,
  seed: number | string,
): { output: Table; trace: SampleTrace } {
  const started = performance.now();
  requireEncoding(encoding);
  validateGenerator(generator, encoding);
  requireNumber("rows", rows, { min: 1, max: 10_000_000, integer: true });
  if (typeof seed !== "number" && typeof seed !== "string") throw new InputError("seed", "a number or a string", seed);
  const encoded = generateRows(generator, rows, seed);
  const table = decodeRows(encoded, encoding);
  const categoryShares: SampleTrace["categoryShares"] = {};
  const numericSummary: SampleTrace["numericSummary"] = {};
  const outOfRange: SampleTrace["outOfRange"] = {};
  for (const column of encoding.columns) {
    const values = table.data[column.name];
    if (column.kind === "categorical") {
      const shares: Record<string, number> = {};
      for (const c of column.categories) shares[String(c)] = 0;
      for (let i = 0; i < rows; i++) shares[String(values[i])] += 1 / rows;
      categoryShares[column.name] = shares;
    } else {
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      let outside = 0;
      for (let i = 0; i < rows; i++) {
        const v = values[i] as number;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
        if (v < column.min || v > column.max) outside++;
      }
      const mean = sum / rows;
      let squares = 0;
      for (let i = 0; i < rows; i++) squares += ((values[i] as number) - mean) ** 2;
      numericSummary[column.name] = { mean, std: Math.sqrt(squares / rows), min, max };
      outOfRange[column.name] = outside;
    }
  }
  return {
    output: table,
    trace: {
      stage: "sampleSynthetic",
      rows,
      seed,
      columns: [...table.columns],
      categoricalOutput: generator.categoricalOutput,
      decoding:
        generator.categoricalOutput === "gumbel-softmax"
          ? "each categorical block is a Gumbel-softmax draw; its largest slot is a sample from the block's softmax"
          : "each categorical block is a softmax; its largest slot (the mode for that z) is the category",
      categoryShares,
      numericSummary,
      outOfRange,
      durationMs: performance.now() - started,
    },
  };
}

export interface DiscriminateTrace {
  stage: "discriminate";
  rows: number;
  meanProbabilityReal: number;
  /** Share of rows with probability > 0.5 (called real). */
  shareCalledReal: number;
  note: string;
}

/**
 * The discriminator's probability that each row of `table` is real (encoded with `encoding`,
 * which must be the one the GAN was trained with).
 */
export function discriminate(
  discriminator: ModelData,
  table: Table,
  encoding: TabularEncoding,
): { output: { probabilities: number[] }; trace: DiscriminateTrace } {
  validateModelData(discriminator, "discriminator");
  requireEncoding(encoding);
  if (inputSizeOf(discriminator) !== encoding.width) {
    throw new InputError("discriminator", `a discriminator on rows of ${encoding.width} numbers (the encoding's width)`, `one on ${inputSizeOf(discriminator)}`);
  }
  const rows = rowCount(table);
  const encoded = encodeTable(table, encoding);
  let probabilities: number[] = [];
  if (rows > 0) {
    const flat = new Float32Array(rows * encoding.width);
    encoded.forEach((row, i) => flat.set(row, i * encoding.width));
    probabilities = Array.from(
      valuesOf(() => {
        const model = toTensors(discriminator);
        return tf.sigmoid(forwardLogits(model.layers, tf.tensor2d(flat, [rows, encoding.width])));
      }),
    );
  }
  const mean = rows > 0 ? probabilities.reduce((a, p) => a + p, 0) / rows : NaN;
  const calledReal = rows > 0 ? probabilities.filter((p) => p > 0.5).length / rows : NaN;
  return {
    output: { probabilities },
    trace: {
      stage: "discriminate",
      rows,
      meanProbabilityReal: mean,
      shareCalledReal: calledReal,
      note:
        "A GAN's discriminator ends near 0.5 on both real and synthetic rows when the generator has caught up; " +
        "scores on the training rows higher than on fresh rows are a membership signal.",
    },
  };
}
