/**
 * The tensor side of a model: conversion to/from plain data, the forward pass and the loss.
 * Callers own (and dispose) what these functions return.
 */
import { tf } from "../runtime/tensorflow";
import type { ModelData, ModelKind } from "./types";

export interface DenseTensors<W extends tf.Tensor2D = tf.Tensor2D, B extends tf.Tensor1D = tf.Tensor1D> {
  weights: W;
  bias: B;
}

export interface ModelTensors {
  kind: ModelKind;
  layers: DenseTensors[];
}

/** Trainable form: updates assign in place, so the tensor count stays constant. */
export interface ModelVariables extends ModelTensors {
  layers: DenseTensors<tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>>[];
}

export function toTensors(model: ModelData): ModelTensors {
  return {
    kind: model.kind,
    layers: model.layers.map((l) => ({ weights: tf.tensor2d(l.weights), bias: tf.tensor1d(l.bias) })),
  };
}

export function toVariables(model: ModelData): ModelVariables {
  return {
    kind: model.kind,
    layers: model.layers.map((l) => ({
      // tf.variable shares the initial tensor's data; tidy then frees the initial tensor itself.
      weights: tf.tidy(() => tf.variable(tf.tensor2d(l.weights))),
      bias: tf.tidy(() => tf.variable(tf.tensor1d(l.bias))),
    })),
  };
}

export function fromTensors(model: ModelTensors): ModelData {
  return {
    kind: model.kind,
    layers: model.layers.map((l) => ({
      weights: l.weights.arraySync(),
      bias: l.bias.arraySync(),
    })),
  };
}

export function disposeModel(model: ModelTensors): void {
  for (const l of model.layers) tf.dispose([l.weights, l.bias]);
}

/** Parameters in a fixed order [W0, b0, W1, b1, …]; gradients use the same order. */
export function flatParameters(model: ModelTensors): tf.Tensor[] {
  return model.layers.flatMap((l) => [l.weights, l.bias]);
}

/** Rebuilds layers from a flat list (for autodiff, which differentiates w.r.t. a list). */
export function layersFromFlat(params: readonly tf.Tensor[]): DenseTensors[] {
  const layers: DenseTensors[] = [];
  for (let i = 0; i < params.length; i += 2) {
    layers.push({ weights: params[i] as tf.Tensor2D, bias: params[i + 1] as tf.Tensor1D });
  }
  return layers;
}

/** Logits [B] of a dense stack with ReLU between layers. */
export function forwardLogits(layers: readonly DenseTensors[], x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    let a: tf.Tensor2D = x;
    layers.forEach((layer, l) => {
      const z = tf.add(tf.matMul(a, layer.weights), layer.bias) as tf.Tensor2D;
      a = l + 1 < layers.length ? tf.relu(z) : z;
    });
    return tf.reshape(a, [-1]) as tf.Tensor1D;
  });
}

/** Per-example binary cross-entropy on logits, stable form max(z,0) − z·y + log(1 + e^−|z|). */
export function bceWithLogits(logits: tf.Tensor1D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() =>
    tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))),
  );
}
