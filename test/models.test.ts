import { beforeAll, describe, expect, it } from "vitest";
import { tf, useBackend } from "../src/runtime/tensorflow";
import {
  createModel,
  evaluateModel,
  fromTensors,
  parameterCount,
  predictLogits,
  predictProbabilities,
  toTensors,
  toVariables,
  disposeModel,
  validateModelData,
  type ModelData,
} from "../src/models";
import { InputError } from "../src/validation/errors";

beforeAll(async () => {
  await useBackend();
});

describe("createModel", () => {
  it("builds logistic regression and MLPs of the requested shape", () => {
    const logistic = createModel({ kind: "logistic", inputSize: 5, seed: 1 });
    expect(logistic.layers).toHaveLength(1);
    expect(logistic.layers[0].weights).toHaveLength(5);
    expect(logistic.layers[0].weights[0]).toHaveLength(1);
    expect(parameterCount(logistic)).toBe(6);

    const mlp = createModel({ kind: "mlp", inputSize: 5, seed: 1 });
    expect(mlp.layers.map((l) => l.bias.length)).toEqual([16, 1]);
    expect(parameterCount(mlp)).toBe(5 * 16 + 16 + 16 + 1);

    const deep = createModel({ kind: "mlp", inputSize: 3, hidden: [8, 4], seed: 1 });
    expect(deep.layers.map((l) => [l.weights.length, l.bias.length])).toEqual([
      [3, 8],
      [8, 4],
      [4, 1],
    ]);
  });

  it("is deterministic in the seed", () => {
    const a = createModel({ kind: "mlp", inputSize: 5, seed: 3 });
    expect(createModel({ kind: "mlp", inputSize: 5, seed: 3 })).toEqual(a);
    expect(createModel({ kind: "mlp", inputSize: 5, seed: 4 })).not.toEqual(a);
    expect(a.layers.flatMap((l) => l.bias).every((b) => b === 0)).toBe(true);
  });

  it("rejects bad shapes with an InputError naming the field", () => {
    expect(() => createModel({ kind: "mlp", inputSize: 0 })).toThrow(/inputSize/);
    expect(() => createModel({ kind: "mlp", inputSize: 5, hidden: [4, 0] })).toThrow(/hidden\[1\]/);
    expect(() => createModel({ kind: "tree" as never, inputSize: 5 })).toThrow(InputError);
  });
});

describe("plain data ↔ tensors", () => {
  it("round-trips without leaking tensors", () => {
    const model = createModel({ kind: "mlp", inputSize: 4, seed: 2 });
    const before = tf.memory().numTensors;
    const tensors = toTensors(model);
    const back = fromTensors(tensors);
    disposeModel(tensors);
    const vars = toVariables(model);
    const back2 = fromTensors(vars);
    disposeModel(vars);
    expect(tf.memory().numTensors).toBe(before);
    for (const copy of [back, back2]) {
      copy.layers.forEach((layer, l) => {
        layer.weights.flat().forEach((w, i) => expect(w).toBeCloseTo(model.layers[l].weights.flat()[i], 6));
      });
    }
    expect(JSON.parse(JSON.stringify(back))).toEqual(back);
  });

  it("validates plain model data", () => {
    const model = createModel({ kind: "logistic", inputSize: 2, seed: 1 });
    expect(validateModelData(model)).toBe(model);
    const broken: ModelData = { kind: "logistic", layers: [{ weights: [[1], [2, 3]], bias: [0] }] };
    expect(() => validateModelData(broken)).toThrow(/model\.layers\[0\]/);
  });
});

describe("predictions", () => {
  const model: ModelData = {
    kind: "mlp",
    layers: [
      { weights: [[1, -1], [0.5, 2]], bias: [0, 1] },
      { weights: [[2], [-1]], bias: [0.5] },
    ],
  };

  it("computes logits by hand-checkable arithmetic", () => {
    // Row [1, 2]: hidden z = [1 + 1, −1 + 4 + 1] = [2, 4] → relu → logit = 4 − 4 + 0.5 = 0.5.
    // Row [−2, 0]: hidden z = [−2, 2 + 1] = [−2, 3] → relu [0, 3] → logit = −3 + 0.5 = −2.5.
    const before = tf.memory().numTensors;
    const logits = predictLogits(model, [[1, 2], [-2, 0]]);
    expect(tf.memory().numTensors).toBe(before);
    expect(logits[0]).toBeCloseTo(0.5, 6);
    expect(logits[1]).toBeCloseTo(-2.5, 6);
    const p = predictProbabilities(model, [[1, 2], [-2, 0]]);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 6);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(2.5)), 6);
    expect(predictLogits(model, [])).toEqual([]);
  });

  it("evaluates BCE and accuracy", () => {
    const { loss, accuracy } = evaluateModel(model, [[1, 2], [-2, 0]], [1, 1]);
    const want = (Math.log1p(Math.exp(-0.5)) + Math.log1p(Math.exp(2.5))) / 2;
    expect(loss).toBeCloseTo(want, 5);
    expect(accuracy).toBe(0.5);
  });

  it("rejects rows of the wrong width", () => {
    expect(() => predictLogits(model, [[1, 2, 3]])).toThrow(/x\[0\]/);
  });
});
