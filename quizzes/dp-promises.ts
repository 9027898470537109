/** What DP promises: the definition, randomised response, and its unbiased estimator. */
import { estimateProportion, responseProbabilities } from "../src/privacy/mechanisms/randomisedResponse";
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase } from "./cases";

type EstimateArgs = [reports: boolean[], epsilon: number];

/** The library's estimator, the reference the learner's must match. */
const reference = (reports: boolean[], epsilon: number) => estimateProportion(reports, epsilon).estimate;

// Clamping first: where the clamped estimate is 1, it equals the raw share of an all-yes sample.
const mistakes = [
  {
    value: (reports: boolean[], epsilon: number) => Math.min(1, Math.max(0, reference(reports, epsilon))),
    message: "Do not clamp the estimate into [0, 1]: clamping makes it biased (it is unbiased only as it is).",
  },
  {
    value: (reports: boolean[]) => reports.filter(Boolean).length / reports.length,
    message: "That is the share of 'yes' reports. Randomised response pulls it towards ½: undo the coin, (f − q)/(p − q).",
  },
  {
    value: (reports: boolean[], epsilon: number) => {
      const f = reports.filter(Boolean).length / reports.length;
      const { keep } = responseProbabilities(epsilon);
      return (f - keep) / (1 - 2 * keep);
    },
    message: "p and q are swapped: p = e^ε/(1 + e^ε) is the probability of reporting the truth, q = 1 − p of flipping.",
  },
];

const reports = (yes: number, no: number) => [...Array.from({ length: yes }, () => true), ...Array.from({ length: no }, () => false)];
const estimateCase = (name: string, yes: number, no: number, epsilon: number) =>
  referenceCase<EstimateArgs>(name, [reports(yes, no), epsilon], reference, {
    mistakes,
    tolerance: 1e-9,
    problem: (got) => (typeof got === "number" ? null : "Return one number: the estimated share of customers whose true answer is yes."),
  });

export const dpPromisesQuiz: QuizDefinition = {
  id: "dp-promises",
  title: "Quiz: what differential privacy promises",
  questions: [
    {
      id: "definition",
      kind: "choice",
      prompt: "A mechanism M is ε-differentially private. Which statement follows from the definition?",
      choices: {
        A: "No attacker can learn anything about anyone from M's output",
        B: "For any two datasets that differ in one person, and any set S of outputs, P[M(D) ∈ S] ≤ e^ε · P[M(D′) ∈ S]: whatever an attacker already knows, the output is almost as likely with or without any one person",
        C: "M removes names and emails, so the output cannot be linked to other tables",
        D: "M's output is within ε of the true answer",
      },
      answer: "B",
      feedback: {
        A: "DP does not stop learning about the population (that is the point of a release); it bounds what the output says about any one person beyond what it would say without them.",
        C: "That is anonymisation (lesson 2), which the linkage attack defeated. DP is a property of the mechanism's output distribution, not of which columns are kept.",
        D: "ε is not an error bar: it bounds a ratio of probabilities. The error depends on the noise, which ε (with the sensitivity) sets.",
      },
      hints: ["The definition compares two probability distributions, on neighbouring datasets.", "It holds for every set of outputs, whatever the attacker knows."],
      solution: 'quiz.q1.check("B")',
    },
    {
      id: "truth-probability",
      kind: "numeric",
      prompt: "Binary randomised response at ε = 2: with what probability does a customer report their true answer? Answer to three decimals.",
      expected: () => responseProbabilities(2).keep,
      tolerance: { absolute: 0.0005 },
      traps: [
        { value: () => 1 - responseProbabilities(2).keep, relative: 0.01, message: "That is the probability of flipping the answer: the truth is kept with e^ε/(1 + e^ε)." },
        { value: () => Math.exp(2) / (Math.exp(2) + 2), relative: 0.01, message: "That is the k-ary formula for k = 3 answers; yes/no has k = 2: e^ε/(e^ε + 1)." },
      ],
      hints: ["The ratio P[truth]/P[flip] must be e^ε, and the two add up to 1.", "p = e^ε/(1 + e^ε)."],
      solution: "quiz.q2.check(Math.exp(2) / (1 + Math.exp(2)))",
    },
    {
      id: "rr-estimator",
      kind: "coding",
      prompt:
        "Write estimate(reports, epsilon): reports are the yes/no answers (true = yes) of binary randomised response at ε. Return the " +
        "unbiased estimate of the share of people whose TRUE answer is yes. With p = e^ε/(1 + e^ε) and f the share of yes reports, " +
        "E[f] = π·p + (1 − π)·(1 − p).",
      cases: [estimateCase("half say yes at ε = 1", 50, 50, 1), estimateCase("30 of 100 at ε = 1", 30, 70, 1), estimateCase("many yes at ε = 3", 80, 20, 3)],
      hiddenCases: [
        estimateCase("everyone says yes (the estimate exceeds 1)", 10, 0, 1),
        estimateCase("nobody says yes", 0, 25, 0.5),
        estimateCase("small ε", 520, 480, 0.1),
        estimateCase("large ε: nearly the raw share", 7, 13, 8),
      ],
      hints: [
        "Solve E[f] = π·p + (1 − π)·(1 − p) for π.",
        "π̂ = (f − (1 − p)) / (2p − 1), with f = (number of true) / reports.length. Do not clamp it.",
      ],
      solution:
        "function estimate(reports: boolean[], epsilon: number): number {\n" +
        "  const p = Math.exp(epsilon) / (1 + Math.exp(epsilon));\n" +
        "  const f = reports.filter((r) => r).length / reports.length;\n" +
        "  return (f - (1 - p)) / (2 * p - 1);\n" +
        "}\n" +
        "quiz.q3.check(estimate)",
    },
  ],
};
