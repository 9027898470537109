/** Auditing privacy budgets: from an attack's error rates to a lower bound on ε, and what it can show. */
import { epsilonLowerBoundFromCounts, type AttackCounts, type EpsilonFromCounts } from "../src/audit/hypothesisTest";
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase, type Mistake } from "./cases";

type Args = [number, number, number];

/** Trials per side for turning rates into counts: every rate in the cases is a multiple of 1/TRIALS. */
const TRIALS = 100;

/** The library's point estimate: both inequalities on the raw rates, max(0, …), ∞ when an error rate is 0. */
function rateBound(fpr: number, fnr: number, delta: number): number {
  const counts: AttackCounts = {
    falsePositives: Math.round(fpr * TRIALS),
    trueNegatives: TRIALS - Math.round(fpr * TRIALS),
    falseNegatives: Math.round(fnr * TRIALS),
    truePositives: TRIALS - Math.round(fnr * TRIALS),
  };
  return epsilonLowerBoundFromCounts(counts, { delta }).pointEstimate;
}

const oneSide = (one: number, other: number, delta: number) => Math.log((1 - delta - one) / other);

const RATE_MISTAKES: Mistake<Args>[] = [
  {
    value: (fpr, fnr, delta) => Math.max(0, oneSide(fpr, fnr, delta)),
    message: "Use both inequalities: ln((1 − δ − FPR) / FNR) and, with FPR and FNR swapped, ln((1 − δ − FNR) / FPR); keep the larger.",
  },
  {
    value: (fpr, fnr, delta) => Math.max(0, oneSide(fnr, fpr, delta)),
    message: "Use both inequalities: ln((1 − δ − FPR) / FNR) as well as the swapped one; keep the larger.",
  },
  {
    value: (fpr, fnr, delta) => Math.max(oneSide(fpr, fnr, delta), oneSide(fnr, fpr, delta)),
    message: "A lower bound on ε is never negative: an attack no better than chance proves nothing, so return 0.",
  },
  {
    value: (fpr, fnr) => rateBound(fpr, fnr, 0),
    message: "Subtract δ: the inequality is FPR + e^ε · FNR ≥ 1 − δ.",
  },
  {
    value: (fpr, fnr, delta) => rateBound(fpr, fnr, delta) / Math.LN2,
    message: "Use the natural logarithm (Math.log): ε appears as e^ε.",
  },
];

const rateCase = (name: string, fpr: number, fnr: number, delta: number) =>
  referenceCase(name, [fpr, fnr, delta] as Args, rateBound, { mistakes: RATE_MISTAKES });

/** The audit of question 2: 200 training runs with the canary, 200 without. */
const AUDIT: AttackCounts = { truePositives: 170, falseNegatives: 30, trueNegatives: 190, falsePositives: 10 };
let audited: EpsilonFromCounts | undefined;
const auditBound = () => (audited ??= epsilonLowerBoundFromCounts(AUDIT, { delta: 1e-5, confidence: 0.95 }));

