/** Lesson 11: metrics per group, what counts as a bias, and the cost of training on synthetic data. */
import { wilsonInterval } from "../src/trends/groupMetrics";
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase } from "./cases";

/** Reference: recall per group, for groups with at least one actual positive. */
function recallByGroup(labels: number[], predictions: number[], groups: string[]): Record<string, number> {
  const hits: Record<string, number> = {};
  const positives: Record<string, number> = {};
  labels.forEach((y, i) => {
    if (y !== 1) return;
    positives[groups[i]] = (positives[groups[i]] ?? 0) + 1;
    hits[groups[i]] = (hits[groups[i]] ?? 0) + (predictions[i] === 1 ? 1 : 0);
  });
  return Object.fromEntries(Object.keys(positives).sort().map((g) => [g, hits[g] / positives[g]]));
}

const RURAL = wilsonInterval(14, 20) as { low: number; high: number };
/** Right answers the rural group would need to match the others' 85 % (153/180): 17 of 20. */
const RURAL_TO_CLOSE_GAP = Math.ceil((153 / 180) * 20) - 14;
const percent = (x: number) => `${Math.round(100 * x)} %`;

type RecallArgs = [number[], number[], string[]];

/** Records compared as [group, value] lists sorted by group. */
const asPairs = (record: unknown): unknown =>
  record !== null && typeof record === "object" && !Array.isArray(record)
    ? Object.entries(record as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).flat()
    : record;

const recallCase = (name: string, labels: number[], predictions: number[], groups: string[]) => {
  const base = referenceCase<RecallArgs>(name, [labels, predictions, groups], (...args) => asPairs(recallByGroup(...args)), {
    mistakes: [
      {
        value: (y, p, g) => {
          const right: Record<string, number> = {};
          const all: Record<string, number> = {};
          y.forEach((label, i) => {
            all[g[i]] = (all[g[i]] ?? 0) + 1;
            right[g[i]] = (right[g[i]] ?? 0) + (label === p[i] ? 1 : 0);
          });
          return asPairs(Object.fromEntries(Object.keys(all).map((k) => [k, right[k] / all[k]])));
        },
        message: "That is accuracy per group. Recall counts only the actual buyers (label 1): the share of them predicted 1.",
      },
      {
        value: (y, p, g) => {
          const hits: Record<string, number> = {};
          const predicted: Record<string, number> = {};
          p.forEach((pred, i) => {
            if (pred !== 1) return;
            predicted[g[i]] = (predicted[g[i]] ?? 0) + 1;
            hits[g[i]] = (hits[g[i]] ?? 0) + (y[i] === 1 ? 1 : 0);
          });
          return asPairs(Object.fromEntries(Object.keys(predicted).map((k) => [k, hits[k] / predicted[k]])));
        },
        message: "That is precision per group (of those predicted 1, how many bought). Recall divides by the actual buyers.",
      },
    ],
  });
  return { ...base, verify: (got: unknown, args: RecallArgs, call: (...args: RecallArgs) => unknown) => base.verify(asPairs(got), args, call) };
};

export const accurateTrendsQuiz: QuizDefinition = {
  id: "accurate-trends",
  title: "Quiz: accurate trends",
  questions: [
    {
      id: "recall-by-group",
      kind: "coding",
      prompt:
        "Write recallByGroup(labels, predictions, groups): labels and predictions are 0/1 per person, groups[i] is person i's group. " +
        "Return an object group → recall (the share of that group's actual buyers, label 1, predicted 1). Leave out groups without any buyer.",
      cases: [
        recallCase("two groups", [1, 1, 0, 1, 1, 0], [1, 0, 0, 1, 1, 1], ["a", "a", "a", "b", "b", "b"]),
        recallCase("a group without buyers is left out", [1, 0, 0], [1, 1, 0], ["x", "y", "y"]),
      ],
      hiddenCases: [
        recallCase("three age bands", [1, 1, 1, 0, 1, 0, 1, 1], [0, 1, 1, 1, 0, 0, 1, 0], ["18–29", "30–44", "18–29", "45–64", "45–64", "30–44", "30–44", "45–64"]),
        recallCase("every buyer missed in one group", [1, 1, 1, 1], [0, 0, 1, 1], ["rural", "rural", "city", "city"]),
      ],
      hints: [
        "For each group, count its actual buyers (label 1) and how many of them the model predicted 1.",
        "recall[g] = (buyers in g predicted 1) / (buyers in g); skip groups with no buyers.",
      ],
      solution:
        "function recallByGroup(labels: number[], predictions: number[], groups: string[]): Record<string, number> {\n" +
        "  const buyers: Record<string, number> = {};\n" +
        "  const found: Record<string, number> = {};\n" +
        "  labels.forEach((y, i) => {\n" +
        "    if (y !== 1) return;\n" +
        "    buyers[groups[i]] = (buyers[groups[i]] ?? 0) + 1;\n" +
        "    found[groups[i]] = (found[groups[i]] ?? 0) + (predictions[i] === 1 ? 1 : 0);\n" +
        "  });\n" +
        "  return Object.fromEntries(Object.keys(buyers).map((g) => [g, found[g] / buyers[g]]));\n" +
        "}\n" +
        "quiz.q1.check(recallByGroup)",
    },
    {
      id: "is-it-a-bias",
      kind: "choice",
      prompt:
        "The model is right for 14 of the 20 rural customers (70 %) and for 153 of the other 180 (85 %). What should you conclude?",
      choices: {
        A: "It is a bias: 15 points is a large gap",
        B: "Not yet: with 20 people the 70 % is very uncertain; test the difference (and correct for testing many groups) before calling it a bias",
        C: "Nothing: accuracy cannot show a bias, only recall can",
        D: "It is a bias only if the rural group's precision is also lower",
      },
      answer: "B",
      feedback: {
        A: `${RURAL_TO_CLOSE_GAP} more right answers (${14 + RURAL_TO_CLOSE_GAP} of 20) would close the whole gap: with 20 people the 95 % Wilson interval around 70 % spans ${percent(RURAL.low)}–${percent(RURAL.high)}, which includes 85 %. Test it first.`,
        C: "Any metric can differ between groups; the question is whether the difference is more than chance.",
        D: "Each metric is its own question; precision does not decide whether an accuracy gap is real.",
      },
      hints: ["How wide is a 95 % interval for 14 out of 20?", "findBiases uses a two-proportion z-test with Holm's correction for exactly this."],
      solution: '// 20 people give a wide interval: test the gap (z-test, Holm-corrected) before calling it a bias.\nquiz.q2.check("B")',
    },
    {
      id: "tstr-gap",
      kind: "numeric",
      prompt:
        "Tested on the same 200 real customers, the model trained on real rows gets 183 right and the one trained on synthetic rows 171. " +
        "How many accuracy points does training on synthetic data cost?",
      expected: () => (100 * (183 - 171)) / 200,
      tolerance: { absolute: 0.05 },
      traps: [
        { value: () => 183 - 171, relative: 0.001, message: "That is the difference in people, not in accuracy points: divide by the 200 customers tested." },
        { value: () => (183 - 171) / 200, relative: 0.001, message: "That is a proportion; accuracy points are percentages (× 100)." },
      ],
      hints: ["Accuracy = right / 200 for each model.", "Gap in points = 100 × (183 − 171) / 200."],
      solution: "quiz.q3.check(100 * (183 - 171) / 200)",
    },
  ],
};
