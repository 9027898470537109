import { describe, expect, it } from "vitest";
import { accountantFor, computeEpsilon, computeRdp } from "../../src/privacy/accountant";
import * as mechanismViews from "../../src/render/mechanismViews";
import { oneRunAudit } from "../../src/audit";
import {
  BudgetExceededError,
  gaussianMechanism,
  gaussianRdp,
  laplaceCount,
  laplaceRdp,
  PrivacyLedger,
  randomisedResponse,
  randomisedResponseRdp,
  renyiDivergence,
} from "../../src/privacy/mechanisms";
import { createRng } from "../../src/random/rng";
import { expectInputError } from "../helpers/expectInputError";

const rows = Array.from({ length: 50 }, (_, i) => ({ buys: i % 3 === 0 }));

describe("the privacy ledger", () => {
  it("adds pure-ε releases (basic composition); post-processing adds nothing", () => {
    const ledger = new PrivacyLedger();
    ledger.release("count 1", laplaceCount({ epsilon: 0.5 }), rows);
    ledger.release("count 2", laplaceCount({ epsilon: 0.25 }), rows);
    ledger.release("count 3", laplaceCount({ epsilon: 1 }), rows);
    ledger.postProcess("share from count 3");
    const total = ledger.total();
    expect(total.epsilon).toBeCloseTo(0.5 + 0.25 + 1, 12);
    expect(total.epsilon).toBeGreaterThanOrEqual(1.75);
    expect(total.delta).toBe(0);
    expect(total.releases).toBe(3);
    expect(total.postProcessing).toBe(1);
    expect(ledger.event).toMatchObject({ kind: "composed" });
  });

  it("adds up only guarantees stated for its own neighbours: randomised response goes in a replace-one ledger", () => {
    const central = new PrivacyLedger();
    const refused = expectInputError(() => central.release("survey", randomisedResponse({ epsilon: 1 }), [true, false]), "mechanism");
    expect(refused.message).toMatch(/replace one person's answer/);
    expect(central.total().releases).toBe(0);
    const surveys = new PrivacyLedger({ neighbouring: "replace one person's answer" });
    surveys.release("survey 1", randomisedResponse({ epsilon: 1 }), [true, false]);
    surveys.release("survey 2", randomisedResponse({ epsilon: 0.5 }), [true, false]);
    expect(surveys.total().epsilon).toBeCloseTo(1.5, 9);
    expectInputError(() => surveys.release("count", laplaceCount({ epsilon: 0.5 }), rows), "mechanism");
    expectInputError(() => new PrivacyLedger({ neighbouring: "swap" as never }), "neighbouring");
  });

  it("composes Gaussian releases through the RDP accountant, and adds the pure part to them", () => {
    const gaussian = gaussianMechanism({ epsilon: 1, delta: 1e-5, sensitivity: 1 });
    const sigma = gaussian.trace.noiseScale;
    const ledger = new PrivacyLedger();
    for (let k = 0; k < 4; k++) ledger.release(`gaussian ${k}`, gaussian, 10);
    const byHand = computeEpsilon({ sampleRate: 1, noiseMultiplier: sigma, steps: 4, delta: 1e-5 }).epsilon;
    expect(ledger.total(1e-5).gaussianEpsilon).toBeCloseTo(byHand, 12);
    ledger.release("count", laplaceCount({ epsilon: 0.5 }), rows);
    expect(ledger.total(1e-5).epsilon).toBeCloseTo(byHand + 0.5, 12);
    // Four Gaussian releases by RDP cost less than 4 × their own ε = 1 (basic composition).
    expect(byHand).toBeLessThan(4);
    expectInputError(() => ledger.total(), "delta", /Gaussian/);
  });

  it("composes the Gaussian releases with the chosen accountant: PLD's ε is at most RDP's, and the pure part stays basic", () => {
    const gaussian = gaussianMechanism({ epsilon: 1, delta: 1e-5, sensitivity: 1 });
    const sampled = { kind: "poissonSampled", sampleRate: 0.1, event: { kind: "gaussian", noiseMultiplier: 1.2 } } as const;
    const fill = (ledger: PrivacyLedger) => {
      for (let k = 0; k < 3; k++) ledger.release(`gaussian ${k}`, gaussian, 10);
      ledger.charge("ten sampled steps", { kind: "selfComposed", count: 10, event: sampled });
      ledger.release("count", laplaceCount({ epsilon: 0.5 }), rows);
      return ledger;
    };
    const byRdp = fill(new PrivacyLedger()).total(1e-5);
    const pldLedger = fill(new PrivacyLedger({ accountant: "pld" }));
    const byPld = pldLedger.total(1e-5);
    // The same events composed by hand through the factory's accountant.
    const direct = accountantFor("pld");
    direct.compose({ kind: "gaussian", noiseMultiplier: gaussian.trace.noiseScale }, 3);
    direct.compose(sampled, 10);
    expect(byPld.gaussianEpsilon).toBeCloseTo(direct.getEpsilon(1e-5).epsilon, 12);
    expect(byPld.accountant).toMatchObject({ kind: "pld" });
    expect(byPld.order).toBeNull();
    expect(byRdp.accountant).toMatchObject({ kind: "rdp" });
    expect(typeof byRdp.order).toBe("number");
    expect(byPld.gaussianEpsilon).toBeLessThanOrEqual(byRdp.gaussianEpsilon);
    expect(byPld.gaussianEpsilon).toBeGreaterThan(0.5 * byRdp.gaussianEpsilon);
    expect(byPld.pureEpsilon).toBe(byRdp.pureEpsilon);
    expect(byPld.epsilon).toBeGreaterThanOrEqual(byPld.pureEpsilon + byPld.gaussianEpsilon);
    expect(byPld.releases).toBe(5);
    // The choice travels with the ledger.
    expect(pldLedger.merge(new PrivacyLedger()).accountant).toBe("pld");
    expect(JSON.parse(JSON.stringify(pldLedger)).accountant).toBe("pld");
    expect((mechanismViews.ledgerView(pldLedger.report(1e-5)) as unknown as { text: string }).text).toMatch(/Gaussian part \d\.\d{4} by PLD\)/);
    expectInputError(() => new PrivacyLedger({ accountant: "prv" as never }), "accountant", /one of rdp, pld/);
  });

  it("runs out: a release past the budget throws and is not recorded", () => {
    const ledger = new PrivacyLedger({ budget: { epsilon: 1 } });
    const count = laplaceCount({ epsilon: 0.4 });
    ledger.release("first", count, rows);
    ledger.release("second", count, rows);
    expect(() => ledger.release("third", count, rows)).toThrow(BudgetExceededError);
    expect(ledger.total().releases).toBe(2);
    expect(ledger.remaining()).toBeCloseTo(0.2, 12);
    ledger.release("small", laplaceCount({ epsilon: 0.1 }), rows);
    expect(ledger.total().epsilon).toBeCloseTo(0.9, 12);
  });

  it("is serialisable, and two ledgers compose into one", () => {
    const a = new PrivacyLedger();
    a.release("a", laplaceCount({ epsilon: 0.3 }), rows);
    const b = new PrivacyLedger();
    b.release("b", laplaceCount({ epsilon: 0.2 }), rows);
    expect(a.merge(b).total().epsilon).toBeCloseTo(0.5, 12);
    const json = JSON.parse(JSON.stringify(a));
    expect(json.entries).toEqual([{ label: "a", event: { kind: "laplace", noiseMultiplier: 1 / 0.3 } }]);
  });

  it("names bad input", () => {
    expectInputError(() => new PrivacyLedger({ budget: { epsilon: 0 } }), "budget.epsilon", /> 0/);
    expectInputError(() => new PrivacyLedger({ budget: { epsilon: 1, delta: 1 } }), "budget.delta", /\(0, 1\)/);
    expectInputError(() => new PrivacyLedger().charge("", { kind: "noOp" }), "label");
    expectInputError(
      () => new PrivacyLedger().charge("x", { kind: "poissonSampled", sampleRate: 0.1, event: { kind: "laplace", noiseMultiplier: 1 } }),
      "event.kind",
      /gaussian/,
    );
  });
});

