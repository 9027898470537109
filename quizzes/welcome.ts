/** Welcome: what the budget ε promises, and the noise the pipeline adds to keep it. */
import { calibrateNoise } from "../src/privacy/accountant";
import { stepsPerEpoch } from "../src/privacy/dpsgd/poisson";
import { collect } from "../src/pipeline/collect";
import { DEFAULT_PIPELINE_CONFIG } from "../src/pipeline/run";
import { TRAIN_DEFAULTS } from "../src/pipeline/train";
import type { QuizDefinition } from "../src/quiz/types";

let defaultSigma: number | undefined;

/** The σ that `runPipeline()` calibrates: its ε and δ, over its epochs of Poisson-sampled batches of the 800 training customers. */
export function defaultPipelineSigma(): number {
  if (defaultSigma === undefined) {
    const { epsilon, delta, epochs, model } = DEFAULT_PIPELINE_CONFIG;
    const sampleRate = TRAIN_DEFAULTS[model].batchSize / collect().output.split.train.length;
    const steps = epochs * stepsPerEpoch(sampleRate);
    defaultSigma = calibrateNoise({ targetEpsilon: epsilon, delta, sampleRate, steps }).noiseMultiplier;
  }
  return defaultSigma;
}

export const welcomeQuiz: QuizDefinition = {
  id: "welcome",
  title: "Quiz: welcome to the private pipeline",
  questions: [
    {
      id: "epsilon-meaning",
      kind: "choice",
      prompt: "runPipeline() trains with a privacy budget of ε = 1 (and δ = 10⁻⁵). What does ε bound?",
      choices: {
        A: "The accuracy the model must reach on the test customers",
        B: "The share of customers removed from the table before training",
        C: "How much the trained model, and anything computed from it, can reveal about any one customer: the smaller ε, the stronger the guarantee",
        D: "The amount of noise itself: ε = 1 means noise of standard deviation 1 is added",
      },
      answer: "C",
      feedback: {
        A: "Accuracy is measured after training, not set: a smaller ε usually costs some accuracy.",
        B: "Nobody is removed: DP-SGD keeps every customer and hides each one under noise.",
        D: "That confuses ε with σ. The noise multiplier σ is calibrated from ε (with δ, the sampling rate and the number of steps); ε is the guarantee that noise buys.",
      },
      hints: [
        "ε is about people, not about the model's quality.",
        "Differential privacy: the model must look almost the same whether or not any one customer was in the data; ε says how much 'almost'.",
      ],
      solution: '// ε bounds what the model (and its outputs) can give away about any one customer; smaller is stronger.\nquiz.q1.check("C")',
    },
    {
      id: "noise-multiplier",
      kind: "numeric",
      prompt:
        "To spend at most ε = 1, DP-SGD scales its noise by a noise multiplier σ (the noise has standard deviation σ·C, " +
        "C the clipping norm). What σ did the pipeline use? Read it off the data flow table or the training trace " +
        "(result.stages.trainPrivately). Answer to three decimals.",
      expected: defaultPipelineSigma,
      tolerance: { relative: 0.001 },
      traps: [
        {
          value: () => DEFAULT_PIPELINE_CONFIG.epsilon,
          relative: 0.01,
          message: "That is ε (or ε spent, or the clipping norm C, all about 1). σ is the noise multiplier: look for σ in the training row.",
        },
        {
          value: () => 0,
          relative: 0,
          message: "σ = 0 is the non-private baseline the evaluation compares with. Which σ did the private model use?",
        },
      ],
      hints: [
        "Stage 4 of the data flow table reads 'add noise σ = …'.",
        "result.stages.trainPrivately.noiseMultiplier",
      ],
      solution: "quiz.q2.check(result.stages.trainPrivately.noiseMultiplier)",
    },
  ],
};
