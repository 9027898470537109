import { describe, expect, it } from "vitest";
import { calibrateComposedNoise, calibrateNoise, computeEpsilon, RdpAccountant, stepsFor } from "../src/privacy/accountant";
import { expectInputError } from "./helpers/expectInputError";
import { InputError } from "../src/validation/errors";

const delta = 1e-5;
const settings = [
  { name: "N=800 batch 32, 10 epochs", sampleRate: 32 / 800, steps: 250 },
  { name: "N=800 batch 32, 1 epoch", sampleRate: 32 / 800, steps: 25 },
  { name: "N=800 batch 64, 10 epochs", sampleRate: 64 / 800, steps: stepsFor({ epochs: 10, sampleRate: 64 / 800 }) },
  { name: "N=800 full batch, 20 epochs", sampleRate: 1, steps: 20 },
  { name: "MNIST batch 256, 60 epochs", sampleRate: 256 / 60000, steps: 14070 },
];
const targets = [0.25, 0.5, 1, 2, 4, 8];

describe("calibrateNoise returns the smallest σ within the target, never above it", () => {
  for (const setting of settings) {
    it.each(targets)(`${setting.name}: target ε = %d`, (targetEpsilon) => {
      const { sampleRate, steps } = setting;
      const result = calibrateNoise({ targetEpsilon, delta, sampleRate, steps });
      const at = (noiseMultiplier: number) =>
        computeEpsilon({ sampleRate, noiseMultiplier, steps, delta }).epsilon;

      expect(at(result.noiseMultiplier)).toBeLessThanOrEqual(targetEpsilon);
      expect(result.epsilon).toBe(at(result.noiseMultiplier));
      // Tight: 0.1 % less noise already spends more than the target.
      expect(at(result.noiseMultiplier * (1 - 1e-3))).toBeGreaterThan(targetEpsilon);
      expect(result.iterations).toBeGreaterThan(0);
    });
  }

  it("agrees with Opacus get_noise_multiplier (opacus/tests/accountants_test.py)", () => {
    // Opacus orders; Opacus stops its search once ε is within 0.01 below the target, so its σ
    // is an upper end: 1.3562 for 2000 steps, 1.416 for 90 epochs (2250 steps).
    const orders = [
      ...Array.from({ length: 99 }, (_, k) => (k + 11) / 10),
      ...Array.from({ length: 52 }, (_, k) => k + 12),
    ];
    const twoThousand = calibrateNoise({ targetEpsilon: 8, delta, sampleRate: 0.04, steps: 2000, orders });
    expect(twoThousand.noiseMultiplier).toBeCloseTo(1.3562, 4);
    const ninetyEpochs = calibrateNoise({ targetEpsilon: 8, delta, sampleRate: 0.04, steps: 2250, orders });
    expect(ninetyEpochs.noiseMultiplier).toBeLessThanOrEqual(1.416);
    expect(ninetyEpochs.noiseMultiplier).toBeGreaterThan(1.416 * 0.999);
  });

  it("a looser tolerance takes fewer evaluations and still stays within the target", () => {
    const fine = calibrateNoise({ targetEpsilon: 1, delta, sampleRate: 0.04, steps: 250 });
    const coarse = calibrateNoise({ targetEpsilon: 1, delta, sampleRate: 0.04, steps: 250, tolerance: 0.05 });
    expect(coarse.iterations).toBeLessThan(fine.iterations);
    expect(coarse.epsilon).toBeLessThanOrEqual(1);
    expect(coarse.noiseMultiplier).toBeGreaterThanOrEqual(fine.noiseMultiplier);
  });

  it("needs no noise for 0 steps", () => {
    expect(calibrateNoise({ targetEpsilon: 1, delta, sampleRate: 0.1, steps: 0 })).toMatchObject({
      noiseMultiplier: 0,
      epsilon: 0,
    });
  });

  it("reports a target no σ ≤ 1e6 reaches as an InputError on epsilon", () => {
    // With q = 1 and orders ≤ 256, ε ≥ (log(1/δ) + log 256)/255 ≈ 0.067 whatever σ.
    expect(() => calibrateNoise({ targetEpsilon: 0.01, delta, sampleRate: 1, steps: 10_000 })).toThrow(
      /^epsilon must be a target reachable with noiseMultiplier ≤ 1000000/,
    );
    expect(() => calibrateNoise({ targetEpsilon: 0.01, delta, sampleRate: 1, steps: 10_000 })).toThrow(InputError);
  });
});

