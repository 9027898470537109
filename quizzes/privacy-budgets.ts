/** Choosing a privacy budget: what a run spends, the least noise that meets a target, and what δ buys. */
import { calibrateNoise, computeEpsilon } from "../src/privacy/accountant";
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase } from "./cases";

interface Run {
  sampleRate: number;
  steps: number;
  delta: number;
}
type Args = [number[], number, Run];

const epsilonOf = (sigma: number, run: Run) =>
  computeEpsilon({ sampleRate: run.sampleRate, noiseMultiplier: sigma, steps: run.steps, delta: run.delta }).epsilon;

/** The smallest σ of the grid whose run spends at most the target, or null. */
function smallestSigmaReference(sigmas: number[], targetEpsilon: number, run: Run): number | null {
  const enough = sigmas.filter((sigma) => epsilonOf(sigma, run) <= targetEpsilon);
  return enough.length === 0 ? null : Math.min(...enough);
}

function sigmaProblem(got: unknown, expected: unknown, [sigmas, target, run]: Args): string | null {
  if (got === null || got === undefined) return `σ = ${expected} spends ε = ${epsilonOf(expected as number, run).toFixed(3)} ≤ ${target}: return it rather than null.`;
  if (typeof got !== "number" || !sigmas.includes(got)) return `Return one of the grid's σ values (${sigmas.join(", ")}), or null if none meets the target.`;
  const spent = epsilonOf(got, run);
  if (spent > target) return `σ = ${got} spends ε = ${spent.toFixed(3)} > ${target}: not enough noise for the target.`;
  if (expected === null) return "No σ of the grid meets the target: return null.";
  return `σ = ${got} meets the target (ε = ${spent.toFixed(3)}), but σ = ${expected} does too with less noise: extra noise costs accuracy.`;
}

function sigmaCase(name: string, sigmas: number[], targetEpsilon: number, run: Run) {
  return referenceCase(name, [sigmas, targetEpsilon, run] as Args, smallestSigmaReference, { problem: sigmaProblem });
}

/** The default pipeline's training: batches of 128 of the 800 customers, 5 epochs of 6 steps (a test checks it). */
export const PIPELINE_RUN: Readonly<Run> = Object.freeze({ sampleRate: 128 / 800, steps: 30, delta: 1e-5 });
const pipelineSigma = () => calibrateNoise({ targetEpsilon: 1, ...PIPELINE_RUN }).noiseMultiplier;
const GRID = [0.5, 1, 1.5, 2, 3, 4, 5, 6, 8];

