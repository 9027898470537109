/** Attacking the hospital's model: how to read an attack, its advantage, and a canary's exposure. */
import { summariseRoc } from "../src/attacks/roc";
import { exposure } from "../src/memorisation/exposure";
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase, type Mistake } from "./cases";

type Args = [number[], number[]];

/** max over thresholds of TPR − FPR, "member" when score ≥ threshold: the library's ROC summary. */
const advantageReference = (scores: number[], isMember: number[]) => summariseRoc(isMember, scores).maxAdvantage;

/** The best of `measure` (from TPR, FPR and the group sizes) over the thresholds of the library's ROC curve. */
function bestOverThresholds(
  scores: number[],
  isMember: number[],
  measure: (tpr: number, fpr: number, members: number, nonMembers: number) => number,
): number {
  const { points, members, nonMembers } = summariseRoc(isMember, scores);
  return Math.max(...points.map((p) => measure(p.tpr, p.fpr, members, nonMembers)));
}

/** The tempting sweep one row at a time: it puts thresholds between tied scores, which no attack has. */
export function advantageIgnoringTies(scores: number[], isMember: number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const members = isMember.filter((m) => m === 1).length;
  const nonMembers = isMember.length - members;
  let tp = 0;
  let fp = 0;
  let best = 0;
  for (const i of order) {
    if (isMember[i] === 1) tp++;
    else fp++;
    best = Math.max(best, tp / members - fp / nonMembers);
  }
  return best;
}

const ADVANTAGE_MISTAKES: Mistake<Args>[] = [
  {
    value: (scores, isMember) => advantageReference(scores.map((s) => -s), isMember),
    message: 'A higher score means "more likely a member": say "member" when score ≥ threshold, not ≤.',
  },
  {
    value: advantageIgnoringTies,
    message: "Rows with the same score must be counted together: no threshold can accuse one of two tied rows and not the other.",
  },
  {
    value: (scores, isMember) => bestOverThresholds(scores, isMember, (tpr, fpr, m, n) => (tpr * m + (1 - fpr) * n) / (m + n)),
    message: "That is the best accuracy (TP + TN) / N. The advantage is TPR − FPR: the rate of members caught minus the rate of non-members wrongly accused.",
  },
  {
    value: (scores, isMember) => bestOverThresholds(scores, isMember, (tpr, fpr, m, n) => tpr * m - fpr * n),
    message: "That subtracts counts (TP − FP). Use rates: TPR = TP / members, FPR = FP / non-members.",
  },
];

function advantageCase(name: string, scores: number[], isMember: number[]) {
  return referenceCase(name, [scores, isMember] as Args, advantageReference, {
    mistakes: ADVANTAGE_MISTAKES,
    problem: (got) => (typeof got === "number" && (got < 0 || got > 1) ? `An advantage max(TPR − FPR) is between 0 and 1; got ${got}.` : null),
  });
}

const CANDIDATES = 210;
const RANK = 3;

