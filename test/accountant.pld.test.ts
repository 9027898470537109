import { describe, expect, it } from "vitest";
import {
  calibrateNoise,
  createAccountant,
  PldAccountant,
  RdpAccountant,
  sampledGaussianEvent,
  type DpEvent,
} from "../src/privacy/accountant";
import { fft, inverseRealFft, realFft } from "../src/privacy/accountant/pld/fft";
import { gaussianDelta, laplaceCurve, sampledGaussianCurve } from "../src/privacy/accountant/pld/mechanisms";
import { analyticGaussianDelta, analyticGaussianEpsilon } from "./reference/analyticGaussian";
import { expectInputError } from "./helpers/expectInputError";

const sampled = (sampleRate: number, noiseMultiplier: number): DpEvent => sampledGaussianEvent({ sampleRate, noiseMultiplier });
const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

function pldEpsilon(event: DpEvent, count: number, delta: number, options: ConstructorParameters<typeof PldAccountant>[0] = {}): number {
  const accountant = new PldAccountant(options);
  accountant.compose(event, count);
  return accountant.getEpsilon(delta).epsilon;
}

function rdpEpsilon(event: DpEvent, count: number, delta: number): number {
  const accountant = new RdpAccountant();
  accountant.compose(event, count);
  return accountant.getEpsilon(delta).epsilon;
}

describe("the FFT", () => {
  it("matches a direct DFT and inverts itself", () => {
    for (const n of [1, 2, 8, 64]) {
      const x = Array.from({ length: n }, (_, k) => Math.sin(3.1 * k) + 0.25 * k);
      const re = Float64Array.from(x);
      const im = new Float64Array(n);
      fft(re, im);
      for (let k = 0; k < n; k++) {
        let sumRe = 0;
        let sumIm = 0;
        for (let j = 0; j < n; j++) {
          sumRe += x[j] * Math.cos((2 * Math.PI * j * k) / n);
          sumIm -= x[j] * Math.sin((2 * Math.PI * j * k) / n);
        }
        expect(re[k]).toBeCloseTo(sumRe, 10);
        expect(im[k]).toBeCloseTo(sumIm, 10);
      }
      fft(re, im, true);
      re.forEach((value, j) => expect(value).toBeCloseTo(x[j], 12));
    }
  });

  it("the real-input FFT gives the first half of the complex spectrum, and inverts itself", () => {
    for (const n of [2, 4, 32, 256]) {
      const x = Float64Array.from({ length: n }, (_, k) => Math.cos(1.7 * k * k) + 0.1 * k);
      const re = Float64Array.from(x);
      const im = new Float64Array(n);
      fft(re, im);
      const half = realFft(x);
      expect(half.re).toHaveLength(n / 2 + 1);
      for (let k = 0; k <= n / 2; k++) {
        expect(half.re[k]).toBeCloseTo(re[k], 10);
        expect(half.im[k]).toBeCloseTo(im[k], 10);
      }
      inverseRealFft(half.re, half.im, n).forEach((value, j) => expect(value).toBeCloseTo(x[j], 12));
    }
  });
});

