/**
 * A small next-word model, as plain data: the previous `context` words, each one-hot over the
 * vocabulary, go through an embedding layer (one dense layer on the concatenated one-hots, i.e.
 * the sum of a learned vector per word and position, then ReLU) and a dense softmax layer over
 * the vocabulary. A few thousand parameters: a 2-core machine trains it in seconds.
 *
 * The layers are the course's dense layers (`LayerData`), so the per-example gradient machinery
 * of DP-SGD (src/privacy/dpsgd, softmax form) trains it unchanged.
 */
import type { LayerData } from "../models/types";
import { tf, valuesOf } from "../runtime/tensorflow";
import { createRng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";
import type { OneHotBatch } from "../privacy/dpsgd/perExampleGradients";

export const START = "<s>";
export const END = "</s>";

export interface NextWordModel {
  kind: "next-word";
  /** Index 0 is START (the padding before the first word), 1 is END. */
  vocabulary: string[];
  /** How many previous words the model sees. */
  context: number;
  /** [context·V → embedding] with ReLU, then [embedding → V] logits. */
  layers: LayerData[];
}

export interface CreateNextWordModelOptions {
  words: readonly string[];
  context?: number;
  embedding?: number;
  seed?: number | string;
}

export const NEXT_WORD_DEFAULTS = { context: 2, embedding: 16 } as const;

/** Weights drawn in plain JS from the seed (the same on every backend), as `createModel` does. */
export function createNextWordModel(options: CreateNextWordModelOptions): NextWordModel {
  if (!Array.isArray(options.words) || options.words.length === 0) {
    throw new InputError("words", "a non-empty list of words", options.words);
  }
  const vocabulary = [START, END, ...new Set(options.words)];
  if (vocabulary.length !== options.words.length + 2 || options.words.some((w) => w === START || w === END || !w)) {
    throw new InputError("words", `distinct non-empty words other than ${START} and ${END}`, options.words);
  }
  const context = requireNumber("context", options.context ?? NEXT_WORD_DEFAULTS.context, { min: 1, max: 8, integer: true });
  const embedding = requireNumber("embedding", options.embedding ?? NEXT_WORD_DEFAULTS.embedding, { min: 1, max: 512, integer: true });
  const rng = createRng(options.seed ?? 7).fork("next-word-init");
  const v = vocabulary.length;
  const dense = (fanIn: number, fanOut: number, limit: number): LayerData => ({
    weights: Array.from({ length: fanIn }, () => Array.from({ length: fanOut }, () => (2 * rng.uniform() - 1) * limit)),
    bias: new Array<number>(fanOut).fill(0),
  });
  // One-hot inputs have norm √context: He-uniform on the number of active inputs keeps the
  // embedding's scale independent of the vocabulary size; Glorot-uniform for the output.
  return {
    kind: "next-word",
    vocabulary,
    context,
    layers: [dense(context * v, embedding, Math.sqrt(6 / context)), dense(embedding, v, Math.sqrt(6 / (embedding + v)))],
  };
}

/** Next-word examples: row i predicts targets[i] from contexts[i·k … i·k + k − 1] (oldest first). */
export interface NextWordExamples {
  context: number;
  contexts: Int32Array;
  targets: Int32Array;
}

export function exampleCount(examples: NextWordExamples): number {
  return examples.targets.length;
}

function indexOf(model: Pick<NextWordModel, "vocabulary">): Map<string, number> {
  return new Map(model.vocabulary.map((w, i) => [w, i]));
}

/** Word indices of an utterance; a word outside the vocabulary is an InputError naming it. */
export function encodeWords(model: Pick<NextWordModel, "vocabulary">, words: readonly string[], field = "utterance"): number[] {
  const index = indexOf(model);
  return words.map((w) => {
    const i = index.get(w);
    if (i === undefined || i < 2) throw new InputError(field, "words of the model's vocabulary", w);
    return i;
  });
}

/** Every next-word prediction in the utterances: each word and the END after the last one. */
export function encodeUtterances(model: Pick<NextWordModel, "vocabulary" | "context">, utterances: readonly string[]): NextWordExamples {
  const k = model.context;
  const contexts: number[] = [];
  const targets: number[] = [];
  utterances.forEach((text, u) => {
    const words = encodeWords(model, text.split(" "), `utterances[${u}]`);
    const sequence = [...new Array<number>(k).fill(0), ...words, 1];
    for (let t = k; t < sequence.length; t++) {
      for (let j = t - k; j < t; j++) contexts.push(sequence[j]);
      targets.push(sequence[t]);
    }
  });
  return { context: k, contexts: Int32Array.from(contexts), targets: Int32Array.from(targets) };
}

/** The rows `indices` (all when omitted) as one-hot tensors. Caller disposes. */
export function oneHotBatch(vocabularySize: number, examples: NextWordExamples, indices?: Int32Array): OneHotBatch {
  const k = examples.context;
  const rows = indices ?? Int32Array.from({ length: exampleCount(examples) }, (_, i) => i);
  const ctx = new Int32Array(rows.length * k);
  const tgt = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    for (let j = 0; j < k; j++) ctx[i * k + j] = examples.contexts[r * k + j];
    tgt[i] = examples.targets[r];
  });
  return tf.tidy(() => {
    // Position j's one-hot occupies columns [j·V, (j+1)·V): offset each index by j·V.
    const offsets = tf.add(tf.tensor2d(ctx, [rows.length, k], "int32"), tf.range(0, k * vocabularySize, vocabularySize, "int32"));
    const oneHots = tf.oneHot(tf.reshape(offsets, [-1]) as tf.Tensor1D, k * vocabularySize);
    const x = tf.sum(tf.reshape(oneHots, [rows.length, k, k * vocabularySize]), 1);
    return { x: tf.cast(x, "float32") as tf.Tensor2D, y: tf.cast(tf.oneHot(tf.tensor1d(tgt, "int32"), vocabularySize), "float32") as tf.Tensor2D };
  });
}

