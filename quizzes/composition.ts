/** Composition and post-processing: a budget total, group privacy, and why RDP composes better. */
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase } from "./cases";

interface LogEntry {
  label: string;
  epsilon: number;
  /** How many times this release was run on the same data. */
  times: number;
  postProcessing: boolean;
}
type TotalArgs = [log: LogEntry[]];

const total = (log: LogEntry[]) => log.reduce((sum, e) => sum + (e.postProcessing ? 0 : e.epsilon * e.times), 0);
const totalCase = (name: string, log: LogEntry[]) =>
  referenceCase<TotalArgs>(name, [log], total, {
    mistakes: [
      { value: (l) => l.reduce((s, e) => s + e.epsilon * e.times, 0), message: "Post-processing spends nothing: computing on released numbers cannot reveal more than they do." },
      { value: (l) => l.reduce((s, e) => s + (e.postProcessing ? 0 : e.epsilon), 0), message: "A release run `times` times spends its ε each time." },
      { value: (l) => Math.max(0, ...l.filter((e) => !e.postProcessing).map((e) => e.epsilon)), message: "Releases on the same data add up (basic composition); the largest one alone is not the total." },
    ],
    problem: (got) => (typeof got === "number" ? null : "Return one number: the total ε."),
  });

const entry = (label: string, epsilon: number, times = 1, postProcessing = false): LogEntry => ({ label, epsilon, times, postProcessing });

export const compositionQuiz: QuizDefinition = {
  id: "composition",
  title: "Quiz: composition and post-processing",
  questions: [
    {
      id: "total-epsilon",
      kind: "coding",
      prompt:
        "Write totalEpsilon(log): each entry of the log is { label, epsilon, times, postProcessing }: a pure ε-DP release run `times` " +
        "times on the same customers, or (postProcessing: true) a computation on earlier releases only. Return the total ε by basic composition.",
      cases: [
        totalCase("two counts", [entry("count of buyers", 0.5), entry("count in Plantation", 0.25)]),
        totalCase("a repeated release", [entry("daily count", 0.1, 7)]),
        totalCase("with an estimate", [entry("survey", 1), entry("estimate from the survey", 1, 1, true)]),
      ],
      hiddenCases: [
        totalCase("an empty log", []),
        totalCase("only post-processing", [entry("chart", 0.3, 1, true), entry("rounding", 0.3, 2, true)]),
        totalCase("mixed", [entry("mean age", 0.4, 2), entry("ratio", 0.4, 1, true), entry("top town", 0.2, 3), entry("count", 1)]),
        totalCase("zero repeats", [entry("never run", 2, 0), entry("count", 0.3)]),
      ],
      hints: ["ε-DP releases on the same data: their ε add up.", "Sum epsilon × times over the entries that are not post-processing."],
      solution:
        "function totalEpsilon(log: { label: string; epsilon: number; times: number; postProcessing: boolean }[]): number {\n" +
        "  return log.filter((e) => !e.postProcessing).reduce((sum, e) => sum + e.epsilon * e.times, 0);\n" +
        "}\n" +
        "quiz.q1.check(totalEpsilon)",
    },
    {
      id: "group-privacy",
      kind: "numeric",
      prompt: "A Laplace count is 0.4-DP for one customer. A household of 3 customers shops together: what ε protects the household as a whole?",
      expected: () => 3 * 0.4,
      tolerance: { relative: 1e-9 },
      traps: [
        { value: () => 0.4, relative: 1e-9, message: "0.4 protects one person. Datasets with or without the whole household are 3 steps apart, each step costing 0.4." },
        { value: () => 0.4 / 3, relative: 1e-9, message: "Protection gets weaker for a group, not stronger: k people cost k·ε." },
      ],
      hints: ["Go from the dataset with the household to the one without it, one person at a time.", "Group privacy: k·ε."],
      solution: "quiz.q2.check(3 * 0.4)",
    },
    {
      id: "why-rdp",
      kind: "choice",
      prompt: "DP-SGD makes thousands of Gaussian releases. Why does its accountant track Rényi DP rather than adding up each step's (ε, δ)?",
      choices: {
        A: "RDP curves of the releases add up order by order and are converted to (ε, δ) once at the end, which gives a far smaller total ε than adding each step's ε",
        B: "RDP needs no δ at all, so the final guarantee is pure ε-DP",
        C: "Each Gaussian step is pure ε-DP, and RDP is just another name for adding the ε's",
        D: "RDP makes the noise smaller at each step",
      },
      answer: "A",
      feedback: {
        B: "The conversion from RDP to (ε, δ) still needs a δ: lesson 4 reports ε at δ = 10⁻⁵.",
        C: "A Gaussian release is not pure ε-DP for any finite ε (its privacy loss is unbounded); and adding ε's is the basic composition RDP improves on.",
        D: "RDP is accounting: it changes how the privacy of the same noise is counted, not the noise.",
      },
      hints: ["Compare the two curves of the chart in this lesson.", "Composition in RDP is addition at each order α; the conversion to ε happens once."],
      solution: 'quiz.q3.check("A")',
    },
  ],
};