export const hospitalAttacksQuiz: QuizDefinition = {
  id: "hospital-attacks",
  title: "Quiz: attacking the hospital's model",
  questions: [
    {
      id: "low-fpr",
      kind: "choice",
      prompt: "Why does this lesson read each membership attack at a 1 % false-positive rate rather than by its AUC?",
      choices: {
        A: "The AUC is too expensive to compute on 1000 patients",
        B: "An attack that is right about a few patients with near-certainty is a privacy failure even when its average success (the AUC) looks harmless",
        C: "An AUC near 0.5 proves that the model is private",
        D: "At 1 % FPR every attack looks stronger than it really is",
      },
      answer: "B",
      feedback: {
        A: "The AUC is cheap (the lesson reports it too); the question is what it hides.",
        C: "A failing attack proves nothing on its own: it may just be a weak attack. Only DP's bound holds against every attack.",
        D: "It is the other way round: at 1 % FPR a weak attack is no better than chance (TPR = FPR), as the loss attack shows.",
      },
      hints: [
        "Carlini et al. (2022): whom does an attack harm, on average or in the worst case?",
        "The loss attack has a respectable AUC, yet at 1 % FPR it does no better than chance; LiRA finds members with near-certainty.",
      ],
      solution: '// A few patients identified with near-certainty is a failure the average (AUC) hides.\nquiz.q1.check("B")',
    },
    {
      id: "advantage",
      kind: "coding",
      prompt:
        "Write membershipAdvantage(scores, isMember): an attack gave each candidate a score (higher = more likely a " +
        'member) and says "member" when score ≥ a threshold; isMember is the truth (1 = member, 0 = not). Return the ' +
        "attack's advantage at its best threshold, max(TPR − FPR) (Yeom et al. 2018). Try it on " +
        "lossOnLeaky.output.scores and lossOnLeaky.output.isMember.",
      cases: [
        advantageCase("well separated", [0.9, 0.8, 0.7, 0.3, 0.2, 0.1], [1, 1, 0, 1, 0, 0]),
        advantageCase("more non-members than members", [2.5, 0.4, 1.7, -0.3, 1.3, 1.1, -1.2, 0.2], [1, 0, 1, 0, 0, 1, 0, 0]),
      ],
      hiddenCases: [
        advantageCase("tied scores", [1, 1, 1, 0.5, 0.5, 0], [1, 0, 1, 1, 0, 0]),
        advantageCase("members score lower: no advantage", [0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [1, 1, 1, 0, 0, 0]),
        advantageCase("negative scores (−loss)", [-0.05, -0.4, -0.02, -1.3, -0.7, -0.01, -2.2], [1, 0, 1, 0, 1, 1, 0]),
        advantageCase("perfect separation", [5, 6, 7, 1, 2], [1, 1, 1, 0, 0]),
      ],
      hints: [
        "Try each distinct score as the threshold: TPR = members with score ≥ t / all members, FPR = non-members with score ≥ t / all non-members.",
        "Include the threshold above every score (TPR = FPR = 0), so the advantage is never below 0: the advantage is the largest TPR − FPR over all the thresholds.",
      ],
      solution:
        "function membershipAdvantage(scores: number[], isMember: number[]): number {\n" +
        "  const members = isMember.filter((m) => m === 1).length;\n" +
        "  const nonMembers = isMember.length - members;\n" +
        "  let best = 0;\n" +
        "  for (const t of scores) {\n" +
        "    const tp = scores.filter((s, i) => s >= t && isMember[i] === 1).length;\n" +
        "    const fp = scores.filter((s, i) => s >= t && isMember[i] === 0).length;\n" +
        "    best = Math.max(best, tp / members - fp / nonMembers);\n" +
        "  }\n" +
        "  return best;\n" +
        "}\n" +
        "quiz.q2.check(membershipAdvantage)",
    },
    {
      id: "exposure",
      kind: "numeric",
      prompt:
        `A model ranks the canary's true combination of rare diagnoses number ${RANK} among all ${CANDIDATES} candidates ` +
        "(rank 1 = the model's favourite). What is the canary's exposure, in bits? Answer to two decimals.",
      expected: () => exposure(RANK, CANDIDATES),
      tolerance: { absolute: 0.006 },
      traps: [
        {
          value: () => Math.log(CANDIDATES) - Math.log(RANK),
          relative: 0.005,
          message: "That uses the natural logarithm. Exposure is in bits: log₂.",
        },
        {
          value: () => Math.log2(CANDIDATES) - RANK,
          relative: 0.005,
          message: "Subtract log₂ of the rank, not the rank itself.",
        },
        {
          value: () => exposure(1, CANDIDATES),
          relative: 0.005,
          message: "That is the maximum exposure, for rank 1. This canary was ranked third.",
        },
      ],
      hints: ["Exposure = log₂(candidates) − log₂(rank).", `Math.log2(${CANDIDATES}) - Math.log2(${RANK})`],
      solution: `quiz.q3.check(Math.log2(${CANDIDATES}) - Math.log2(${RANK}))`,
    },
  ],
};