export const auditingQuiz: QuizDefinition = {
  id: "auditing",
  title: "Quiz: auditing privacy budgets",
  questions: [
    {
      id: "epsilon-from-rates",
      kind: "coding",
      prompt:
        "Write epsilonFromRates(fpr, fnr, delta): an attack tells 'trained with the canary' from 'without' with " +
        "false-positive rate fpr and false-negative rate fnr. Under (ε, δ)-DP, FPR + e^ε·FNR ≥ 1 − δ and the same with " +
        "FPR and FNR swapped. Return the largest ε these two inequalities prove (0 if they prove nothing, Infinity " +
        "if an error rate is 0), taking the rates at face value.",
      cases: [
        rateCase("few false negatives", 0.3, 0.02, 1e-5),
        rateCase("few false positives", 0.02, 0.3, 1e-5),
      ],
      hiddenCases: [
        rateCase("a coin flip proves nothing", 0.5, 0.5, 1e-5),
        rateCase("worse than chance", 0.7, 0.6, 1e-5),
        rateCase("never misses a canary", 0.1, 0, 1e-5),
        rateCase("a large δ", 0.05, 0.2, 0.1),
      ],
      hints: [
        "From FPR + e^ε·FNR ≥ 1 − δ: ε ≥ ln((1 − δ − FPR) / FNR). Swap FPR and FNR for the other one.",
        "Return Math.max(0, ln((1 − δ − fpr) / fnr), ln((1 − δ − fnr) / fpr)); dividing by a zero rate gives Infinity by itself.",
      ],
      solution:
        "function epsilonFromRates(fpr: number, fnr: number, delta: number): number {\n" +
        "  return Math.max(0, Math.log((1 - delta - fpr) / fnr), Math.log((1 - delta - fnr) / fpr));\n" +
        "}\n" +
        "quiz.q1.check(epsilonFromRates)",
    },
    {
      id: "audit-bound",
      kind: "numeric",
      prompt:
        `An auditor trains ${AUDIT.truePositives + AUDIT.falseNegatives} models with a canary and ` +
        `${AUDIT.trueNegatives + AUDIT.falsePositives} without. The attack says 'in' for ${AUDIT.truePositives} of the runs ` +
        `with the canary and for ${AUDIT.falsePositives} of the runs without. What lower bound on ε does this prove at ` +
        "95 % confidence, with δ = 10⁻⁵? Answer to two decimals.",
      expected: () => auditBound().epsilonLowerBound,
      tolerance: { absolute: 0.006 },
      traps: [
        {
          value: () => auditBound().pointEstimate,
          relative: 0.005,
          message: "That takes the observed error rates at face value: an estimate, not a bound. Replace each rate by its Clopper–Pearson upper end (epsilonLowerBoundFromCounts does).",
        },
        {
          value: () => {
            const { fprUpper, fnrUpper } = auditBound();
            return Math.log((1 - 1e-5 - fprUpper) / fnrUpper);
          },
          relative: 0.005,
          message: "That is only one of the two inequalities; the other one (FPR and FNR swapped) proves more here.",
        },
      ],
      hints: [
        "TP = 170, FN = 30, TN = 190, FP = 10.",
        "epsilonLowerBoundFromCounts({ truePositives: 170, falseNegatives: 30, trueNegatives: 190, falsePositives: 10 }, { delta: 1e-5, confidence: 0.95 }).epsilonLowerBound",
      ],
      solution:
        "quiz.q2.check(epsilonLowerBoundFromCounts(\n" +
        `  { truePositives: ${AUDIT.truePositives}, falseNegatives: ${AUDIT.falseNegatives}, trueNegatives: ${AUDIT.trueNegatives}, falsePositives: ${AUDIT.falsePositives} },\n` +
        "  { delta: 1e-5, confidence: 0.95 },\n" +
        ").epsilonLowerBound)",
    },
    {
      id: "what-an-audit-shows",
      kind: "choice",
      prompt: "The accountant reports ε = 1. A careful audit of the same training code proves ε ≥ 0.3 at 95 % confidence. What do you conclude?",
      choices: {
        A: "The true ε is 0.3: the accountant overestimates it",
        B: "The audit proves that the training is 1-DP",
        C: "The claim ε = 1 is not refuted; the audit cannot confirm it either, only a bound above 1 would show a problem",
        D: "The code has a bug: the audited ε should equal the accountant's",
      },
      answer: "C",
      feedback: {
        A: "An audit gives a lower bound: ε ≥ 0.3. The true ε can be anywhere from 0.3 up; a stronger attack might prove more.",
        B: "An audit can only refute a claim, never prove it: a weak attack would also find little.",
        D: "A lower bound below the claim is what correct DP-SGD gives; the lesson's audits stay below the accountant for the reasons it lists (few canaries, only the final model seen).",
      },
      hints: ["Is the audit's number an upper bound or a lower bound on ε?", "Which result would contradict the accountant: a bound below 1, or above it?"],
      solution: '// A lower bound below the claim does not contradict it; an audit can refute, not prove.\nquiz.q3.check("C")',
    },
  ],
};
