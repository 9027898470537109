/** Feature engineering: standardise with the training rows' statistics, and only theirs. */
import { collect } from "../src/pipeline/collect";
import { anonymize } from "../src/pipeline/anonymize";
import { engineerFeatures, FEATURE_NAMES, fitScaler, type Scaler } from "../src/pipeline/features";
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase, type Mistake } from "./cases";

type Args = [number[], number[]];

/** The library's scaler (mean and population std of the rows listed), for one column. */
function scalerOf(values: number[], rows: number[]): { mean: number; std: number } {
  const { means, stds } = fitScaler(values.map((v) => FEATURE_NAMES.map(() => v)), rows);
  return { mean: means[0], std: stds[0] };
}

function standardiseWith(values: number[], { mean, std }: { mean: number; std: number }): number[] {
  return values.map((v) => (v - mean) / std);
}

const standardiseReference = (values: number[], trainIndices: number[]) =>
  standardiseWith(values, scalerOf(values, trainIndices));

const STANDARDISE_MISTAKES: Mistake<Args>[] = [
  {
    value: (values) => standardiseWith(values, scalerOf(values, values.map((_, i) => i))),
    message: "Your mean and standard deviation include the test rows: measure them on the rows in trainIndices only, or the test customers leak into training.",
  },
  {
    value: (values, trainIndices) => {
      const { mean, std } = scalerOf(values, trainIndices);
      const n = trainIndices.length;
      return standardiseWith(values, { mean, std: std * Math.sqrt(n / (n - 1)) });
    },
    message: "You divided by n − 1 (the sample standard deviation). The course's scaler uses the population standard deviation: divide the sum of squares by n.",
  },
  {
    value: (values, trainIndices) => standardiseWith(values, scalerOf(values, trainIndices.map((_, i) => i))),
    message: "You used the first rows of the column, not the rows listed in trainIndices: the training rows can be anywhere.",
  },
  {
    value: (values, trainIndices) => values.map((v) => v - scalerOf(values, trainIndices).mean),
    message: "The values are centred but not scaled: divide by the training standard deviation too.",
  },
];

function standardiseCase(name: string, values: number[], trainIndices: number[]) {
  return referenceCase(name, [values, trainIndices] as Args, standardiseReference, {
    mistakes: STANDARDISE_MISTAKES,
    tolerance: 1e-6,
    problem: (got) =>
      Array.isArray(got) && got.length !== values.length
        ? `Return one value per row (${values.length}), test rows included: they are standardised with the training statistics.`
        : null,
  });
}

let scalers: { train: Scaler; all: Scaler } | undefined;

/** The scaler of lesson 3 (fitted on the training split), and the one fitted on all rows by mistake. */
function lessonScalers(): { train: Scaler; all: Scaler } {
  if (!scalers) {
    const { customers, split } = collect().output;
    const anonymised = anonymize(customers).output;
    scalers = {
      train: engineerFeatures(anonymised, { trainIndices: split.train }).output.scaler,
      all: engineerFeatures(anonymised, { trainIndices: customers.map((_, i) => i) }).output.scaler,
    };
  }
  return scalers;
}

const RECENCY = FEATURE_NAMES.indexOf("recencyDays");
const DAYS = 300;
const zOf = (scaler: Scaler) => (DAYS - scaler.means[RECENCY]) / scaler.stds[RECENCY];

export const featureEngineeringQuiz: QuizDefinition = {
  id: "feature-engineering",
  title: "Quiz: feature engineering",
  questions: [
    {
      id: "fit-on-train",
      kind: "choice",
      prompt: "Why are the mean and standard deviation for standardising measured on the 800 training customers only?",
      choices: {
        A: "It is faster than measuring them on all 1000",
        B: "So that the 200 test customers do not leak into training: the test accuracy stays an honest estimate for new customers",
        C: "Because the test customers have no outcome, so their features cannot be computed",
        D: "Because standardising all rows together would change the shape of each feature's distribution",
      },
      answer: "B",
      feedback: {
        A: "The saving is negligible; the reason is what the test rows are for.",
        C: "The test customers do have an outcome (that is how accuracy is measured), and their features are computed like anyone's.",
        D: "Standardising never changes the shape, only the location and scale (see the recency chart). The point is which rows choose that location and scale.",
      },
      hints: [
        "The test customers stand in for people the model has never seen.",
        "If the test rows help choose the scaler, information about them reaches the model before it is tested on them.",
      ],
      solution: '// Fitting the scaler on the test rows would let them leak into training and flatter the test accuracy.\nquiz.q1.check("B")',
    },
    {
      id: "standardise",
      kind: "coding",
      prompt:
        "Write standardise(values, trainIndices): values is one feature column (one number per customer), trainIndices " +
        "the rows used for training. Return every value standardised, z = (x − mean) / std, with the mean and the " +
        "(population) standard deviation of the training rows only.",
      cases: [
        standardiseCase("four training rows, one test row", [1, 2, 3, 4, 10], [0, 1, 2, 3]),
        standardiseCase("recency in days", [3, 40, 12, 200, 7, 65], [0, 1, 2, 3]),
      ],
      hiddenCases: [
        standardiseCase("training rows scattered", [5, -2, 8, 0.5, 3, 11, -6], [6, 1, 3, 4]),
        standardiseCase("every row trains", [0.2, 0.4, 0.9, 1.7], [0, 1, 2, 3]),
        standardiseCase(
          "a longer column",
          Array.from({ length: 40 }, (_, i) => Math.round(100 * Math.sin(i * 1.7) + i)),
          Array.from({ length: 30 }, (_, i) => (i * 7) % 40),
        ),
      ],
      hints: [
        "First collect the training values: trainIndices.map((i) => values[i]).",
        "mean = Σ/n and std = sqrt(Σ (x − mean)² / n) over the training values; then map every value (test rows too) to (x − mean) / std.",
      ],
      solution:
        "function standardise(values: number[], trainIndices: number[]): number[] {\n" +
        "  const train = trainIndices.map((i) => values[i]);\n" +
        "  const mean = train.reduce((s, x) => s + x, 0) / train.length;\n" +
        "  const std = Math.sqrt(train.reduce((s, x) => s + (x - mean) ** 2, 0) / train.length);\n" +
        "  return values.map((x) => (x - mean) / std);\n" +
        "}\n" +
        "quiz.q2.check(standardise)",
    },
    {
      id: "standardised-recency",
      kind: "numeric",
      prompt:
        `A customer last bought ${DAYS} days before the reference date. What recencyDays value does the model see for ` +
        "them, after standardisation with the scaler of this lesson (features.output.scaler)? Answer to two decimals.",
      expected: () => zOf(lessonScalers().train),
      tolerance: { absolute: 0.006 },
      traps: [
        { value: () => DAYS, relative: 0, message: `${DAYS} is the raw feature. The model sees it standardised: (x − mean) / std.` },
        {
          value: () => DAYS - lessonScalers().train.means[RECENCY],
          relative: 0.01,
          message: "That is centred but not scaled: divide by the training standard deviation too.",
        },
        {
          value: () => zOf(lessonScalers().all),
          relative: 0.003,
          message: "That uses the mean and standard deviation of all 1000 customers. The scaler is fitted on the training rows only.",
        },
      ],
      hints: [
        `recencyDays is feature number ${RECENCY} (from 0) of features.output.names; the scaler has one mean and one std per feature.`,
        "(300 − features.output.scaler.means[recency]) / features.output.scaler.stds[recency]",
      ],
      solution: `quiz.q3.check((${DAYS} - features.output.scaler.means[recency]) / features.output.scaler.stds[recency])`,
    },
  ],
};