describe("single-step loss curves", () => {
  it("δ of the subsampled Gaussian reduces to Balle & Wang's at q = 1, in both directions", () => {
    for (const epsilon of [0, 0.3, 1, 2.5]) {
      const exact = analyticGaussianDelta(epsilon, 1.3, 1);
      for (const direction of ["add", "remove"] as const) {
        expect(relativeError(sampledGaussianCurve(1, 1.3, direction).deltaAt(epsilon), exact)).toBeLessThan(1e-6);
      }
    }
  });

  it("δ of the subsampled Gaussian matches numerical integration of the hockey-stick divergence", () => {
    // δ(ε) = ∫ (p(x) − e^ε q(x))₊ dx with p, q the two output densities, by the trapezoid rule.
    const sigma = 0.9;
    const q = 0.1;
    const pdf = (x: number, mean: number) => Math.exp(-((x - mean) ** 2) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    const mixture = (x: number) => (1 - q) * pdf(x, 0) + q * pdf(x, 1);
    const hockeyStick = (p: (x: number) => number, r: (x: number) => number, epsilon: number) => {
      let sum = 0;
      const h = 1e-3;
      for (let x = -15; x <= 16; x += h) sum += Math.max(0, p(x) - Math.exp(epsilon) * r(x)) * h;
      return sum;
    };
    for (const epsilon of [0.05, 0.5, 1.5]) {
      const remove = hockeyStick(mixture, (x) => pdf(x, 0), epsilon);
      const add = hockeyStick((x) => pdf(x, 0), mixture, epsilon);
      expect(relativeError(sampledGaussianCurve(q, sigma, "remove").deltaAt(epsilon), remove)).toBeLessThan(1e-5);
      if (add > 1e-12) expect(relativeError(sampledGaussianCurve(q, sigma, "add").deltaAt(epsilon), add)).toBeLessThan(1e-5);
      else expect(sampledGaussianCurve(q, sigma, "add").deltaAt(epsilon)).toBeLessThan(1e-12);
    }
  });

  it("δ of the Laplace mechanism matches numerical integration", () => {
    const b = 0.8;
    const pdf = (x: number, mean: number) => Math.exp(-Math.abs(x - mean) / b) / (2 * b);
    for (const epsilon of [-0.5, 0, 0.6, 1.2]) {
      let sum = 0;
      const h = 1e-4;
      for (let x = -40; x <= 41; x += h) sum += Math.max(0, pdf(x, 0) - Math.exp(epsilon) * pdf(x, 1)) * h;
      expect(laplaceCurve(b).deltaAt(epsilon)).toBeCloseTo(sum, 5);
    }
  });

  it("gaussianDelta keeps its precision far in the tail (no cancellation to 0)", () => {
    expect(gaussianDelta(30, 1)).toBeGreaterThan(0);
    expect(gaussianDelta(30, 1)).toBeLessThan(1e-100);
  });
});

describe("PLD against published values", () => {
  it("dp_accounting's test_gaussian_basic: 3 × Gaussian(√3) is one Gaussian(1): δ(1) = 0.126936", () => {
    const accountant = createAccountant("pld");
    accountant.compose({ kind: "gaussian", noiseMultiplier: Math.sqrt(3) }, 1);
    accountant.compose({ kind: "gaussian", noiseMultiplier: Math.sqrt(3) }, 2);
    expect(accountant.getDelta(1)).toBeCloseTo(0.126936, 3);
    expect(accountant.getEpsilon(0.126936).epsilon).toBeCloseTo(1, 3);
  });

  it("dp_accounting's test_poisson_subsampled_gaussian: 3 × sampled(0.2, Gaussian(0.5)): δ(1) = 0.15594", () => {
    const accountant = createAccountant("pld");
    accountant.compose(sampled(0.2, 0.5), 1);
    accountant.compose(sampled(0.2, 0.5), 2);
    expect(Math.abs(accountant.getDelta(1) - 0.15594)).toBeLessThan(1e-3);
    expect(Math.abs(accountant.getEpsilon(0.15594).epsilon - 1)).toBeLessThan(1e-3);
    // The same as one selfComposed event.
    const once = createAccountant("pld");
    once.compose({ kind: "selfComposed", count: 3, event: sampled(0.2, 0.5) });
    expect(once.getDelta(1)).toBeCloseTo(accountant.getDelta(1), 12);
  });

  it("prv_accountant's test_analytic_solution: 10 000 × Gaussian(100) is one Gaussian(1): δ(4) and ε exact to 0.5 %", () => {
    const accountant = createAccountant("pld");
    accountant.compose({ kind: "gaussian", noiseMultiplier: 100 }, 10_000);
    const exact = analyticGaussianDelta(4, 100, 10_000);
    expect(relativeError(accountant.getDelta(4), exact)).toBeLessThan(5e-3);
    expect(accountant.getDelta(4)).toBeGreaterThanOrEqual(exact * (1 - 1e-6));
    expect(relativeError(accountant.getEpsilon(exact).epsilon, 4)).toBeLessThan(5e-3);
  });

  it("dp_accounting's pure-DP events compose to the sum: ε(δ ≈ 0) = 3 for ε = 1 then 2", () => {
    const accountant = createAccountant("pld");
    accountant.compose({ kind: "pureDp", epsilon: 1, mechanism: "randomised response" });
    accountant.compose({ kind: "pureDp", epsilon: 2, mechanism: "exponential" });
    expect(accountant.getDelta(3)).toBeLessThan(1e-12);
    expect(accountant.getEpsilon(1e-9).epsilon).toBeCloseTo(3, 6);
    expect(accountant.getDelta(2.5)).toBeGreaterThan(0.01);
  });

  it("dp_accounting's test_laplace_basic: 3 × Laplace(1) and 2 × Laplace(2) spend ε = 4 at δ ≈ 0", () => {
    const accountant = createAccountant("pld");
    accountant.compose({ kind: "laplace", noiseMultiplier: 1 }, 3);
    accountant.compose({ kind: "laplace", noiseMultiplier: 2 }, 2);
    expect(accountant.getDelta(4)).toBeLessThan(1e-6);
    expect(Math.abs(accountant.getEpsilon(1e-6).epsilon - 4)).toBeLessThan(0.05);
  });

  it("dp_accounting's zero-noise cases: nothing is private (δ = 1, ε = ∞, and it says so)", () => {
    for (const event of [{ kind: "gaussian", noiseMultiplier: 0 }, sampled(0.1, 0), { kind: "laplace", noiseMultiplier: 0 }] as DpEvent[]) {
      const accountant = createAccountant("pld");
      accountant.compose(event);
      expect(accountant.getDelta(1)).toBe(1);
      const report = accountant.getEpsilon(0.01);
      expect(report.epsilon).toBe(Infinity);
      expect(report.warnings.join(" ")).toMatch(/infinite/);
    }
  });
});

describe("PLD against the exact Gaussian (Balle & Wang 2018), an independent computation", () => {
  it.each([
    [0.8, 1, 1e-5],
    [1, 10, 1e-5],
    [2, 100, 1e-5],
    [5, 1000, 1e-5],
    [1.5, 50, 1e-3],
    [4, 20, 1e-6],
  ])("σ = %s, %s runs, δ = %s: within 0.5 % and never below", (sigma, runs, delta) => {
    const exact = analyticGaussianEpsilon(delta, sigma, runs);
    const ours = pldEpsilon({ kind: "gaussian", noiseMultiplier: sigma }, runs, delta);
    expect(relativeError(ours, exact)).toBeLessThan(0.005);
    expect(ours).toBeGreaterThanOrEqual(exact * (1 - 1e-6));
    expect(ours).toBeLessThanOrEqual(rdpEpsilon({ kind: "gaussian", noiseMultiplier: sigma }, runs, delta));
    // The optimistic discretisation brackets the exact value from below.
    expect(pldEpsilon({ kind: "gaussian", noiseMultiplier: sigma }, runs, delta, { pessimistic: false })).toBeLessThanOrEqual(exact * (1 + 1e-6));
  });
});

const DP_SGD_CASES: Array<[number, number, number, number]> = [
  // [q, σ, steps, δ]
  [0.04, 1.1, 250, 1e-5], // the course's CLI example
  [0.04, 2.58, 250, 1e-5], // the PLD σ for ε = 1
  [128 / 800, 1.5, 30, 1e-5], // the course pipeline's default run
  [0.01, 4, 1000, 1e-5],
  [0.04, 1.5, 2250, 1e-5], // Opacus's accountants_test (RDP ε = 7.329)
  [256 / 60000, 1.1, 3000, 1e-5],
  [0.2, 0.8, 20, 1e-3],
];

describe("PLD and RDP cross-checked", () => {
  it.each(DP_SGD_CASES)("q = %s, σ = %s, %s steps, δ = %s: PLD ε ≤ RDP ε, and δ(ε(δ)) ≈ δ", (q, sigma, steps, delta) => {
    const accountant = new PldAccountant();
    accountant.compose(sampled(q, sigma), steps);
    const { epsilon } = accountant.getEpsilon(delta);
    expect(epsilon).toBeLessThanOrEqual(rdpEpsilon(sampled(q, sigma), steps, delta));
    expect(epsilon).toBeGreaterThan(0);
    expect(relativeError(accountant.getDelta(epsilon), delta)).toBeLessThan(1e-6);
  });

  it("the pessimistic discretisation never reports less than a finer one, nor the optimistic more", () => {
    for (const [q, sigma, steps, delta] of DP_SGD_CASES.slice(0, 4)) {
      const coarse = pldEpsilon(sampled(q, sigma), steps, delta, { discretisation: 1e-2 });
      const fine = pldEpsilon(sampled(q, sigma), steps, delta, { discretisation: 1e-3 });
      const finer = pldEpsilon(sampled(q, sigma), steps, delta, { discretisation: 2e-4 });
      const optimistic = pldEpsilon(sampled(q, sigma), steps, delta, { discretisation: 1e-3, pessimistic: false });
      const automatic = pldEpsilon(sampled(q, sigma), steps, delta);
      expect(coarse).toBeGreaterThanOrEqual(fine);
      expect(fine).toBeGreaterThanOrEqual(finer);
      expect(optimistic).toBeLessThanOrEqual(finer);
      // The automatic grid keeps its own excess near 1e-3 in ε (autoInterval's documented aim).
      expect(automatic).toBeGreaterThanOrEqual(finer);
      expect(automatic - finer).toBeLessThan(2e-3);
    }
  });

  it("reports the worse of the add and the remove directions", () => {
    const accountant = new PldAccountant();
    accountant.compose(sampled(0.05, 1), 200);
    const [remove, add] = accountant.distributions();
    expect([remove.direction, add.direction]).toEqual(["remove", "add"]);
    const one = (pmfIndex: number) => {
      // ε of one direction, read off the same way.
      const solo = accountant.distributions()[pmfIndex].pmf;
      let low = 0;
      let high = 50;
      const deltaAt = (epsilon: number) => {
        let sum = solo.infinityMass;
        solo.probs.forEach((p, i) => {
          const loss = (solo.offset + i) * solo.interval;
          if (loss > epsilon) sum -= p * Math.expm1(epsilon - loss);
        });
        return sum;
      };
      for (let k = 0; k < 80; k++) {
        const middle = (low + high) / 2;
        if (deltaAt(middle) > 1e-5) low = middle;
        else high = middle;
      }
      return high;
    };
    const worse = Math.max(one(0), one(1));
    expect(one(0)).not.toBeCloseTo(one(1), 4); // the directions differ once sampling is involved
    expect(accountant.getEpsilon(1e-5).epsilon).toBeCloseTo(worse, 6);
  });

  it("the issue's example: q = 0.04, 250 steps, δ = 1e-5, ε = 1 needs σ ≈ 2.77 by RDP, ≈ 2.56 by PLD", () => {
    const run = { targetEpsilon: 1, delta: 1e-5, sampleRate: 0.04, steps: 250 };
    const byRdp = calibrateNoise(run);
    const byPld = calibrateNoise({ ...run, accountant: "pld" });
    expect(byRdp.noiseMultiplier).toBeGreaterThan(2.75);
    expect(byRdp.noiseMultiplier).toBeLessThan(2.79);
    expect(byPld.noiseMultiplier).toBeGreaterThan(2.55);
    expect(byPld.noiseMultiplier).toBeLessThan(2.6);
    expect(byPld.epsilon).toBeLessThanOrEqual(1);
    expect(byPld.order).toBeNull();
    expect(byPld.accountant.kind).toBe("pld");
    expect(byPld.accountant.discretisation).toEqual({ interval: 1e-3, automatic: true, pessimistic: true, tailMass: 1e-15 });
    expect(pldEpsilon(sampled(0.04, byPld.noiseMultiplier * 0.995), 250, 1e-5)).toBeGreaterThan(1);
  });

  it("heterogeneous events compose in any order to the same ε", () => {
    const events = [sampled(0.04, 1.2), sampled(0.1, 2), { kind: "gaussian", noiseMultiplier: 6 } as DpEvent];
    const forward = new PldAccountant();
    events.forEach((event, k) => forward.compose(event, 50 * (k + 1)));
    const backward = new PldAccountant();
    [...events].reverse().forEach((event, k) => backward.compose(event, 50 * (events.length - k)));
    expect(backward.getEpsilon(1e-5).epsilon).toBeCloseTo(forward.getEpsilon(1e-5).epsilon, 9);
    expect(forward.getEpsilon(1e-5).epsilon).toBeLessThanOrEqual(rdpEpsilon({ kind: "composed", events: [] }, 1, 1e-5) + rdpComposed(events));
  });

  it("accounts for the tail it cuts: the mass at ∞ is reported and δ never falls below it", () => {
    const accountant = new PldAccountant();
    accountant.compose(sampled(0.04, 1.1), 1000);
    const infinity = accountant.infinityMass();
    expect(infinity).toBeGreaterThan(0);
    expect(infinity).toBeLessThan(1e-12);
    expect(accountant.getDelta(1000)).toBeGreaterThanOrEqual(infinity);
    const tiny = accountant.getEpsilon(infinity / 2);
    expect(tiny.epsilon).toBe(Infinity);
    expect(tiny.warnings.join(" ")).toMatch(/unbounded privacy loss/);
  });
});

function rdpComposed(events: DpEvent[]): number {
  const accountant = new RdpAccountant();
  events.forEach((event, k) => accountant.compose(event, 50 * (k + 1)));
  return accountant.getEpsilon(1e-5).epsilon;
}

describe("the shared interface", () => {
  it("both accountants take the same events, know whom they protect, and keep a merged ledger", () => {
    for (const kind of ["rdp", "pld"] as const) {
      const accountant = createAccountant(kind, { unit: "user" });
      expect(accountant.kind).toBe(kind);
      expect(accountant.neighbouring).toBe("add-remove");
      expect(accountant.unit).toBe("user");
      accountant.compose(sampled(0.04, 1.1), 3);
      accountant.compose(sampled(0.04, 1.1), 2);
      accountant.compose({ kind: "noOp" });
      expect(accountant.ledger).toEqual([
        { event: sampled(0.04, 1.1), count: 5 },
        { event: { kind: "noOp" }, count: 1 },
      ]);
      expect(accountant.describe().summary).toMatch(kind === "pld" ? /PLD.*h = 0\.001, chosen for the events/ : /Rényi/);
    }
  });

  it("composes two runs' ledgers into one: the same ε as composing every event directly", async () => {
    const { composeLedgers } = await import("../src/privacy/accountant");
    for (const kind of ["rdp", "pld"] as const) {
      const first = createAccountant(kind);
      first.compose(sampled(0.04, 1.2), 100);
      const second = createAccountant(kind);
      second.compose({ kind: "laplace", noiseMultiplier: 4 }, 3);
      second.compose(sampled(0.1, 2), 20);
      const both = createAccountant(kind);
      composeLedgers(both, first.ledger, JSON.parse(JSON.stringify(second.ledger)));
      const direct = createAccountant(kind);
      direct.compose(sampled(0.04, 1.2), 100);
      direct.compose({ kind: "laplace", noiseMultiplier: 4 }, 3);
      direct.compose(sampled(0.1, 2), 20);
      expect(both.getEpsilon(1e-5).epsilon).toBeCloseTo(direct.getEpsilon(1e-5).epsilon, 10);
      expect(both.ledger).toEqual(direct.ledger);
      const replace = createAccountant(kind, { neighbouring: "replace-one" });
      expectInputError(() => composeLedgers(replace, [{ event: { kind: "gaussian", noiseMultiplier: 1 }, count: 1 }], first.ledger), "event");
      expect(replace.ledger).toHaveLength(0);
    }
  });

  it("rejects an event it cannot account for before changing its state", () => {
    const replace = createAccountant("pld", { neighbouring: "replace-one" });
    const event = sampled(0.1, 1);
    expect(replace.supports(event)).toBe(false);
    expect(replace.supports({ kind: "gaussian", noiseMultiplier: 1 })).toBe(true);
    replace.compose({ kind: "gaussian", noiseMultiplier: 1 });
    expectInputError(() => replace.compose({ kind: "composed", events: [{ kind: "gaussian", noiseMultiplier: 2 }, event] }), "event");
    expect(replace.ledger).toHaveLength(1);
    const rdp = createAccountant("rdp", { neighbouring: "replace-one" });
    expect(rdp.supports(event)).toBe(false);
    expectInputError(() => rdp.compose(event), "event");
    expect(rdp.ledger).toHaveLength(0);
  });

  it("replace-one doubles the sensitivity: a Gaussian(σ) under replace-one is a Gaussian(σ/2) under add-remove", () => {
    for (const kind of ["rdp", "pld"] as const) {
      const replace = createAccountant(kind, { neighbouring: "replace-one" });
      replace.compose({ kind: "gaussian", noiseMultiplier: 3 }, 4);
      const addRemove = createAccountant(kind);
      addRemove.compose({ kind: "gaussian", noiseMultiplier: 1.5 }, 4);
      expect(replace.getEpsilon(1e-5).epsilon).toBeCloseTo(addRemove.getEpsilon(1e-5).epsilon, 9);
    }
  });

  it("names the field of bad input", () => {
    expectInputError(() => new PldAccountant({ discretisation: 0 }), "discretisation", /> 0/);
    expectInputError(() => new PldAccountant({ discretisation: -1e-3 }), "discretisation");
    expectInputError(() => createAccountant("pld", { neighbouring: "swap" as never }), "neighbouring");
    expectInputError(() => createAccountant("nope" as never), "accountant");
    const accountant = new PldAccountant();
    expectInputError(() => accountant.compose(sampled(0, 1)), "sampleRate", /\(0, 1\]/);
    expectInputError(() => accountant.compose(sampled(1.5, 1)), "sampleRate", /\(0, 1\]/);
    expectInputError(() => accountant.compose(sampled(0.1, -1)), "noiseMultiplier");
    expectInputError(() => accountant.compose(sampled(0.1, 1), -1), "count");
    expectInputError(() => accountant.compose({ kind: "mystery" } as never), "event.kind");
    expect(accountant.ledger).toHaveLength(0);
    for (const delta of [0, 1, -0.1, 2, Number.NaN]) expectInputError(() => accountant.getEpsilon(delta), "delta", /\(0, 1\)/);
    expectInputError(() => accountant.getDelta(-1), "epsilon");
    expectInputError(() => calibrateNoise({ targetEpsilon: 1, delta: 1e-5, sampleRate: 0.04, steps: 10, accountant: "pld", orders: [2, 3] }), "orders");
  });

  it("chooses a finer grid for a run of many small steps, and keeps the caller's", () => {
    const many = new PldAccountant();
    many.compose(sampled(256 / 60000, 1.1), 14_000);
    expect(many.interval()).toBeLessThan(3e-4);
    expect(many.interval()).toBeGreaterThan(1e-4);
    expect(many.describe().discretisation?.automatic).toBe(true);
    const fixed = new PldAccountant({ discretisation: 5e-3 });
    fixed.compose(sampled(256 / 60000, 1.1), 14_000);
    expect(fixed.interval()).toBe(5e-3);
    expect(fixed.describe().discretisation).toMatchObject({ interval: 5e-3, automatic: false });
  });

  it("refuses a grid too fine for the noise instead of running out of memory", () => {
    const accountant = new PldAccountant({ discretisation: 1e-7 });
    accountant.compose(sampled(0.04, 0.5), 10);
    expectInputError(() => accountant.getEpsilon(1e-5), "discretisation");
  });
});

describe("compareAccountants: one run, both accountants, step by step", () => {
  it("gives RDP ≥ PLD ≥ optimistic PLD at every step, each growing with the steps", async () => {
    const { compareAccountants } = await import("../src/privacy/accountant");
    const comparison = compareAccountants({ sampleRate: 128 / 800, noiseMultiplier: 3.9, steps: 30, delta: 1e-5 });
    expect(comparison.points.map((p) => p.steps)).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
    for (const [k, p] of comparison.points.entries()) {
      expect(p.rdp).toBeGreaterThanOrEqual(p.pld);
      expect(p.pld).toBeGreaterThanOrEqual(p.pldOptimistic);
      if (k > 0) expect(p.pld).toBeGreaterThan(comparison.points[k - 1].pld);
    }
    expect(comparison.accountants.pld.kind).toBe("pld");
    const long = compareAccountants({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 1000, delta: 1e-5 });
    expect(long.points).toHaveLength(40);
    expect(long.points[39].steps).toBe(1000);
    expectInputError(() => compareAccountants({ sampleRate: 0, noiseMultiplier: 1, steps: 3, delta: 1e-5 }), "sampleRate");
  });

  it("is drawn as three lines and an audit marker at the last step (the chart is plain data)", async () => {
    const { accountantComparisonFigure } = await import("../src/render/charts");
    const points = [1, 2, 3].map((steps) => ({ steps, rdp: steps, pld: 0.9 * steps, pldOptimistic: 0.85 * steps }));
    const figure = accountantComparisonFigure(points, { auditLowerBound: 0.4 });
    expect(figure.data.map((t) => t.name)).toEqual([
      "RDP accountant",
      "PLD accountant (upper bound)",
      "PLD, grid rounded down (lower estimate)",
      "audit: ε ≥ 0.40 proven (95%)",
    ]);
    expect(figure.data[1].y).toEqual([0.9, 1.8, 2.7]);
    expect(figure.data[3]).toMatchObject({ x: [3], y: [0.4], mode: "markers" });
    expect(accountantComparisonFigure(points).data).toHaveLength(3);
  });
});
