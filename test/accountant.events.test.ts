import { describe, expect, it } from "vitest";
import { createAccountant, RdpAccountant, sampledGaussianEvent, type DpEvent } from "../src/privacy/accountant";
import { laplaceRdp } from "../src/privacy/accountant/rdpEvents";
import { expectInputError } from "./helpers/expectInputError";

/** D_α(Lap(0, b) ‖ Lap(1, b)) by the trapezoid rule, straight from the definition. */
function laplaceRenyiByQuadrature(b: number, alpha: number): number {
  const pdf = (x: number, mean: number) => Math.exp(-Math.abs(x - mean) / b) / (2 * b);
  let sum = 0;
  const h = 1e-4;
  for (let x = -60 * b; x <= 1 + 60 * b; x += h) sum += pdf(x, 0) ** alpha * pdf(x, 1) ** (1 - alpha) * h;
  return Math.log(sum) / (alpha - 1);
}

describe("the RDP accountant takes events", () => {
  it("Laplace: the exact RDP (Mironov 2017, Prop. 6) matches the divergence integrated numerically", () => {
    for (const [b, alpha] of [[1, 2], [0.5, 1.5], [2, 8]]) {
      expect(laplaceRdp(b, alpha)).toBeCloseTo(laplaceRenyiByQuadrature(b, alpha), 5);
    }
    // ε-DP with ε = 1/b bounds every order.
    expect(laplaceRdp(0.5, 64)).toBeLessThanOrEqual(2);
  });

  it("a plain Gaussian is the sampled one at q = 1; selfComposed and composed add up; noOp costs nothing", () => {
    const plain = new RdpAccountant();
    plain.compose({ kind: "gaussian", noiseMultiplier: 2 }, 10);
    const sampledAtOne = new RdpAccountant();
    sampledAtOne.compose(sampledGaussianEvent({ sampleRate: 1, noiseMultiplier: 2, steps: 10 }));
    expect(plain.getEpsilon(1e-5).epsilon).toBeCloseTo(sampledAtOne.getEpsilon(1e-5).epsilon, 9);

    const parts: DpEvent[] = [sampledGaussianEvent({ sampleRate: 0.05, noiseMultiplier: 1 }), { kind: "laplace", noiseMultiplier: 3 }, { kind: "noOp" }];
    const together = new RdpAccountant();
    together.compose({ kind: "selfComposed", count: 4, event: { kind: "composed", events: parts } });
    const apart = new RdpAccountant();
    apart.compose(parts[0], 4);
    apart.compose(parts[1], 4);
    together.rdp().forEach((value, k) => expect(value).toBeCloseTo(apart.rdp()[k], 12));
  });

  it("pure ε-DP: min(ε, αε²/2) per order, so k runs of ε never cost more than kε", () => {
    const accountant = new RdpAccountant({ orders: [2, 10] });
    accountant.compose({ kind: "pureDp", epsilon: 0.5, mechanism: "randomised response" }, 4);
    expect(accountant.rdp()).toEqual([4 * Math.min(0.5, 0.25), 4 * 0.5]);
  });

  it("getDelta inverts getEpsilon (the same conversion solved for δ)", () => {
    const accountant = new RdpAccountant();
    accountant.compose(sampledGaussianEvent({ sampleRate: 0.04, noiseMultiplier: 1.1 }), 250);
    for (const delta of [1e-3, 1e-5, 1e-8]) {
      const { epsilon } = accountant.getEpsilon(delta);
      const back = accountant.getDelta(epsilon);
      expect(back).toBeLessThanOrEqual(delta * (1 + 1e-9));
      expect(back).toBeGreaterThan(delta * 0.999);
    }
    expect(new RdpAccountant().getDelta(0)).toBe(0);
  });

  it("says when ε sits at an edge of the order grid or is infinite", () => {
    const smallOrders = new RdpAccountant({ orders: [2, 3] });
    smallOrders.compose(sampledGaussianEvent({ sampleRate: 0.01, noiseMultiplier: 2 }), 10);
    expect(smallOrders.getEpsilon(1e-5).warnings.join(" ")).toMatch(/largest of the grid/);
    const many = new RdpAccountant({ orders: [40, 50] });
    many.compose(sampledGaussianEvent({ sampleRate: 0.5, noiseMultiplier: 0.8 }), 500);
    expect(many.getEpsilon(1e-5).warnings.join(" ")).toMatch(/smallest of the grid/);
    const none = createAccountant("rdp");
    none.compose({ kind: "gaussian", noiseMultiplier: 0 });
    expect(none.getEpsilon(1e-5)).toMatchObject({ epsilon: Infinity });
    expect(none.getEpsilon(1e-5).warnings.join(" ")).toMatch(/infinite/);
    const usual = new RdpAccountant();
    usual.compose(sampledGaussianEvent({ sampleRate: 0.04, noiseMultiplier: 1.1 }), 250);
    expect(usual.getEpsilon(1e-5).warnings).toEqual([]);
  });

  it("keeps the older step/history API on top of events", () => {
    const accountant = new RdpAccountant();
    accountant.step({ noiseMultiplier: 1, sampleRate: 0.04, steps: 3 });
    accountant.compose({ kind: "laplace", noiseMultiplier: 1 });
    expect(accountant.history).toEqual([{ noiseMultiplier: 1, sampleRate: 0.04, steps: 3 }]);
    expect(accountant.ledger).toHaveLength(2);
    expectInputError(() => accountant.compose({ kind: "selfComposed", count: 1.5, event: { kind: "noOp" } }), "selfComposed.count");
    expectInputError(() => accountant.compose({ kind: "pureDp", epsilon: -1, mechanism: "x" }), "pureDp.epsilon");
  });
});
