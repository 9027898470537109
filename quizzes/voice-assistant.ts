/** The voice assistant: what user-level DP covers, clipping a user's update, and group privacy. */
import { clipUpdate } from "../src/federated";
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase, type Mistake } from "./cases";

type ClipArgs = [number[], number];

const clipReference = (update: number[], clipNorm: number) => Array.from(clipUpdate(update, clipNorm).clipped);

/** Tempting: clip each coordinate to [−C, C] (that bounds the max, not the norm, and bends the direction). */
export const clipEachCoordinate = (update: number[], clipNorm: number) => update.map((u) => Math.max(-clipNorm, Math.min(clipNorm, u)));
/** Tempting: always rescale to norm C, blowing up small updates (a user who said little would weigh as much as anybody). */
export const scaleToNorm = (update: number[], clipNorm: number) => {
  const norm = Math.hypot(...update);
  return norm === 0 ? update.map(() => 0) : update.map((u) => (u * clipNorm) / norm);
};

const CLIP_MISTAKES: Mistake<ClipArgs>[] = [
  {
    value: clipEachCoordinate,
    message: "That clips each number to [−C, C]: the update's norm can still be √d·C, and its direction changes. Scale the whole vector by min(1, C/‖Δ‖).",
  },
  {
    value: scaleToNorm,
    message: "An update already shorter than C must stay as it is: scale by min(1, C/‖Δ‖), not C/‖Δ‖.",
  },
  {
    value: (update, clipNorm) => update.map((u) => u * Math.min(1, clipNorm / update.reduce((s, x) => s + Math.abs(x), 0))),
    message: "That uses the sum of absolute values (the L1 norm). DP-FedAvg's Gaussian noise is calibrated to the L2 norm: √(Σ Δᵢ²).",
  },
];

function clipCase(name: string, update: number[], clipNorm: number) {
  return referenceCase(name, [update, clipNorm] as ClipArgs, clipReference, {
    mistakes: CLIP_MISTAKES,
    tolerance: 1e-9,
    problem: (got) => (!Array.isArray(got) ? `Return the clipped update as an array of ${update.length} numbers; got ${typeof got}.` : null),
  });
}

const EXAMPLE_EPSILON = 0.5;
const GROUP = 6;