export const privacyBudgetsQuiz: QuizDefinition = {
  id: "privacy-budgets",
  title: "Quiz: choosing a privacy budget",
  questions: [
    {
      id: "more-epochs",
      kind: "choice",
      prompt: "You keep ε = 1 and δ = 10⁻⁵ but train for 10 epochs instead of 5. What happens to the noise multiplier σ?",
      choices: {
        A: "It stays the same: ε is spent per epoch, so 10 epochs simply spend ε = 1 twice",
        B: "It grows: the whole run must fit in the same budget, so every step gets more noise",
        C: "It shrinks: more steps average the noise out",
        D: "It stays the same, and the run spends ε = 2 instead of 1",
      },
      answer: "B",
      feedback: {
        A: "ε is the budget of the whole training run, not of one epoch: the accountant composes every step.",
        C: "The accountant adds up what every step reveals; more steps reveal more, so each needs more noise to stay within ε.",
        D: "That is what would happen at a fixed σ. Here ε is the target: the pipeline recalibrates σ so that the longer run still spends at most 1.",
      },
      hints: [
        "Reread 'Reading the curve': who spends the budget?",
        "Twice as many steps, the same total ε: calibrateNoise({ targetEpsilon: 1, delta: 1e-5, sampleRate: 0.16, steps: 60 }) vs steps: 30.",
      ],
      solution: '// The budget covers the whole run: more steps at the same ε need more noise per step.\nquiz.q1.check("B")',
    },
    {
      id: "smallest-sigma",
      kind: "coding",
      prompt:
        "Write smallestSigma(sigmas, targetEpsilon, run): sigmas is a grid of noise multipliers (in any order), run is " +
        "{ sampleRate, steps, delta }. Return the smallest σ of the grid whose run spends ε ≤ targetEpsilon " +
        "(use computeEpsilon), or null if none does.",
      cases: [
        sigmaCase("the pipeline's run, ε ≤ 2", GRID, 2, PIPELINE_RUN),
        sigmaCase("the pipeline's run, ε ≤ 8", GRID, 8, PIPELINE_RUN),
      ],
      hiddenCases: [
        sigmaCase("a grid out of order", [6, 0.8, 4, 1.2, 2.5, 1], 3, { sampleRate: 0.04, steps: 250, delta: 1e-5 }),
        sigmaCase("no σ is enough", [0.3, 0.5, 0.7], 0.5, PIPELINE_RUN),
        sigmaCase("every σ is enough", [3, 10, 5], 50, { sampleRate: 0.01, steps: 100, delta: 1e-6 }),
        sigmaCase("full batches, δ = 10⁻³", [1, 2, 4, 8, 16], 1, { sampleRate: 1, steps: 10, delta: 1e-3 }),
      ],
      hints: [
        "computeEpsilon({ sampleRate, noiseMultiplier: σ, steps, delta }).epsilon is what a run with σ spends; larger σ spends less.",
        "Keep the σ values whose ε is at most the target, then return the smallest of them (the grid need not be sorted), or null if none is left.",
      ],
      solution:
        "function smallestSigma(sigmas: number[], targetEpsilon: number, run: { sampleRate: number; steps: number; delta: number }): number | null {\n" +
        "  const enough = sigmas.filter(\n" +
        "    (sigma) => computeEpsilon({ sampleRate: run.sampleRate, noiseMultiplier: sigma, steps: run.steps, delta: run.delta }).epsilon <= targetEpsilon,\n" +
        "  );\n" +
        "  return enough.length === 0 ? null : Math.min(...enough);\n" +
        "}\n" +
        "quiz.q2.check(smallestSigma)",
    },
    {
      id: "delta-trade",
      kind: "numeric",
      prompt:
        "The default run (sampleRate 128/800, 30 steps) calibrates σ for ε = 1 at δ = 10⁻⁵. Keep that σ and accept " +
        "δ = 10⁻³ instead: what ε does the same run spend? Answer to two decimals.",
      expected: () => epsilonOf(pipelineSigma(), { ...PIPELINE_RUN, delta: 1e-3 }),
      tolerance: { absolute: 0.006 },
      traps: [
        {
          value: () => 1,
          relative: 0.01,
          message: "ε depends on δ: for the same σ, a larger δ (more additive slack: P[M(D) ∈ S] ≤ e^ε·P[M(D′) ∈ S] + δ) buys a smaller ε.",
        },
        {
          value: () => calibrateNoise({ targetEpsilon: 1, delta: 1e-3, sampleRate: PIPELINE_RUN.sampleRate, steps: PIPELINE_RUN.steps }).noiseMultiplier,
          relative: 0.01,
          message: "That is the σ that would spend ε = 1 at δ = 10⁻³. The question keeps σ and asks for ε.",
        },
        {
          value: pipelineSigma,
          relative: 0.01,
          message: "That is σ. Pass it to computeEpsilon with δ = 10⁻³ and read .epsilon.",
        },
      ],
      hints: [
        "First the σ: calibrateNoise({ targetEpsilon: 1, delta: 1e-5, sampleRate: 128 / 800, steps: 30 }).noiseMultiplier.",
        "Then computeEpsilon({ sampleRate: 128 / 800, noiseMultiplier: σ, steps: 30, delta: 1e-3 }).epsilon.",
      ],
      solution:
        "const calibrated = calibrateNoise({ targetEpsilon: 1, delta: 1e-5, sampleRate: 128 / 800, steps: 30 }).noiseMultiplier;\n" +
        "quiz.q3.check(computeEpsilon({ sampleRate: 128 / 800, noiseMultiplier: calibrated, steps: 30, delta: 1e-3 }).epsilon)",
    },
    {
      id: "who-pays",
      kind: "choice",
      prompt:
        "At ε = 0.1 the rural customers (92 training people, 23 test people) lost 10.4 accuracy points, 95 % interval [2.7, 18.5]; " +
        "the metro customers (310 training people, 78 test people) lost 3.8 points, interval [0.2, 7.6]. What does this show?",
      choices: {
        A: "Rural customers paid more for privacy than metro customers: 10.4 is well above 3.8",
        B: "Both groups lost accuracy (each interval is above 0), but these test groups are too small to show that one lost more than the other",
        C: "Nothing: with ε = 0.1 every difference is noise",
        D: "Rural customers got a weaker privacy guarantee than metro customers",
      },
      answer: "B",
      feedback: {
        A: "The intervals overlap: with 23 rural people to test on, 10.4 and 3.8 are not told apart by this data. It points the way Bagdasaryan et al. found, without proving it here.",
        C: "Each group's interval is above 0, so each group's drop is more than the noise of its test people and of the seeds.",
        D: "DP's guarantee is the same ε for every person, whatever their group. What differs is the accuracy each group receives.",
      },
      hints: [
        "Look at each interval against 0, then at the two intervals against each other.",
        "Do [2.7, 18.5] and [0.2, 7.6] overlap?",
      ],
      solution: '// Both intervals lie above 0; they overlap, so the groups cannot be ranked.\nquiz.q4.check("B")',
    },
  ],
};