describe("Rényi divergences", () => {
  it("the numeric D_α of two Gaussians (a fine grid) equals the accountant's α/(2σ²)", () => {
    const sigma = 1.5;
    const grid = Array.from({ length: 24_001 }, (_, i) => -30 + i * 0.0025);
    const density = (x: number, mu: number) => Math.exp(-((x - mu) ** 2) / (2 * sigma * sigma));
    const p = grid.map((x) => density(x, 0));
    const q = grid.map((x) => density(x, 1));
    const [sp, sq] = [p.reduce((a, b) => a + b), q.reduce((a, b) => a + b)];
    for (const alpha of [2, 5, 10.5]) {
      const numeric = renyiDivergence(p.map((v) => v / sp), q.map((v) => v / sq), alpha);
      expect(numeric).toBeCloseTo(gaussianRdp(sigma, [alpha])[0], 4);
      expect(gaussianRdp(sigma, [alpha])[0]).toBeCloseTo(alpha / (2 * sigma * sigma), 12);
    }
    expect(computeRdp({ sampleRate: 1, noiseMultiplier: sigma, steps: 3, orders: [4] })[0]).toBeCloseTo(3 * gaussianRdp(sigma, [4])[0], 12);
  });

  it("the Laplace closed form matches the numeric divergence, and an ε-DP mechanism's RDP never exceeds ε", () => {
    const b = 2;
    const grid = Array.from({ length: 80_001 }, (_, i) => -40 + i * 0.001);
    const p = grid.map((x) => Math.exp(-Math.abs(x) / b));
    const q = grid.map((x) => Math.exp(-Math.abs(x - 1) / b));
    const [sp, sq] = [p.reduce((a, c) => a + c), q.reduce((a, c) => a + c)];
    for (const alpha of [1.5, 3, 20]) {
      const numeric = renyiDivergence(p.map((v) => v / sp), q.map((v) => v / sq), alpha);
      const closed = laplaceRdp(b, [alpha])[0];
      expect(Math.abs(numeric - closed)).toBeLessThan(1e-3);
      expect(closed).toBeLessThanOrEqual(1 / b);
      expect(randomisedResponseRdp(1, [alpha])[0]).toBeLessThanOrEqual(1 + 1e-12);
    }
    expectInputError(() => renyiDivergence([0.5, 0.5], [0.5, 0.5], 1), "alpha", /> 1/);
  });
});

describe("the one-run audit of a randomised-response release (Steinke, Nasr & Jagielski 2023)", () => {
  /** 2000 canaries, each in with probability ½; the release is each canary's randomised bit; the auditor guesses from it. */
  function audit(noiseEpsilon: number, seed: number) {
    const rng = createRng(seed);
    const included = Array.from({ length: 2000 }, () => rng.uniform() < 0.5);
    const reports = randomisedResponse({ epsilon: noiseEpsilon, seed }).release(included).value;
    // Ties (all the "yes" reports) are broken by index, which the inclusion draw does not depend on.
    return oneRunAudit({ scores: reports.map(Number), included, delta: 0 }).epsilonLowerBound;
  }

  it("bounds ε from below by at most the mechanism's ε, and clearly above it for an under-noised release", () => {
    const honest = audit(1, 31);
    expect(honest).toBeGreaterThan(0);
    expect(honest).toBeLessThanOrEqual(1);
    // Claims ε = 1 but flips with the probability of ε = 4: the audit refutes the claim.
    expect(audit(4, 31)).toBeGreaterThan(2);
  });
});
