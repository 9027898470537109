import { beforeAll, describe, expect, it } from "vitest";
import { UTTERANCE_WORDS, loadUtterances, secretSentence } from "../../src/data/utterances";
import {
  LocalTrainer,
  clipUpdate,
  createNextWordModel,
  encodeUtterances,
  federatedRound,
  flattenLayers,
  l2Norm,
  logProbabilities,
  oneHotBatch,
  secretCandidates,
  sentenceLogPerplexities,
  trainFederated,
  unflattenLayers,
  type Client,
  type RoundOptions,
} from "../../src/federated";
import { createRng } from "../../src/random/rng";
import { tf, useBackend } from "../../src/runtime/tensorflow";
import { perExampleGradNorms } from "../../src/privacy/dpsgd/perExampleGradients";
import { logAByQuadrature } from "../reference/rdpByQuadrature";
import { expectInputError, expectInputErrorAsync } from "../helpers/expectInputError";

beforeAll(async () => {
  await useBackend();
});

const dataset = loadUtterances();
const model = createNextWordModel({ words: UTTERANCE_WORDS, seed: 3 });
const clientsOf = (users: { userId: string; utterances: string[] }[]): Client[] =>
  users.map((u) => ({ userId: u.userId, examples: encodeUtterances(model, u.utterances) }));
const few = dataset.users.slice(0, 12);

describe("the next-word model", () => {
  it("encodes every word and the end of each utterance as one prediction from the words before", () => {
    const examples = encodeUtterances(model, ["call ada", "tell me a joke"]);
    expect(examples.targets.length).toBe(3 + 5);
    const index = (w: string) => model.vocabulary.indexOf(w);
    // "call ada": (<s>,<s>)→call, (<s>,call)→ada, (call,ada)→</s>.
    expect(Array.from(examples.contexts.slice(0, 6))).toEqual([0, 0, 0, index("call"), index("call"), index("ada")]);
    expect(Array.from(examples.targets.slice(0, 3))).toEqual([index("call"), index("ada"), 1]);
    expectInputError(() => encodeUtterances(model, ["call somebody"]), "utterances[0]");
  });

  it("scores a sentence by the same log-probabilities as its encoded examples", () => {
    const sentences = [["my", "number", "is", "one", "two", "three", "four"], ["call", "ada"]];
    const [first, second] = sentenceLogPerplexities(model, sentences);
    const direct = (words: string[]) => {
      const examples = encodeUtterances(model, [words.join(" ")]);
      const rows = logProbabilities(model, examples);
      return -rows.reduce((s, row, i) => s + row[examples.targets[i]], 0) / Math.LN2;
    };
    expect(first).toBeCloseTo(direct(sentences[0]), 4);
    expect(second).toBeCloseTo(direct(sentences[1]), 4);
    expect(secretCandidates("phone")).toHaveLength(10_000);
    expect(secretCandidates("address")).toHaveLength(800);
  });

  it("takes local steps whose first is −lr × the autodiff gradient of the mean cross-entropy", () => {
    const examples = encodeUtterances(model, few[0].utterances);
    const global = flattenLayers(model.layers);
    const trainer = new LocalTrainer(model);
    const delta = trainer.update(global, examples, { localSteps: 1, learningRate: 0.5 });
    trainer.dispose();
    const batch = oneHotBatch(model.vocabulary.length, examples);
    const params = model.layers.flatMap((l) => [tf.tensor2d(l.weights), tf.tensor1d(l.bias)]);
    const grads = tf.grads((...p: tf.Tensor[]) => {
      const hidden = tf.relu(tf.add(tf.matMul(batch.x, p[0] as tf.Tensor2D), p[1]));
      const logits = tf.add(tf.matMul(hidden as tf.Tensor2D, p[2] as tf.Tensor2D), p[3]);
      return tf.mean(tf.neg(tf.sum(tf.mul(batch.y, tf.logSoftmax(logits)), 1)));
    })(params);
    const expected = grads.flatMap((g) => Array.from(g.dataSync(), (v) => -0.5 * v));
    tf.dispose([...grads, ...params, batch.x, batch.y]);
    expect(delta.length).toBe(expected.length);
    const worst = expected.reduce((m, e, i) => Math.max(m, Math.abs(e - delta[i])), 0);
    expect(worst).toBeLessThan(1e-5);
    expect(l2Norm(delta)).toBeGreaterThan(0.01);
  });

  it("gets per-example gradient norms of the softmax model from DP-SGD's vectorised code that autodiff confirms", () => {
    const examples = encodeUtterances(model, ["call ada", "my number is one two three four"]);
    const batch = oneHotBatch(model.vocabulary.length, examples);
    const tensors = model.layers.flatMap((l) => [tf.tensor2d(l.weights), tf.tensor1d(l.bias)]);
    const norms = perExampleGradNorms({ kind: "mlp", layers: [0, 1].map((l) => ({ weights: tensors[2 * l] as tf.Tensor2D, bias: tensors[2 * l + 1] as tf.Tensor1D })) }, batch);
    const n = examples.targets.length;
    for (let i = 0; i < n; i++) {
      const x = tf.slice(batch.x, [i, 0], [1, -1]);
      const y = tf.slice(batch.y, [i, 0], [1, -1]);
      const grads = tf.grads((...p: tf.Tensor[]) => {
        const hidden = tf.relu(tf.add(tf.matMul(x, p[0] as tf.Tensor2D), p[1]));
        const logits = tf.add(tf.matMul(hidden as tf.Tensor2D, p[2] as tf.Tensor2D), p[3]);
        return tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits))));
      })(tensors);
      const norm = Math.sqrt(grads.reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0], 0));
      expect(norms[i]).toBeCloseTo(norm, 4);
      tf.dispose([x, y, ...grads]);
    }
    tf.dispose([...tensors, batch.x, batch.y]);
  });

  it("sends an update of exactly zero for a client with nothing to learn from", () => {
    const trainer = new LocalTrainer(model);
    const none = encodeUtterances(model, []);
    const delta = trainer.update(flattenLayers(model.layers), none, { localSteps: 3, learningRate: 1 });
    trainer.dispose();
    expect(delta.every((d) => d === 0)).toBe(true);
  });
});

