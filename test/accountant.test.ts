import { describe, expect, it } from "vitest";
import {
  DEFAULT_ORDERS,
  RdpAccountant,
  computeEpsilon,
  computeRdp,
  rdpToEpsilon,
  stepsFor,
} from "../src/privacy/accountant";
import { logAFractionalOrder, logAIntegerOrder } from "../src/privacy/accountant/rdp";
import {
  balleEpsilon,
  classicEpsilon,
  logAByQuadrature,
  rdpByQuadrature,
} from "./reference/rdpByQuadrature";

const relativeError = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

interface Case {
  name: string;
  q: number;
  sigma: number;
  steps: number;
  delta: number;
}

// Small-data settings of the course: N = 800, batches of 32 or 64, or the full batch.
const N = 800;
const cases: Case[] = [
  { name: "q=1 σ=1, 1 step", q: 1, sigma: 1, steps: 1, delta: 1e-5 },
  { name: "N=800 full batch σ=0.6, 1 epoch", q: 1, sigma: 0.6, steps: 1, delta: 1e-5 },
  { name: "N=800 full batch σ=2, 5 epochs", q: 1, sigma: 2, steps: 5, delta: 1e-3 },
  { name: "N=800 full batch σ=0.8, 10 epochs", q: 1, sigma: 0.8, steps: 10, delta: 1e-5 },
  { name: "N=800 full batch σ=4, 20 epochs", q: 800 / N, sigma: 4, steps: 20, delta: 1e-5 },
  // The TF Privacy MNIST tutorial (batch 256 of 60 000, σ = 1.1, 60 epochs).
  { name: "MNIST q=256/60000 σ=1.1, 14070 steps", q: 256 / 60000, sigma: 1.1, steps: 14070, delta: 1e-5 },
  { name: "MNIST q=256/60000 σ=1.3, 15 epochs", q: 256 / 60000, sigma: 1.3, steps: 3516, delta: 1e-5 },
  ...[
    [32, 0.6, 1, 1e-5],
    [32, 1.0, 5, 1e-5],
    [32, 1.1, 10, 1e-5],
    [32, 2, 20, 1e-3],
    [32, 4, 20, 1e-5],
    [64, 0.6, 1, 1e-5],
    [64, 0.8, 5, 1e-5],
    [64, 1.5, 10, 1e-6],
    [64, 3, 20, 1e-5],
  ].map(([batch, sigma, epochs, delta]) => ({
    name: `N=800 batch ${batch} σ=${sigma}, ${epochs} epochs`,
    q: batch / N,
    sigma,
    steps: stepsFor({ epochs, sampleRate: batch / N }),
    delta,
  })),
  { name: "Opacus test q=0.04 σ=1.5, 2250 steps", q: 0.04, sigma: 1.5, steps: 2250, delta: 1e-5 },
  { name: "q=0.01 σ=0.7, 120 steps", q: 0.01, sigma: 0.7, steps: 120, delta: 1e-5 },
  { name: "q=0.01 σ=0.35, 120 steps (fractional order)", q: 0.01, sigma: 0.35, steps: 120, delta: 1e-5 },
  { name: "q=0.2 σ=1, 50 steps", q: 0.2, sigma: 1, steps: 50, delta: 1e-5 },
];