/** Logits [B, V] of the layers (ReLU between them). Call inside tf.tidy. */
export function nextWordLogits(layers: readonly { weights: tf.Tensor2D; bias: tf.Tensor1D }[], x: tf.Tensor2D): tf.Tensor2D {
  let a = x;
  layers.forEach((layer, l) => {
    const z = tf.add(tf.matMul(a, layer.weights), layer.bias) as tf.Tensor2D;
    a = l + 1 < layers.length ? tf.relu(z) : z;
  });
  return a;
}

const CHUNK = 4096;

/** log P(word | context) for every word, one row per example: [rows][V]. */
export function logProbabilities(model: NextWordModel, examples: NextWordExamples): Float32Array[] {
  const n = exampleCount(examples);
  const v = model.vocabulary.length;
  const out: Float32Array[] = [];
  const weights = model.layers.map((l) => ({ weights: tf.tensor2d(l.weights), bias: tf.tensor1d(l.bias) }));
  try {
    for (let start = 0; start < n; start += CHUNK) {
      const rows = Int32Array.from({ length: Math.min(CHUNK, n - start) }, (_, i) => start + i);
      const values = valuesOf(() => tf.logSoftmax(nextWordLogits(weights, oneHotBatch(v, examples, rows).x)));
      for (let i = 0; i < rows.length; i++) out.push(values.subarray(i * v, (i + 1) * v));
    }
  } finally {
    tf.dispose(weights.flatMap((w) => [w.weights, w.bias]));
  }
  return out;
}

export interface NextWordScore {
  examples: number;
  /** Share of predictions whose most likely word is the right one. */
  accuracy: number;
  /** Mean −log P(right word), nats. */
  loss: number;
}

export function scoreNextWord(model: NextWordModel, examples: NextWordExamples): NextWordScore {
  const n = exampleCount(examples);
  if (n === 0) return { examples: 0, accuracy: NaN, loss: NaN };
  const rows = logProbabilities(model, examples);
  let correct = 0;
  let loss = 0;
  rows.forEach((row, i) => {
    const target = examples.targets[i];
    let best = 0;
    for (let w = 1; w < row.length; w++) if (row[w] > row[best]) best = w;
    if (best === target) correct++;
    loss -= row[target];
  });
  return { examples: n, accuracy: correct / n, loss: loss / n };
}

/** Parameters as one vector, layer by layer: W (row-major) then b. */
export function flattenLayers(layers: readonly LayerData[]): Float64Array {
  const size = layers.reduce((s, l) => s + l.weights.length * l.bias.length + l.bias.length, 0);
  const out = new Float64Array(size);
  let at = 0;
  for (const l of layers) {
    for (const row of l.weights) for (const w of row) out[at++] = w;
    for (const b of l.bias) out[at++] = b;
  }
  return out;
}

/** The inverse of flattenLayers, with the shapes of `like`. */
export function unflattenLayers(flat: ArrayLike<number>, like: readonly LayerData[]): LayerData[] {
  let at = 0;
  return like.map((l) => ({
    weights: l.weights.map((row) => row.map(() => flat[at++])),
    bias: l.bias.map(() => flat[at++]),
  }));
}
