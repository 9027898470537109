/** The seed document's "Model Quiz – 3 Questions" on the private pipeline. */
import type { QuizDefinition } from "../src/quiz/types";

export const pipelineQuiz: QuizDefinition = {
  id: "pipeline",
  title: "Model quiz: the private pipeline",
  questions: [
    {
      id: "anonymisation-purpose",
      kind: "choice",
      prompt: "What is the main purpose of data anonymization in this pipeline?",
      choices: {
        A: "To remove personal identifiers to protect user privacy",
        B: "To increase the number of features for better accuracy",
        C: "To speed up model training by reducing data size",
        D: "To add noise to model predictions",
      },
      answer: "A",
      feedback: {
        B: "Anonymisation removes columns (name, email); the features come later, in feature engineering.",
        C: "The table does get smaller, but that is a side effect: the point is the people in it.",
        D: "Noise is added to the gradients during training (DP-SGD), not to predictions, and not by anonymisation.",
      },
      hints: ["Look at what stage 2 removes from the table.", "Name and email point at one person: they are direct identifiers."],
      solution: '// Anonymisation removes or masks direct identifiers (name, email): the data no longer names anyone.\nquiz.q1.check("A")',
    },
    {
      id: "dp-noise",
      kind: "choice",
      prompt: "In DP-SGD, why is each customer's gradient clipped before the noise is added?",
      choices: {
        A: "Clipping makes training converge faster",
        B: "Clipping bounds how far any one customer can move the model, so a fixed amount of noise can hide any one of them",
        C: "Clipping removes customers whose data is unusual",
        D: "Clipping is needed to compute the accuracy",
      },
      answer: "B",
      feedback: {
        A: "Clipping usually slows learning a little; it is there for privacy.",
        C: "Nobody is removed: a clipped gradient still counts, scaled down to norm C.",
        D: "Accuracy is measured on the test set, unrelated to clipping.",
      },
      hints: ["The noise has standard deviation σ·C. What does C bound?", "Without a bound, one extreme customer could move the model further than any noise hides."],
      solution: '// Clipping bounds each person\'s contribution (the sensitivity) to C; noise calibrated to C hides any one of them.\nquiz.q2.check("B")',
    },
    {
      id: "prediction-privacy",
      kind: "choice",
      prompt: "What does the privacy check of the prediction trace verify?",
      choices: {
        A: "That the prediction is correct",
        B: "That the new customer agreed to be predicted",
        C: "That no identifier reached the model, that the model carries an (ε, δ) guarantee, and that the output contains no training data",
        D: "That the model was trained on exactly 1000 rows",
      },
      answer: "C",
      feedback: {
        A: "Nobody knows yet whether the customer will buy: that is why we predict.",
        B: "Consent matters, but it is not something the model can check.",
        D: "The number of rows is not a privacy property.",
      },
      hints: ["Look at layer 4 of the prediction trace in lesson 5."],
      solution: '// Layer 4 checks the model input for identifiers, reports the model\'s (ε, δ) and scans the output for training data.\nquiz.q3.check("C")',
    },
  ],
};
