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
      prompt: "Layer 4 of the prediction trace is the prediction's privacy guarantee. What protects the training people in the predicted probability, and what does that leave uncovered?",
      choices: {
        A: "A scan of the output for the training people's names and emails: none is found, so the output carries no training data",
        B: "Nothing: a prediction is a new computation on the model, so it spends a new ε each time it is made",
        C: "Post-processing of the DP-SGD model (Dwork & Roth 2014, Prop. 2.1) covers it; not covered: the feature scaler, fitted on the training rows without noise",
        D: "The anonymisation stage: name and email were removed from the new customer's row, so nothing about anyone can leak",
      },
      answer: "C",
      feedback: {
        A: "A scan of one probability for names always passes and proves nothing: a number can leak without containing a name. The guarantee comes from how the model was trained.",
        B: "Post-processing is free: computing with the DP model's weights, without reading the training rows again, spends no further ε.",
        D: "That protects the new customer's identifiers, not the training people, and identifiers are not the only way a model leaks.",
      },
      hints: ["Look at layer 4 of the prediction trace in lesson 5: a theorem and a list.", "Which numbers besides the weights does a prediction use, and were they fitted with noise?"],
      solution: "// The prediction is post-processing of the DP model; the feature scaler (means and stds of the training rows) was fitted without noise.\nquiz.q3.check(\"C\")",
    },
  ],
};
