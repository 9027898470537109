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
      prompt:
        "Only the discriminator is trained with DP-SGD. What does the iteration's reported (ε, δ) cover, according to its trace's notes?",
      choices: {
        A: "The discriminator's training and, by post-processing, the generator's (it never reads a real row); not the encoding's ranges and category lists, read from the real rows without noise, nor the rejection of rows outside those ranges",
        B: "Every released row, fully: the generator never reads a real row, so everything in the release is post-processing of the DP discriminator",
        C: "The generator adds its own Gaussian noise to every row it produces, so every row is covered whatever the discriminator did",
        D: "Only the discriminator: the generator learned from real rows through it, so neither it nor its rows have any guarantee",
      },
      answer: "A",
      feedback: {
        B: "The generator is post-processing, but the release also uses the encoding: ranges, category lists and the out-of-range rejection come from the real rows without noise. The trace's notes say so: the release is not fully covered.",
        C: "The generator's input noise z is not calibrated to anything: it gives no guarantee. The guarantee comes from the discriminator's clipped, noised gradients.",
        D: "The generator only receives gradients through the privatised discriminator: that is post-processing, which keeps the discriminator's (ε, δ).",
      },
      hints: [
        "Which part of the GAN touches real rows? And which numbers of the release were computed from real rows before any training?",
        "Read trained.trace.privacy.notes in lesson 10: one starts with \"NOT covered by ε\".",
      ],
      solution: '// Post-processing covers the generator; the encoding\'s statistics and the range rejection are read from real rows without noise.\nquiz.q1.check("A")',
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
    {
      id: "private-tuning",
      kind: "choice",
      prompt:
        "An agent ran 8 episodes, each a GAN iteration at ε = 2 on the same 800 people, and kept the setting with the best reward " +
        "(accuracy on held-out people minus a penalty per near-copy, both measured without noise). What protects the training people in the kept release?",
      choices: {
        A: "ε = 2: only the kept release is published, and it was trained at ε = 2",
        B: "The composition of the 8 runs (one accountant fed every run): that covers every run and the choice between them",
        C: "The composed ε covers the 8 DP-SGD runs, but the choice read real rows without noise, so nothing covers the tuning; a private tuning needs DP scores (their ε in the accountant) or a DP tuning procedure",
        D: "Nothing at all: tuning on real data voids every DP guarantee, so DP and tuning cannot be combined",
      },
      answer: "C",
      feedback: {
        A: "Which release is published depends on all 8 runs and on the near-copy counts: the other runs' data influenced it. At the least their ε composes.",
        B: "Composition covers releases whose choice used only DP outputs. The rewards here read real rows (near-copies, accuracy) without noise, so the choice is outside ε.",
        D: "They combine: compute the scores with noise and count their ε, tune on public data, or use a procedure analysed for DP (Liu & Talwar 2019; Papernot & Steinke 2022).",
      },
      hints: [
        "Every episode trained on the same people: what does running DP-SGD 8 times cost?",
        "Then ask what the agent's reward read, and whether it was noised.",
      ],
      solution: '// 8 runs compose (one RDP accountant); the choice from noiseless real-row scores is not covered.\nquiz.q4.check("C")',
    },
  ],
};