describe("ε against an independent quadrature of A_α (Balle et al. conversion, default orders)", () => {
  it.each(cases)("$name", ({ q, sigma, steps, delta }) => {
    const ours = computeEpsilon({ sampleRate: q, noiseMultiplier: sigma, steps, delta });
    const referenceRdp = rdpByQuadrature(q, sigma, steps, DEFAULT_ORDERS);
    const reference = balleEpsilon(DEFAULT_ORDERS, referenceRdp, delta);
    expect(relativeError(ours.epsilon, reference.epsilon)).toBeLessThan(0.01);
    expect(ours.order).toBe(reference.order);
    // The whole RDP curve agrees far more tightly than 1 %.
    const rdp = computeRdp({ sampleRate: q, noiseMultiplier: sigma, steps });
    rdp.forEach((value, k) => expect(relativeError(value, referenceRdp[k])).toBeLessThan(1e-6));
  });

  it("q = 1 is the Gaussian mechanism: RDP = steps·α/(2σ²) (closed form)", () => {
    const rdp = computeRdp({ sampleRate: 1, noiseMultiplier: 1.7, steps: 3 });
    rdp.forEach((value, k) => {
      expect(relativeError(value, (3 * DEFAULT_ORDERS[k]) / (2 * 1.7 * 1.7))).toBeLessThan(1e-15);
    });
  });

  it("reaches its best ε at a fractional order when the loss is large", () => {
    const { order } = computeEpsilon({ sampleRate: 0.01, noiseMultiplier: 0.35, steps: 120, delta: 1e-5 });
    expect(Number.isInteger(order)).toBe(false);
    expect(order).toBeCloseTo(1.6, 12);
  });

  it("fractional-order series: agrees with quadrature at hard settings (slow tails, tiny σ, q near 1)", () => {
    for (const [q, sigma, alpha] of [
      [0.08, 0.6, 1.1], // σ²·log(1/q − 1) ≈ 1/2: the tail decays like i^{−3.1}
      [0.5, 1, 1.5],
      [0.004, 0.3, 2.5],
      [0.9, 0.5, 3.3],
      [0.04, 4, 10.9],
      [0.3, 0.2, 7.7],
    ]) {
      const got = logAFractionalOrder(q, sigma, alpha);
      expect(relativeError(got, logAByQuadrature(q, sigma, alpha))).toBeLessThan(1e-7);
    }
  });

  it("fractional-order series at an integer order equals the binomial sum", () => {
    for (const [q, sigma, alpha] of [
      [0.04, 1.1, 2],
      [0.3, 0.7, 5],
      [0.001, 2, 17],
    ]) {
      const fractional = logAFractionalOrder(q, sigma, alpha);
      const integer = logAIntegerOrder(q, sigma, alpha);
      expect(relativeError(fractional, integer)).toBeLessThan(1e-10);
      // …and is continuous across it.
      expect(relativeError(logAFractionalOrder(q, sigma, alpha + 1e-9), integer)).toBeLessThan(1e-6);
    }
  });
});

// Published numbers from the reference implementations' own tests and docs.
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
const tenths = range(11, 109).map((k) => k / 10);
/** Opacus RDPAccountant.DEFAULT_ALPHAS and the orders of TF Privacy's tutorials until 2020. */
const opacusOrders = [...tenths, ...range(12, 63)];
/** dp_accounting DEFAULT_RDP_ORDERS. */
const dpAccountingOrders = [...tenths, ...range(11, 63), 128, 256, 512, 1024];
/** Orders in TF Privacy compute_dp_sgd_privacy_lib.compute_dp_sgd_privacy. */
const tfPrivacyOrders = [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, ...range(5, 63), 128, 256, 512];

