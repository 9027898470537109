/** The quizzes of the three lessons on DP's foundations: right answers, tempting wrong ones, blanks. */
import { describe, expect, it } from "vitest";
import { TODO } from "../../src/quiz/check";
import type { Question } from "../../src/quiz/types";
import { question, scratchProgressPerTest, statusOf as check } from "../helpers/quizQuestions";

scratchProgressPerTest();


describe("dp-promises quiz", () => {
  it("takes the definition and explains the tempting readings", () => {
    const q = question("dp-promises", "definition");
    expect(check(q, "B").status).toBe("correct");
    expect(check(q, "C").message).toMatch(/linkage attack/);
    expect(check(q, "D").message).toMatch(/not an error bar/);
    expect(check(q, TODO).status).toBe("not-attempted");
  });

  it("wants e^ε/(1 + e^ε) and names the flip probability and the k-ary formula", () => {
    const q = question("dp-promises", "truth-probability");
    const p = Math.exp(2) / (1 + Math.exp(2));
    expect(check(q, Number(p.toFixed(3))).status).toBe("correct");
    expect(check(q, 1 - p).message).toMatch(/flipping/);
    expect(check(q, Math.exp(2) / (Math.exp(2) + 2)).message).toMatch(/k-ary/);
    expect(check(q, undefined).status).toBe("not-attempted");
  });

  const p = (e: number) => Math.exp(e) / (1 + Math.exp(e));
  const share = (reports: boolean[]) => reports.filter(Boolean).length / reports.length;

  it("passes the unbiased estimator on visible and hidden cases", () => {
    const estimate = (reports: boolean[], epsilon: number) => (share(reports) - (1 - p(epsilon))) / (2 * p(epsilon) - 1);
    const result = check(question("dp-promises", "rr-estimator"), estimate);
    expect(result.status).toBe("correct");
    expect(result.hidden).toBe(true);
    expect(result.casesRun).toBe(7);
  });

  it("names the raw share, a clamped estimate and swapped p and q; a blank is not attempted", () => {
    const q = question("dp-promises", "rr-estimator");
    expect(check(q, share).message).toMatch(/share of 'yes' reports/);
    const clamped = (reports: boolean[], epsilon: number) => Math.min(1, Math.max(0, (share(reports) - (1 - p(epsilon))) / (2 * p(epsilon) - 1)));
    const clampedResult = check(q, clamped);
    expect(clampedResult.message).toMatch(/clamp/);
    expect(clampedResult.failingCase?.name).toMatch(/exceeds 1/);
    const swapped = (reports: boolean[], epsilon: number) => (share(reports) - p(epsilon)) / (1 - 2 * p(epsilon));
    expect(check(q, swapped).message).toMatch(/swapped/);
    const blank = () => {
      throw new Error("not implemented");
    };
    expect(check(q, blank).status).toBe("not-attempted");
  });
});

describe("noise-calibration quiz", () => {
  const count = (answers: boolean[]) => answers.filter(Boolean).length;

  it("passes a Laplace count of scale 1/ε on every case", () => {
    const result = check(question("noise-calibration", "laplace-count"), (a: boolean[], e: number, z: number) => count(a) + z / e);
    expect(result.status).toBe("correct");
    expect(result.casesRun).toBe(7);
  });

  it("names multiplying by ε, an unscaled draw, no noise and a data-dependent scale", () => {
    const q = question("noise-calibration", "laplace-count");
    expect(check(q, (a: boolean[], e: number, z: number) => count(a) + z * e).message).toMatch(/do not multiply/);
    expect(check(q, (a: boolean[], _e: number, z: number) => count(a) + z).message).toMatch(/scale 1\/ε/);
    expect(check(q, (a: boolean[]) => count(a)).message).toMatch(/not private/);
    expect(check(q, (a: boolean[], e: number, z: number) => count(a) + (z * a.length) / e).message).toMatch(/must not depend on the data/);
    expect(check(q, TODO).status).toBe("not-attempted");
  });

  it("wants the add/remove sensitivity of a bounded sum over ε", () => {
    const q = question("noise-calibration", "sum-scale");
    expect(check(q, 180).status).toBe("correct");
    expect(check(q, 144).message).toMatch(/REPLACED/);
    expect(check(q, 45).message).toMatch(/Divide/);
    expect(check(q, 2).message).toMatch(/count's scale/);
    expect(check(q, "").status).toBe("not-attempted");
  });

  it("reads δ as additive slack and explains the 'probability of failure' reading", () => {
    const q = question("noise-calibration", "delta-meaning");
    expect(check(q, "b").status).toBe("correct");
    expect(check(q, "A").message).toMatch(/stronger reading/);
    expect(check(q, TODO).status).toBe("not-attempted");
  });
});

describe("composition quiz", () => {
  type Entry = { label: string; epsilon: number; times: number; postProcessing: boolean };

  it("passes basic composition that skips post-processing", () => {
    const total = (log: Entry[]) => log.filter((e) => !e.postProcessing).reduce((s, e) => s + e.epsilon * e.times, 0);
    const result = check(question("composition", "total-epsilon"), total);
    expect(result.status).toBe("correct");
    expect(result.casesRun).toBe(7);
  });

  it("names charging post-processing, ignoring repeats and taking the largest", () => {
    const q = question("composition", "total-epsilon");
    expect(check(q, (log: Entry[]) => log.reduce((s, e) => s + e.epsilon * e.times, 0)).message).toMatch(/Post-processing spends nothing/);
    expect(check(q, (log: Entry[]) => log.filter((e) => !e.postProcessing).reduce((s, e) => s + e.epsilon, 0)).message).toMatch(/each time/);
    expect(check(q, (log: Entry[]) => Math.max(0, ...log.filter((e) => !e.postProcessing).map((e) => e.epsilon))).message).toMatch(/add up/);
    expect(check(q, TODO).status).toBe("not-attempted");
  });

  it("takes k·ε for a household and names ε and ε/k", () => {
    const q = question("composition", "group-privacy");
    expect(check(q, 1.2).status).toBe("correct");
    expect(check(q, 0.4).message).toMatch(/3 steps apart/);
    expect(check(q, 0.4 / 3).message).toMatch(/weaker/);
  });

  it("explains why RDP composes better", () => {
    const q = question("composition", "why-rdp");
    expect(check(q, "A").status).toBe("correct");
    expect(check(q, "B").message).toMatch(/still needs a δ/);
    expect(check(q, "C").message).toMatch(/unbounded/);
    expect(check(q, undefined).status).toBe("not-attempted");
  });
});