describe("calibrateComposedNoise: one σ for several DP-SGD runs on the same rows", () => {
  const delta = 1e-5;
  const gan = { sampleRate: 128 / 800, steps: 500 };
  const labels = { sampleRate: 64 / 800, steps: 250 };

  it("is calibrateNoise for a single mechanism", () => {
    const alone = calibrateNoise({ targetEpsilon: 3, delta, ...gan });
    expect(calibrateComposedNoise({ targetEpsilon: 3, delta, mechanisms: [gan] }).noiseMultiplier).toBe(alone.noiseMultiplier);
  });

  it("needs more noise than either run alone, and the accountant of both runs stays within the target", () => {
    const both = calibrateComposedNoise({ targetEpsilon: 5, delta, mechanisms: [gan, labels] });
    for (const one of [gan, labels]) expect(both.noiseMultiplier).toBeGreaterThan(calibrateNoise({ targetEpsilon: 5, delta, ...one }).noiseMultiplier);
    const spent = (sigma: number) => {
      const accountant = new RdpAccountant();
      accountant.step({ noiseMultiplier: sigma, ...gan });
      accountant.step({ noiseMultiplier: sigma, ...labels });
      return accountant.getEpsilon(delta).epsilon;
    };
    expect(spent(both.noiseMultiplier)).toBeLessThanOrEqual(5);
    expect(spent(both.noiseMultiplier)).toBeCloseTo(both.epsilon, 10);
    expect(spent(both.noiseMultiplier * 0.999)).toBeGreaterThan(5);
  });

  it("names the field of a bad mechanism list", () => {
    expectInputError(() => calibrateComposedNoise({ targetEpsilon: 1, delta, mechanisms: [] }), "mechanisms");
    expectInputError(() => calibrateComposedNoise({ targetEpsilon: 1, delta, mechanisms: [{ sampleRate: 2, steps: 1 }] }), "sampleRate");
  });
});

describe("calibrateParameter: any parameter, any event, either accountant", () => {
  it("calibrates a Laplace scale and a flip probability (bounded by 1/2), never above the target", async () => {
    const { calibrateParameter, createAccountant } = await import("../src/privacy/accountant");
    const scales: number[] = [];
    for (const accountant of ["rdp", "pld"] as const) {
      const laplace = calibrateParameter({
        targetEpsilon: 0.5,
        delta: 1e-6,
        eventFor: (scale) => ({ kind: "laplace", noiseMultiplier: scale }),
        accountant,
        parameterName: "scale",
      });
      expect(laplace.epsilon).toBeLessThanOrEqual(0.5);
      scales.push(laplace.parameter);
      const check = createAccountant(accountant);
      check.compose({ kind: "laplace", noiseMultiplier: laplace.parameter * 0.99 });
      expect(check.getEpsilon(1e-6).epsilon).toBeGreaterThan(0.5);
    }
    // A Laplace of scale b is (1/b)-DP: PLD never needs more than b = 2; RDP's conversion
    // adds a margin even to a pure-DP curve, so it needs more.
    expect(scales[1]).toBeLessThanOrEqual(2 * (1 + 1e-4));
    expect(scales[0]).toBeGreaterThan(scales[1]);
    // Randomised response with flip probability p is log((1 − p)/p)-DP; ε falls as p grows to 1/2.
    const flip = calibrateParameter({
      targetEpsilon: Math.log(3),
      delta: 1e-6,
      eventFor: (p) => ({ kind: "pureDp", epsilon: Math.log((1 - p) / p), mechanism: "randomised response" }),
      accountant: "pld",
      maximum: 0.5,
    });
    expect(flip.parameter).toBeGreaterThanOrEqual(0.25 * (1 - 1e-3));
    expect(flip.parameter).toBeLessThan(0.26);
    expect(flip.epsilon).toBeLessThanOrEqual(Math.log(3));
    expectInputError(
      () => calibrateParameter({ targetEpsilon: 1e-9, delta: 1e-6, eventFor: (p) => ({ kind: "pureDp", epsilon: Math.log((1 - p) / p) + 1, mechanism: "x" }), maximum: 0.5 }),
      "epsilon",
    );
  });
});