describe("published values", () => {
  it("Opacus opacus/tests/accountants_test.py test_rdp_accountant: 7.32911117143", () => {
    const accountant = new RdpAccountant({ orders: opacusOrders });
    for (let k = 0; k < 2250; k++) accountant.step({ noiseMultiplier: 1.5, sampleRate: 0.04 });
    expect(accountant.history).toEqual([{ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250 }]);
    expect(relativeError(accountant.getEpsilon(1e-5).epsilon, 7.32911117143)).toBeLessThan(1e-9);
  });

  // tensorflow/privacy tensorflow_privacy/privacy/analysis/compute_dp_sgd_privacy_test.py,
  // test_compute_dp_sgd_privacy: (n, batch, σ, epochs, δ) → (ε, order), steps = ⌈epochs·n/batch⌉.
  // Test2 is the value from before April 2024 (5907982.31138195); since then dp_accounting sums
  // the fractional-order series without signs, an upper bound (5907982.3113984).
  it.each([
    [60000, 150, 1.3, 15, 1e-5, 0.7242234026109595, 19],
    [100000, 100, 1.0, 30, 1e-7, 1.4154988495444842, 13],
    [100000000, 1024, 0.1, 10, 1e-7, 5907982.31138195, 1.25],
  ])("TF Privacy compute_dp_sgd_privacy(n=%d, batch=%d, σ=%d, epochs=%d, δ=%d) = %d at order %d", (n, batch, sigma, epochs, delta, epsilon, order) => {
    const result = computeEpsilon({
      sampleRate: batch / n,
      noiseMultiplier: sigma,
      steps: Math.ceil((epochs * n) / batch),
      delta,
      orders: tfPrivacyOrders,
    });
    expect(relativeError(result.epsilon, epsilon)).toBeLessThan(1e-9);
    expect(result.order).toBe(order);
  });

  // Same file, test_compute_dp_sgd_example_privacy (1.2 epochs, σ = 0.7, δ = 1e-5, halved σ with
  // microbatching), dp_accounting default orders. Values from before April 2024 (signed series):
  // 3.2391922 and 22.5970358 (now 3.2392676 and 22.6248601, the unsigned upper bound).
  it.each([
    [0.7, 0.01, 120, 3.2391922],
    [0.35, 0.01, 120, 22.5970358],
    [0.7, 1, 2, 10.8602036],
    [0.35, 1, 2, 26.2880374],
  ])("TF Privacy example privacy σ=%d q=%d steps=%d: ε = %d", (sigma, q, steps, epsilon) => {
    expect(stepsFor({ epochs: 1.2, sampleRate: q })).toBe(steps);
    const result = computeEpsilon({ sampleRate: q, noiseMultiplier: sigma, steps, delta: 1e-5, orders: dpAccountingOrders });
    expect(result.epsilon).toBeCloseTo(epsilon, 6);
  });

  // TF Privacy tutorials/README.md (MNIST, batch 256 of 60 000, δ = 1e-5), computed in 2019 with
  // the classic conversion ε = RDP − log δ/(α − 1) and the Opacus orders: epochs 1, 2 and 60 at
  // σ = 1.1 give 1.03, 1.11, 3.01; the table gives 1.19 (σ = 1.3, 15 epochs) and 7.10 (σ = 0.7,
  // 45 epochs). The classification_privacy notebook's "ε = 1.18" is batch 250, σ = 1.3, 15
  // epochs (its code now says 3 epochs; its text was not updated).
  it.each([
    [256, 1.1, 1, 1.03],
    [256, 1.1, 2, 1.11],
    [256, 1.1, 60, 3.01],
    [256, 1.3, 15, 1.19],
    [256, 0.7, 45, 7.1],
    [250, 1.3, 15, 1.18],
  ])("TF Privacy tutorial batch %d σ=%d %d epochs: classic ε = %d", (batch, sigma, epochs, published) => {
    const q = batch / 60000;
    const steps = Math.floor((epochs * 60000) / batch); // mnist_dpsgd_tutorial.py: epoch * 60000 // 256
    const rdp = computeRdp({ sampleRate: q, noiseMultiplier: sigma, steps, orders: opacusOrders });
    expect(classicEpsilon(opacusOrders, rdp, 1e-5).epsilon).toBeCloseTo(published, 2);
    // The Balle et al. conversion used here is tighter than the classic one.
    expect(rdpToEpsilon({ orders: opacusOrders, rdp, delta: 1e-5 }).epsilon).toBeLessThan(published - 0.005);
  });

  // dp_accounting python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant_test.py
  it("dp_accounting test_compute_epsilon_delta_pure_dp: 1.32783806176 at order 32", () => {
    const orders = range(2, 32);
    const result = rdpToEpsilon({ orders, rdp: orders.map(() => 1.1), delta: 1e-5 });
    expect(result.epsilon).toBeCloseTo(1.32783806176, 10);
    expect(result.order).toBe(32);
  });

  it("dp_accounting test_compute_epsilon_delta_gaussian: σ = 4.530877117 is (1, 1e-6)-DP", () => {
    const orders = range(1001, 99999).map((k) => k / 1000);
    const result = computeEpsilon({ sampleRate: 1, noiseMultiplier: 4.530877117, steps: 1, delta: 1e-6, orders });
    expect(result.epsilon).toBeCloseTo(1, 7);
  });

  it("dp_accounting test_compute_rdp_poisson_sampled_gaussian (q=0.01, σ=2.5, 50 steps)", () => {
    const orders = [1.5, 2.5, 5, 50, 100];
    const published = [6.70579741e-4, 1.0854871e-3, 2.18075656e-3, 2.38460375e-2, 1.67416308e2];
    const rdp = computeRdp({ sampleRate: 0.01, noiseMultiplier: 2.5, steps: 50, orders });
    for (const k of [1, 2, 3, 4]) expect(relativeError(rdp[k], published[k])).toBeLessThan(1e-4);
    // At α = 1.5 dp_accounting's unsigned series over-estimates by 3 %; the signed series here
    // matches the integral (mpmath gives 6.500708971880e-4).
    expect(relativeError(rdp[0], 6.50070897188e-4)).toBeLessThan(1e-9);
    expect(relativeError(rdp[0], rdpByQuadrature(0.01, 2.5, 50, [1.5])[0])).toBeLessThan(1e-7);
  });
});