describe("FedAvg rounds", () => {
  const options: RoundOptions = {
    sampleRate: 1,
    local: { localSteps: 3, learningRate: 1 },
    serverLearningRate: 1,
    privacy: { clipNorm: 0.3, noiseMultiplier: 1 },
    keepUpdates: true,
  };

  it("trains each client on its own utterances only: a value planted in one user changes no other update", () => {
    const planted = few.map((u, i) =>
      i === 4 ? { ...u, utterances: u.utterances.map((t, j) => (j === 0 ? secretSentence("phone", ["nine", "nine", "one", "two"]) : t)) } : u,
    );
    const trainer = new LocalTrainer(model);
    const a = federatedRound(model, clientsOf(few), 0, options, createRng(1), trainer);
    const b = federatedRound(model, clientsOf(planted), 0, options, createRng(1), trainer);
    trainer.dispose();
    expect(a.output.sampled).toEqual(few.map((u) => u.userId));
    a.output.updates!.forEach((update, i) => {
      if (i === 4) expect(Array.from(update)).not.toEqual(Array.from(b.output.updates![i]));
      else expect(Array.from(update)).toEqual(Array.from(b.output.updates![i]));
    });
    // …while the aggregate does carry the planted user's change.
    expect(flattenLayers(a.output.model.layers)).not.toEqual(flattenLayers(b.output.model.layers));
  });

  it("clips every user's update to norm C before summing", () => {
    const trainer = new LocalTrainer(model);
    const { trace } = federatedRound(model, clientsOf(few), 0, options, createRng(2), trainer);
    trainer.dispose();
    expect(trace.updateNorms.some((n) => n > 0.3)).toBe(true);
    trace.clippedNorms.forEach((n, i) => {
      expect(n).toBeLessThanOrEqual(0.3 * (1 + 1e-12));
      expect(n).toBeCloseTo(Math.min(trace.updateNorms[i], 0.3), 12);
    });
    expect(trace.clippedFraction).toBe(trace.updateNorms.filter((n) => n > 0.3).length / trace.usersSampled);
    const { clipped } = clipUpdate([3, 4], 1);
    expect(l2Norm(clipped)).toBeCloseTo(1, 12);
    expect(Array.from(clipUpdate([0.3, 0.4], 1).clipped)).toEqual([0.3, 0.4]);
  });

  it("adds noise of σC/(qN) per coordinate to the average", () => {
    // A learning rate of ~0 leaves every update ~0, so the server's step is the noise alone.
    const quiet: RoundOptions = { ...options, keepUpdates: false, local: { localSteps: 1, learningRate: 1e-12 }, privacy: { clipNorm: 2, noiseMultiplier: 1.5 } };
    const trainer = new LocalTrainer(model);
    const { output } = federatedRound(model, clientsOf(few), 0, { ...quiet, sampleRate: 0.5 }, createRng(3), trainer);
    trainer.dispose();
    const before = flattenLayers(model.layers);
    const after = flattenLayers(output.model.layers);
    const steps = Array.from(after, (w, i) => w - before[i]);
    const std = Math.sqrt(steps.reduce((s, d) => s + d * d, 0) / steps.length);
    const expected = (1.5 * 2) / (0.5 * few.length);
    expect(Math.abs(std - expected) / expected).toBeLessThan(0.05);
  });
});