export const voiceAssistantQuiz: QuizDefinition = {
  id: "voice-assistant",
  title: "Quiz: the voice assistant, user by user",
  questions: [
    {
      id: "user-level",
      kind: "choice",
      prompt:
        "The assistant's model is trained once, on a year of recordings, with user-level DP-FedAvg at ε = 4 per user. " +
        "Someone said their phone number to it 60 times that year. What does the guarantee say about that number?",
      choices: {
        A: "Nothing: the number is in 60 utterances, and the guarantee covers each utterance separately",
        B: "The trained model's distribution is within a factor e⁴ (up to δ) of what it would be had none of this person's data, the 60 utterances with the number and everything else they said, been used at all",
        C: "The number is protected at ε = 4 × 60 = 240",
        D: "The number cannot be learned because the recordings never leave the phone",
      },
      answer: "B",
      feedback: {
        A: "That is example-level DP. The unit of user-level DP is everything one person contributed: all 60 utterances together.",
        C: "That is group privacy applied to an example-level guarantee. User-level DP already treats the 60 utterances as one unit.",
        D: "Federated learning keeps the raw data on the phone, but the updates it sends carry what was learned from it: non-private FedAvg can still memorise. The noise is what protects the number.",
      },
      hints: [
        "Who is the neighbouring dataset missing under user-level DP: one utterance, or one person?",
        "Each user's whole update is clipped to C and the noise is calibrated to C: one person's influence on a round is bounded, whatever they said.",
      ],
      solution: '// The unit is the person: all their utterances at once.\nquiz.q1.check("B")',
    },
    {
      id: "clip-update",
      kind: "coding",
      prompt:
        "Write clipUserUpdate(update, clipNorm): a user's model update Δ (an array of numbers) scaled so that its L2 norm " +
        "is at most clipNorm, Δ · min(1, C/‖Δ‖), as DP-FedAvg's server does before summing. Return a new array.",
      cases: [
        clipCase("a long update", [3, 4], 1),
        clipCase("already short enough", [0.1, -0.2, 0.2], 1),
      ],
      hiddenCases: [
        clipCase("one large coordinate", [10, 0.5, -0.5, 0], 2),
        clipCase("exactly on the boundary", [0.6, 0.8], 1),
        clipCase("all zeros", [0, 0, 0], 0.5),
        clipCase("many small coordinates", Array.from({ length: 50 }, (_, i) => ((i % 7) - 3) / 10), 1),
      ],
      hints: [
        "‖Δ‖ = Math.hypot(...update), the square root of the sum of squares.",
        "Multiply every coordinate by the same factor: Math.min(1, clipNorm / norm) (and leave a zero update as it is).",
      ],
      solution:
        "function clipUserUpdate(update: number[], clipNorm: number): number[] {\n" +
        "  const norm = Math.hypot(...update);\n" +
        "  const factor = norm > clipNorm ? clipNorm / norm : 1;\n" +
        "  return update.map((u) => u * factor);\n" +
        "}\n" +
        "quiz.q2.check(clipUserUpdate)",
    },
    {
      id: "group-privacy",
      kind: "numeric",
      prompt:
        `A keyboard model is trained with example-level DP-SGD at ε = ${EXAMPLE_EPSILON} per example. One user's secret appears in ` +
        `${GROUP} of the training examples. What ε does group privacy give for those ${GROUP} examples together (the bound on how ` +
        "much the model can reveal about whether that user's secret was in the data; leave δ aside)?",
      expected: () => GROUP * EXAMPLE_EPSILON,
      tolerance: { absolute: 1e-6 },
      traps: [
        {
          value: () => EXAMPLE_EPSILON,
          relative: 1e-6,
          message: "ε is per example: changing 6 examples at once is 6 steps of one example each, and the bounds add up.",
        },
        {
          value: () => Math.sqrt(GROUP) * EXAMPLE_EPSILON,
          relative: 1e-6,
          message: "Group privacy grows linearly with the group: k·ε (the √k of advanced composition is for independent releases, not for k changed records).",
        },
        {
          value: () => EXAMPLE_EPSILON ** GROUP,
          relative: 1e-6,
          message: "The factors e^ε multiply, so the ε's add: e^ε · e^ε · … = e^{kε}.",
        },
      ],
      hints: [
        "Change the 6 examples one at a time: each change moves the output distribution by at most a factor e^ε.",
        `${GROUP} × ${EXAMPLE_EPSILON}`,
      ],
      solution: `quiz.q3.check(${GROUP} * ${EXAMPLE_EPSILON})`,
    },
    {
      id: "sampling-rate",
      kind: "choice",
      prompt:
        "DP-FedAvg samples each of 240 users with probability q each round (40 expected a round), for 20 rounds. Which sampling rate " +
        "must the accountant use for a per-user ε?",
      choices: {
        A: "q = 40 / 240: each user's chance of taking part in a round",
        B: "The number of examples in a round divided by all examples",
        C: "q = 1: every user's update is always in the sum",
        D: "q = 1 / 40: one user among those of a round",
      },
      answer: "A",
      feedback: {
        B: "That would be the example-level rate. The unit here is the user, so the amplification comes from sampling users.",
        C: "Only a sampled user's update is in the round's sum; with q = 1 the accountant would ignore the amplification that sampling gives (and the ε would be far larger).",
        D: "The accountant needs the probability that a given user takes part, not a share of the round.",
      },
      hints: ["Privacy amplification by sampling: what is the chance that the protected unit is in one round's computation?"],
      solution: 'quiz.q4.check("A")',
    },
  ],
};