describe("RdpAccountant", () => {
  it("has spent nothing before the first step", () => {
    const accountant = new RdpAccountant();
    expect(accountant.mechanism).toBe("rdp");
    expect(accountant.history).toEqual([]);
    expect(accountant.getEpsilon(1e-5).epsilon).toBe(0);
  });

  it("merges consecutive identical events and keeps different ones apart", () => {
    const accountant = new RdpAccountant();
    accountant.step({ noiseMultiplier: 1, sampleRate: 0.04 });
    accountant.step({ noiseMultiplier: 1, sampleRate: 0.04, steps: 9 });
    accountant.step({ noiseMultiplier: 2, sampleRate: 0.04, steps: 5 });
    accountant.step({ noiseMultiplier: 2, sampleRate: 0.04, steps: 0 });
    accountant.step({ noiseMultiplier: 1, sampleRate: 0.04 });
    expect(accountant.history).toEqual([
      { noiseMultiplier: 1, sampleRate: 0.04, steps: 10 },
      { noiseMultiplier: 2, sampleRate: 0.04, steps: 5 },
      { noiseMultiplier: 1, sampleRate: 0.04, steps: 1 },
    ]);
    // The history handed out is a copy of frozen entries.
    const history = accountant.history as unknown as Array<{ steps: number }>;
    history.pop();
    expect(() => {
      history[0].steps = 99;
    }).toThrow(TypeError);
    expect(accountant.history).toHaveLength(3);
  });

  it("composes heterogeneous events by adding RDP curves, in any order", () => {
    const events = [
      { noiseMultiplier: 1.1, sampleRate: 0.04, steps: 100 },
      { noiseMultiplier: 0.8, sampleRate: 0.08, steps: 30 },
      { noiseMultiplier: 3, sampleRate: 1, steps: 2 },
    ];
    const forward = new RdpAccountant();
    events.forEach((event) => forward.step(event));
    const backward = new RdpAccountant();
    [...events].reverse().forEach((event) => backward.step(event));

    const referenceRdp = DEFAULT_ORDERS.map(() => 0);
    for (const { noiseMultiplier, sampleRate, steps } of events) {
      rdpByQuadrature(sampleRate, noiseMultiplier, steps, DEFAULT_ORDERS).forEach((v, k) => (referenceRdp[k] += v));
    }
    const reference = balleEpsilon(DEFAULT_ORDERS, referenceRdp, 1e-5);
    expect(relativeError(forward.getEpsilon(1e-5).epsilon, reference.epsilon)).toBeLessThan(0.01);
    expect(backward.getEpsilon(1e-5).epsilon).toBeCloseTo(forward.getEpsilon(1e-5).epsilon, 12);
  });

  it("one event of n steps is the same as computeEpsilon", () => {
    const accountant = new RdpAccountant();
    accountant.step({ noiseMultiplier: 1.3, sampleRate: 0.05, steps: 400 });
    expect(accountant.getEpsilon(1e-6)).toEqual({
      ...computeEpsilon({ sampleRate: 0.05, noiseMultiplier: 1.3, steps: 400, delta: 1e-6 }),
      warnings: [],
    });
  });

  it("uses the orders it was given", () => {
    const accountant = new RdpAccountant({ orders: [2, 4, 8] });
    accountant.step({ noiseMultiplier: 1, sampleRate: 0.1, steps: 100 });
    expect([2, 4, 8]).toContain(accountant.getEpsilon(1e-5).order);
  });
});

