/** Lesson 10: the GAN behind an anonymity pipeline — who is covered by ε, near-copies, the accountant. */
import { computeEpsilon } from "../src/privacy/accountant";
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase } from "./cases";

const euclidean = (a: readonly number[], b: readonly number[]) => Math.sqrt(a.reduce((s, x, j) => s + (x - b[j]) ** 2, 0));

/** Reference: each synthetic row's distance to its closest training row. */
function distanceToClosest(synthetic: number[][], train: number[][]): number[] {
  return synthetic.map((row) => Math.min(...train.map((t) => euclidean(row, t))));
}

type DcrArgs = [number[][], number[][]];

const dcrCase = (name: string, synthetic: number[][], train: number[][]) =>
  referenceCase<DcrArgs>(name, [synthetic, train], distanceToClosest, {
    tolerance: 1e-6,
    mistakes: [
      {
        value: (s, t) => s.map((row) => Math.min(...t.map((r) => row.reduce((acc, x, j) => acc + (x - r[j]) ** 2, 0)))),
        message: "Those are squared distances: take the square root of Σ (x − y)².",
      },
      {
        value: (s, t) => s.map((row, i) => euclidean(row, t[Math.min(i, t.length - 1)])),
        message: "That compares each synthetic row with the training row at the same index: look for the closest training row instead.",
      },
      {
        value: (s, t) => s.map((row) => Math.max(...t.map((r) => euclidean(row, r)))),
        message: "That is the distance to the farthest training row: a near-copy is about the closest one.",
      },
    ],
    problem: (got, expected) =>
      Array.isArray(got) && Array.isArray(expected) && got.length !== expected.length
        ? `Return one distance per synthetic row (${expected.length}); got ${got.length}.`
        : null,
  });

const Q = 128 / 800;

export const ganIterationQuiz: QuizDefinition = {
  id: "gan-iteration",
  title: "Quiz: the GAN iteration",
  questions: [
    {
      id: "who-is-covered",
      kind: "choice",
      prompt: "Only the discriminator is trained with DP-SGD. Why do the generator and every synthetic row it samples have the same (ε, δ)?",
      choices: {
        A: "The generator never reads a real row: it learns only from the privatised discriminator, so it is post-processing of a DP result",
        B: "The generator adds its own Gaussian noise to every row it produces",
        C: "Synthetic rows are random, and random rows cannot reveal anyone",
        D: "The anonymity pipeline removed names and emails before training",
      },
      answer: "A",
      feedback: {
        B: "The generator's input noise z is not calibrated to anything: it gives no guarantee. The guarantee comes from the discriminator's clipped, noised gradients.",
        C: "A generator trained without DP can reproduce training rows exactly: randomness of the output is not privacy.",
        D: "Dropping direct identifiers does not stop linkage through age and town (lesson 07), and it is not what ε measures.",
      },
      hints: [
        "Which part of the GAN touches real rows?",
        "Anything computed only from the output of a DP mechanism keeps its guarantee (post-processing). What does the generator see?",
      ],
      solution: '// The generator only sees gradients through the privatised discriminator: post-processing keeps (ε, δ).\nquiz.q1.check("A")',
    },
    {
      id: "distance-to-closest",
      kind: "coding",
      prompt:
        "Write distanceToClosest(synthetic, train): both are arrays of encoded rows (arrays of numbers of the same length). " +
        "Return, for each synthetic row, the Euclidean distance to its closest training row.",
      cases: [
        dcrCase("an exact copy is at distance 0", [[1, 2]], [[1, 2], [5, 5]]),
        dcrCase("two synthetic rows", [[0, 0], [3, 4]], [[0, 1], [6, 8]]),
      ],
      hiddenCases: [
        dcrCase("the closest row is last", [[10, 10, 10]], [[0, 0, 0], [1, 1, 1], [9, 10, 10]]),
        dcrCase("one dimension", [[-2], [7], [0.5]], [[0], [1], [2]]),
        dcrCase("more synthetic than training rows", [[1, 0], [0, 1], [1, 1], [2, 2]], [[0, 0], [3, 3]]),
      ],
      hints: [
        "For one synthetic row, compute its distance to every training row and keep the smallest.",
        "Euclidean distance: Math.sqrt(Σ_j (a[j] − b[j])²). Then map over the synthetic rows.",
      ],
      solution:
        "function distanceToClosest(synthetic: number[][], train: number[][]): number[] {\n" +
        "  const distance = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, x, j) => s + (x - b[j]) ** 2, 0));\n" +
        "  return synthetic.map((row) => Math.min(...train.map((t) => distance(row, t))));\n" +
        "}\n" +
        "quiz.q2.check(distanceToClosest)",
    },
    {
      id: "gan-epsilon",
      kind: "numeric",
      prompt:
        "The discriminator Poisson-samples the 800 real rows with q = 128/800, uses noise multiplier σ = 2 and takes 500 steps " +
        "(one per generator step). What ε does the whole GAN spend at δ = 1e-5? Two decimals.",
      expected: () => computeEpsilon({ sampleRate: Q, noiseMultiplier: 2, steps: 500, delta: 1e-5 }).epsilon,
      tolerance: { absolute: 0.01 },
      traps: [
        {
          value: () => computeEpsilon({ sampleRate: Q, noiseMultiplier: 2, steps: 1000, delta: 1e-5 }).epsilon,
          relative: 0.02,
          message: "That counts the generator's steps too. Only the discriminator reads real rows: 500 steps.",
        },
        {
          value: () => computeEpsilon({ sampleRate: 1, noiseMultiplier: 2, steps: 500, delta: 1e-5 }).epsilon,
          relative: 0.02,
          message: "That is without subsampling (q = 1): each step only samples a batch, q = 128/800.",
        },
      ],
      hints: [
        "The accountant composes one subsampled Gaussian event per discriminator step.",
        "computeEpsilon({ sampleRate: 128 / 800, noiseMultiplier: 2, steps: 500, delta: 1e-5 }).epsilon",
      ],
      solution: "quiz.q3.check(computeEpsilon({ sampleRate: 128 / 800, noiseMultiplier: 2, steps: 500, delta: 1e-5 }).epsilon)",
    },
  ],
};
