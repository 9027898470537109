/** Differential privacy: spend a budget, clip per example, calibrate the noise. */
import { calibrateNoise, computeEpsilon } from "../src/privacy/accountant";
import type { QuizDefinition, TestCase } from "../src/quiz/types";

const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** Reference per-example clipping, used only to state what is expected. */
function clipReference(gradients: number[][], clipNorm: number): number[][] {
  return gradients.map((g) => {
    const scale = Math.min(1, clipNorm / Math.max(norm(g), 1e-12));
    return g.map((x) => x * scale);
  });
}

function clipCase(name: string, gradients: number[][], clipNorm: number): TestCase<[number[][], number]> {
  const expected = clipReference(gradients, clipNorm);
  return {
    name,
    args: () => [gradients.map((g) => [...g]), clipNorm],
    expected: JSON.stringify(expected.map((g) => g.map((x) => Number(x.toFixed(4))))),
    verify: (got) => {
      if (!Array.isArray(got) || got.length !== expected.length) return `Return one clipped gradient per example (${expected.length} rows).`;
      for (let i = 0; i < expected.length; i++) {
        const row = got[i];
        if (!Array.isArray(row) || row.length !== expected[i].length) return `Row ${i} must keep its ${expected[i].length} coordinates.`;
        if (row.some((x, j) => typeof x !== "number" || !Number.isFinite(x) || Math.abs(x - expected[i][j]) > 1e-6 * (1 + Math.abs(expected[i][j])))) {
          if (row.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
            return `Example ${i} has a value that is not a finite number: guard against dividing by a zero norm.`;
          }
          const n = norm(row as number[]);
          if (n > clipNorm + 1e-9) return `Example ${i} still has norm ${n.toFixed(4)} > C = ${clipNorm}.`;
          return `Example ${i} is not scaled as a whole: clip the vector's norm (keep its direction), not each coordinate.`;
        }
      }
      return null;
    },
  };
}

/**
 * Lesson 04's run accounted both ways ("Two accountants, one run": q = 128/800, 30 steps,
 * δ = 1e-5, σ calibrated by RDP for ε = 1) and audited, to two decimals. Written out rather than
 * computed when the quizzes load; test/quiz/checkers.test.ts recomputes all three.
 */
export const LESSON_RUN = { sampleRate: 128 / 800, steps: 30, delta: 1e-5 };
export const LESSON_NUMBERS = { rdp: "1.00", pld: "0.90", audit: "0.15" } as const;
const { rdp: RDP_SAYS, pld: PLD_SAYS, audit: LESSON_AUDIT_BOUND } = LESSON_NUMBERS;

const SAMPLE_RATE = 64 / 800;
const STEPS_PER_EPOCH = 13;

