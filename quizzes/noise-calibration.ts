/** Noise calibrated to sensitivity: the Laplace scale, a bounded sum's sensitivity, and what δ means. */
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase } from "./cases";

type CountArgs = [answers: boolean[], epsilon: number, noise: number];

const count = (answers: boolean[]) => answers.filter(Boolean).length;
const countCase = (name: string, answers: boolean[], epsilon: number, noise: number) =>
  referenceCase<CountArgs>(name, [answers, epsilon, noise], (a, e, z) => count(a) + z / e, {
    mistakes: [
      { value: (a, e, z) => count(a) + z * e, message: "The scale is Δ/ε = 1/ε: divide the standard draw by ε (smaller ε, more noise), do not multiply." },
      { value: (a, _e, z) => count(a) + z, message: "The draw has scale 1; the count needs scale 1/ε. Multiply the draw by the scale." },
      { value: (a) => count(a), message: "No noise was added: the exact count is not private." },
      { value: (a, e, z) => count(a) + (z * a.length) / e, message: "The scale must not depend on the data: a count's sensitivity is 1, whatever the number of rows." },
    ],
    problem: (got) => (typeof got === "number" ? null : "Return one number: the noisy count."),
  });

const flags = (pattern: string) => [...pattern].map((c) => c === "1");
const SUM_LOWER = 18;
const SUM_UPPER = 90;
const SUM_EPSILON = 0.5;

export const noiseCalibrationQuiz: QuizDefinition = {
  id: "noise-calibration",
  title: "Quiz: noise calibrated to sensitivity",
  questions: [
    {
      id: "laplace-count",
      kind: "coding",
      prompt:
        "Write noisyCount(answers, epsilon, noise): answers says for each customer whether they bought last month; noise is one draw " +
        "from the standard Laplace distribution (scale 1). Return the count of true answers released with the ε-DP Laplace mechanism.",
      cases: [
        countCase("three of five, ε = 1", flags("10101"), 1, 0.7),
        countCase("ε = 0.5 doubles the noise", flags("1100"), 0.5, -1.2),
        countCase("ε = 4", flags("111111"), 4, 2),
      ],
      hiddenCases: [
        countCase("no customers", [], 1, 0.3),
        countCase("nobody bought", flags("0000000"), 0.25, -0.4),
        countCase("many customers", Array.from({ length: 1000 }, (_, i) => i % 3 === 0), 2, 1.5),
        countCase("a tiny ε", flags("11"), 0.01, 0.05),
      ],
      hints: ["A count's sensitivity is 1: adding or removing one customer changes it by at most 1.", "Laplace scale b = Δ/ε; a standard draw times b has scale b."],
      solution:
        "function noisyCount(answers: boolean[], epsilon: number, noise: number): number {\n" +
        "  const count = answers.filter((a) => a).length;\n" +
        "  return count + noise * (1 / epsilon);\n" +
        "}\n" +
        "quiz.q1.check(noisyCount)",
    },
    {
      id: "sum-scale",
      kind: "numeric",
      prompt:
        `The shop releases the sum of its customers' ages, each clamped to [${SUM_LOWER}, ${SUM_UPPER}], with the Laplace mechanism at ε = ${SUM_EPSILON}. ` +
        "Neighbouring datasets add or remove one customer. What Laplace scale b is needed?",
      expected: () => Math.max(Math.abs(SUM_LOWER), Math.abs(SUM_UPPER)) / SUM_EPSILON,
      tolerance: { relative: 1e-6 },
      traps: [
        { value: () => (SUM_UPPER - SUM_LOWER) / SUM_EPSILON, relative: 1e-6, message: "(upper − lower) is the sensitivity when one customer's age is REPLACED. Here a customer is added or removed: the sum moves by their whole age, up to 90." },
        { value: () => SUM_UPPER * SUM_EPSILON, relative: 1e-6, message: "Divide the sensitivity by ε: smaller ε needs more noise." },
        { value: () => 1 / SUM_EPSILON, relative: 1e-6, message: "That is a count's scale (sensitivity 1). A sum of ages moves by up to one whole age." },
      ],
      hints: ["How much can the sum change when one customer is added or removed?", `At most max(|lower|, |upper|) = ${SUM_UPPER}; b = Δ/ε.`],
      solution: `quiz.q2.check(${SUM_UPPER} / ${SUM_EPSILON})`,
    },
    {
      id: "delta-meaning",
      kind: "choice",
      prompt: "The Gaussian mechanism is (ε, δ)-DP with δ = 10⁻⁵. What does δ say?",
      choices: {
        A: "With probability δ the mechanism publishes the data in the clear; otherwise it is ε-DP",
        B: "For every set S of outputs and neighbouring D, D′: P[M(D) ∈ S] ≤ e^ε · P[M(D′) ∈ S] + δ. δ is additive slack in the bound",
        C: "The standard deviation of the noise",
        D: "The share of customers left out of the release",
      },
      answer: "B",
      feedback: {
        A: "That is a different, stronger reading ('ε-DP except with probability δ'). The definition only allows each event's probability to exceed e^ε times its neighbour's by at most δ; a mechanism that may publish everything with probability δ is allowed by it too, which is why δ must be tiny (well below 1/N).",
        C: "The noise's scale is σ; δ is part of the guarantee that σ buys.",
        D: "Nobody is left out: everyone is in the data and covered by the same bound.",
      },
      hints: ["Write the definition of (ε, δ)-DP and look where δ appears.", "It is added to the right-hand side of the inequality."],
      solution: 'quiz.q3.check("B")',
    },
  ],
};