describe("DP-FedAvg accounting", () => {
  it("reports the ε of an independent computation with q = users per round / users, per user", async () => {
    const clients = clientsOf(dataset.users.slice(0, 30));
    const delta = 1e-5;
    const { output, trace } = await trainFederated(model, clients, {
      rounds: 4,
      usersPerRound: 6,
      epsilon: 3,
      delta,
      localSteps: 1,
      seed: 5,
    });
    const privacy = trace.privacy!;
    expect(privacy.unit).toBe("user");
    expect(privacy.sampleRate).toBe(6 / 30);
    expect(privacy.event).toEqual({
      kind: "selfComposed",
      count: 4,
      event: { kind: "poissonSampled", sampleRate: 0.2, event: { kind: "gaussian", noiseMultiplier: privacy.noiseMultiplier } },
    });
    // Independent: RDP by numerical integration (test/reference), the conversion of Balle et al.
    // 2020 written out, over the accountant's grid of orders.
    const orders = [...Array.from({ length: 99 }, (_, i) => (i + 11) / 10), ...Array.from({ length: 54 }, (_, i) => i + 11), 128, 256];
    const epsilon = Math.min(
      ...orders.map((alpha) => {
        const rdp = (4 * logAByQuadrature(0.2, privacy.noiseMultiplier, alpha)) / (alpha - 1);
        return rdp + Math.log1p(-1 / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
      }),
    );
    expect(privacy.epsilon).toBeCloseTo(epsilon, 6);
    expect(privacy.epsilon).toBeLessThanOrEqual(3);
    expect(trace.rounds.map((r) => r.epsilon)).toEqual([...trace.rounds.map((r) => r.epsilon)].sort((a, b) => a! - b!));
    expect(trace.rounds[3].epsilon).toBe(privacy.epsilon);
    expect(unflattenLayers(flattenLayers(output.layers), output.layers)).toEqual(output.layers);
  });

  it("rejects bad settings with named errors before training", async () => {
    const clients = clientsOf(few);
    const base = { rounds: 2, usersPerRound: 3, epsilon: 1 };
    await expectInputErrorAsync(() => trainFederated(model, clients, { ...base, epsilon: 0 }), "epsilon");
    await expectInputErrorAsync(() => trainFederated(model, clients, { ...base, epsilon: -1 }), "epsilon");
    await expectInputErrorAsync(() => trainFederated(model, clients, { ...base, rounds: 0 }), "rounds");
    await expectInputErrorAsync(() => trainFederated(model, clients, { ...base, usersPerRound: 13 }), "usersPerRound", /\[1, 12\]/);
    await expectInputErrorAsync(() => trainFederated(model, [], base), "clients");
    expectInputError(() => clipUpdate([1], 0), "clipNorm");
  });
});