export const differentialPrivacyQuiz: QuizDefinition = {
  id: "differential-privacy",
  title: "Quiz: differential privacy in training",
  questions: [
    {
      id: "epsilon-spent",
      kind: "numeric",
      prompt:
        "DP-SGD samples each example with probability q = 0.04, adds noise with multiplier σ = 1.1 and runs 250 steps. " +
        "What ε does it spend at δ = 1e-5? (Use the accountant: computeEpsilon.) Answer to two decimals.",
      expected: () => computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 }).epsilon,
      tolerance: { absolute: 0.01 },
      traps: [
        {
          value: () => computeEpsilon({ sampleRate: 1, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 }).epsilon,
          relative: 0.02,
          message: "That is ε without subsampling (q = 1). Poisson sampling with q = 0.04 amplifies privacy: pass sampleRate: 0.04.",
        },
        {
          value: () => computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 1, delta: 1e-5 }).epsilon,
          relative: 0.02,
          message: "That is the ε of a single step. The accountant must compose all 250 steps.",
        },
      ],
      hints: [
        "computeEpsilon({ sampleRate, noiseMultiplier, steps, delta }) returns { epsilon, order }.",
        "computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 }).epsilon",
      ],
      solution: "quiz.q1.check(computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 }).epsilon)",
    },
    {
      id: "clip",
      kind: "coding",
      prompt:
        "Write clip(gradients, C): gradients is an array of per-example gradient vectors; return them with every vector " +
        "scaled so that its L2 norm is at most C (vectors already within C are unchanged).",
      cases: [
        clipCase("one long vector", [[3, 4]], 1),
        clipCase("one short vector stays", [[0.3, 0.4]], 1),
        clipCase("mixed batch", [[3, 4], [0.1, 0.2], [0, -10]], 2),
      ],
      hiddenCases: [
        clipCase("zero vector", [[0, 0, 0]], 1),
        clipCase("exactly on the boundary", [[0.6, 0.8]], 1),
        clipCase("many dimensions", [Array.from({ length: 10 }, (_, i) => i - 4.5), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]], 3),
        clipCase("small clip norm", [[1, 2], [-2, 1], [0.001, 0.001]], 0.1),
      ],
      hints: [
        "Clip each example on its own: compute its norm ‖g‖ = sqrt(Σ g_j²).",
        "Scale the whole vector by min(1, C / ‖g‖); careful with ‖g‖ = 0.",
      ],
      solution:
        "function clip(gradients: number[][], C: number): number[][] {\n" +
        "  return gradients.map((g) => {\n" +
        "    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));\n" +
        "    const scale = norm > C ? C / norm : 1;\n" +
        "    return g.map((x) => x * scale);\n" +
        "  });\n" +
        "}\n" +
        "quiz.q2.check(clip)",
    },
    {
      id: "choose-sigma",
      kind: "value",
      prompt:
        `Training samples batches with q = 64/800 and runs 10 epochs of ${STEPS_PER_EPOCH} steps. Choose the noise multiplier σ ` +
        "so that the whole run costs at most ε = 2 at δ = 1e-5, without adding more than 5% more noise than needed.",
      verify: (answer) => {
        if (typeof answer !== "number" || !Number.isFinite(answer) || answer <= 0) return "Give σ as a positive number.";
        const steps = 10 * STEPS_PER_EPOCH;
        const { epsilon } = computeEpsilon({ sampleRate: SAMPLE_RATE, noiseMultiplier: answer, steps, delta: 1e-5 });
        if (epsilon > 2) return `σ = ${answer} spends ε = ${epsilon.toFixed(3)} > 2 over ${steps} steps: more noise is needed.`;
        const needed = calibrateNoise({ targetEpsilon: 2, delta: 1e-5, sampleRate: SAMPLE_RATE, steps }).noiseMultiplier;
        if (answer > 1.05 * needed) return `σ = ${answer} is private enough but adds more noise than needed (ε = ${epsilon.toFixed(3)}): accuracy pays for it.`;
        return null;
      },
      hints: [
        `The run has 10 × ${STEPS_PER_EPOCH} = ${10 * STEPS_PER_EPOCH} steps.`,
        "calibrateNoise({ targetEpsilon, delta, sampleRate, steps }) finds the smallest σ.",
      ],
      solution: `quiz.q3.check(calibrateNoise({ targetEpsilon: 2, delta: 1e-5, sampleRate: 64 / 800, steps: ${10 * STEPS_PER_EPOCH} }).noiseMultiplier)`,
    },
    {
      id: "tight-accounting",
      kind: "choice",
      prompt:
        `One DP-SGD run (q = 128/800, 30 steps, δ = 1e-5) is accounted twice: the RDP accountant reports ε = ${RDP_SAYS}, ` +
        `the PLD accountant ε = ${PLD_SAYS}. An audit of the trained model proves ε ≥ ${LESSON_AUDIT_BOUND} (95% confidence). Which statement is right?`,
      choices: {
        A: `The run spends ε = ${RDP_SAYS}: PLD's ${PLD_SAYS} is an approximation that may be too low`,
        B: `Both are upper bounds on the same run, PLD's is tighter: the run is (${PLD_SAYS}, 1e-5)-DP, and a correct accountant cannot report less than the audit's ${LESSON_AUDIT_BOUND} (barring the audit's 5% chance of error)`,
        C: `The true ε is ${LESSON_AUDIT_BOUND}: the audit measures it, and both accountants only add safety margins`,
        D: "PLD reports less because it adds less noise to the gradients",
      },
      answer: "B",
      feedback: {
        A: `The PLD accountant rounds its grid upwards: its ε is a guarantee too, just a tighter one. The run is (${PLD_SAYS}, δ)-DP.`,
        C: `An audit proves a lower bound: the run leaks at least that much (with 95% confidence), maybe more. The true value lies between ${LESSON_AUDIT_BOUND} and ${PLD_SAYS} (with the audit's 95% confidence).`,
        D: "Same run, same noise: only the analysis differs. With PLD you could calibrate less noise for ε = 1, but these numbers are for one and the same run.",
      },
      hints: [
        "Reread 'Two accountants, one run': which numbers are upper bounds, and which is a lower bound?",
        "An accountant's ε is a guarantee (the run is at least that private); an audit's ε is a proof of leakage (the run is at most that private).",
      ],
      solution: '// Both accountants bound the same run from above; the audit bounds it from below.\nquiz.q4.check("B")',
    },
  ],
};