describe("edge cases", () => {
  it("q = 0 costs nothing; σ = 0 costs everything; 0 steps cost nothing", () => {
    expect(computeRdp({ sampleRate: 0, noiseMultiplier: 1, steps: 10 }).every((v) => v === 0)).toBe(true);
    expect(computeRdp({ sampleRate: 0, noiseMultiplier: 0, steps: 10 }).every((v) => v === 0)).toBe(true);
    expect(computeRdp({ sampleRate: 0.1, noiseMultiplier: 0, steps: 10 }).every((v) => v === Infinity)).toBe(true);
    expect(computeRdp({ sampleRate: 0.1, noiseMultiplier: 0, steps: 0 }).every((v) => v === 0)).toBe(true);
    expect(computeEpsilon({ sampleRate: 0.1, noiseMultiplier: 0, steps: 1, delta: 1e-5 })).toEqual({
      epsilon: Infinity,
      order: DEFAULT_ORDERS[0],
    });
  });

  it("conversion: RDP 0 gives ε = 0; a loss under the KL bound gives ε = 0", () => {
    expect(rdpToEpsilon({ orders: [2, 3], rdp: [0, 0], delta: 1e-5 }).epsilon).toBe(0);
    // δ² + expm1(−r) > 0 ⇔ r < −log(1 − δ²) ≈ δ²
    expect(rdpToEpsilon({ orders: [2, 3], rdp: [5e-11, 1e-10], delta: 1e-5 }).epsilon).toBe(0);
    expect(rdpToEpsilon({ orders: [2], rdp: [2e-10], delta: 1e-5 }).epsilon).toBeGreaterThan(0);
    // Orders ≤ 1.01 are numerically unstable and skipped unless the KL bound applies.
    expect(rdpToEpsilon({ orders: [1.005], rdp: [0.1], delta: 1e-5 }).epsilon).toBe(Infinity);
  });

  it("default orders: 1.1 … 10.9 in exact tenths, then 11 … 64, 128, 256", () => {
    expect(DEFAULT_ORDERS.slice(0, 3)).toEqual([1.1, 1.2, 1.3]);
    expect(DEFAULT_ORDERS[19]).toBe(3); // exactly 3 (adding up 0.1s gives 3.0000000000000018)
    expect(DEFAULT_ORDERS[98]).toBe(10.9);
    expect(DEFAULT_ORDERS.slice(99, 102)).toEqual([11, 12, 13]);
    expect(DEFAULT_ORDERS.slice(-3)).toEqual([64, 128, 256]);
    expect(DEFAULT_ORDERS.every((alpha, k) => k === 0 || alpha > DEFAULT_ORDERS[k - 1])).toBe(true);
    expect(DEFAULT_ORDERS.slice(0, 99).every((alpha, k) => alpha === (k + 11) / 10)).toBe(true);
  });

  it("stepsFor is ⌈epochs/q⌉ without floating-point overshoot", () => {
    expect(stepsFor({ epochs: 1, sampleRate: 32 / 800 })).toBe(25);
    expect(stepsFor({ epochs: 1, sampleRate: 64 / 800 })).toBe(13);
    expect(stepsFor({ epochs: 3, sampleRate: 0.3 })).toBe(10);
    expect(stepsFor({ epochs: 0, sampleRate: 0.5 })).toBe(0);
  });
});

describe("monotonicity", () => {
  const delta = 1e-5;
  it("ε decreases as σ grows", () => {
    for (const [q, steps] of [
      [0.04, 250],
      [0.08, 125],
      [1, 10],
    ]) {
      const epsilons = [0.5, 0.6, 0.8, 1, 1.1, 1.5, 2, 3, 4, 8].map(
        (sigma) => computeEpsilon({ sampleRate: q, noiseMultiplier: sigma, steps, delta }).epsilon,
      );
      epsilons.slice(1).forEach((e, k) => expect(e).toBeLessThan(epsilons[k]));
    }
  });

  it("ε grows with steps and with q", () => {
    const bySteps = [1, 10, 25, 100, 250, 1000, 5000].map(
      (steps) => computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps, delta }).epsilon,
    );
    bySteps.slice(1).forEach((e, k) => expect(e).toBeGreaterThan(bySteps[k]));
    const byQ = [0.001, 0.004, 0.01, 0.04, 0.08, 0.2, 0.5, 0.9, 1].map(
      (q) => computeEpsilon({ sampleRate: q, noiseMultiplier: 1.1, steps: 100, delta }).epsilon,
    );
    byQ.slice(1).forEach((e, k) => expect(e).toBeGreaterThan(byQ[k]));
  });
});
