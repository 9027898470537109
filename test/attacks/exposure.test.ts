import { beforeAll, describe, expect, it } from "vitest";
import { trainerFor } from "../../src/attacks/trainer";
import { loadMembershipData } from "../../src/data/membershipData";
import { PATIENT_FEATURE_NAMES, RARE_CODES } from "../../src/data/patients";
import { candidateSecrets, canaryExposureTest, exposure, rankSecret, recordWithSecret, type SecretTemplate } from "../../src/memorisation/exposure";
import { createModel } from "../../src/models/init";
import { useBackend } from "../../src/runtime/tensorflow";
import { expectInputError } from "../helpers/expectInputError";

beforeAll(async () => {
  await useBackend();
});

describe("exposure (hand-worked)", () => {
  it("lists every secret and measures exposure in bits", () => {
    expect(candidateSecrets([3, 5, 8, 9], 2)).toEqual([[3, 5], [3, 8], [3, 9], [5, 8], [5, 9], [8, 9]]);
    expect(candidateSecrets([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toHaveLength(210);
    expect(exposure(1, 1024)).toBe(10);
    expect(exposure(1024, 1024)).toBe(0);
    expect(exposure(4, 64)).toBe(4);
  });

  it("ranks the true secret by the model's loss, ties counted against it", () => {
    // Logistic model whose logit is the sum of features 1..3 (weights 3, 2, 1).
    const model = createModel({ kind: "logistic", inputSize: 4, seed: 1 });
    model.layers[0].weights = [[0], [3], [2], [1]];
    model.layers[0].bias = [0];
    const template: SecretTemplate = { base: [5, 0, 0, 0], label: 1, secretColumns: [1, 2, 3], secretSize: 2 };
    expect(recordWithSecret(template, [1, 3])).toEqual([5, 1, 0, 1]);
    // Label 1: the highest logit has the lowest loss. {1,2}: 5, {1,3}: 4, {2,3}: 3.
    expect(rankSecret(model, template, [1, 2])).toMatchObject({ rank: 1, candidates: 3, exposure: Math.log2(3) });
    expect(rankSecret(model, template, [2, 3]).rank).toBe(3);
    model.layers[0].weights = [[0], [1], [1], [1]]; // every candidate ties
    expect(rankSecret(model, template, [1, 2]).rank).toBe(3);
    expect(rankSecret(model, template, [1, 2]).exposure).toBe(0);
  });

  it("rejects bad inputs", () => {
    const model = createModel({ kind: "logistic", inputSize: 4 });
    const good: SecretTemplate = { base: [0, 0, 0, 0], label: 1, secretColumns: [1, 2, 3], secretSize: 2 };
    expectInputError(() => rankSecret(model, { ...good, secretSize: 3 }, [1, 2, 3]), "template.secretSize");
    expectInputError(() => rankSecret(model, { ...good, secretColumns: [1, 4] }, [1]), "template.secretColumns[1]");
    expectInputError(() => rankSecret(model, { ...good, secretColumns: [1, 1, 2] }, [1]), "template.secretColumns[1]");
    expectInputError(() => rankSecret(model, { ...good, label: 2 as never }, [1, 2]), "template.label");
    expectInputError(() => rankSecret(model, good, [0, 1]), "secret");
    expectInputError(() => exposure(0, 4), "rank");
  });
});

describe("secret sharer on the hospital data", () => {
  const data = loadMembershipData("patients", { rows: 600, seed: 7 }).members;
  const template: SecretTemplate = {
    base: new Array(PATIENT_FEATURE_NAMES.length).fill(0),
    label: 1,
    secretColumns: RARE_CODES.map((code) => PATIENT_FEATURE_NAMES.indexOf(`dx:${code}`)),
    secretSize: 4,
  };

  it("exposes a canary's rare diagnoses more without DP than with it (seeded run)", async () => {
    const recipe = { model: "mlp" as const, hidden: [16], batchSize: 64 };
    const leaky = await canaryExposureTest({ data, template, repeats: 2, seed: 3, train: trainerFor({ ...recipe, epsilon: Infinity, epochs: 30 }) });
    const privateRun = await canaryExposureTest({ data, template, repeats: 2, seed: 3, train: trainerFor({ ...recipe, epsilon: 1, epochs: 10 }) });
    expect(leaky.output.secret).toEqual(privateRun.output.secret); // same canary, same candidates
    expect(leaky.output.candidates).toBe(210);
    expect(leaky.trace.maxExposure).toBeCloseTo(Math.log2(210), 12);
    expect(leaky.output.exposure).toBeGreaterThan(privateRun.output.exposure);
    expect(leaky.output.exposure).toBeGreaterThan(5);
  });

  it("rejects a template that does not fit the data", async () => {
    await expect(canaryExposureTest({ data, template: { ...template, base: [0, 0, 0] }, train: trainerFor({}) })).rejects.toMatchObject({ field: "template.secretColumns[0]" });
    await expect(canaryExposureTest({ data, template, repeats: 0, train: trainerFor({}) })).rejects.toMatchObject({ field: "repeats" });
  });
});
