/**
 * Questions as plain data plus checker functions, in the spirit of Kaggle's learntools
 * (check / hint / solution in the notebook) and otter-grader (test cases, hidden tests, points).
 */

export type QuestionStatus = "correct" | "incorrect" | "not-attempted";

interface QuestionBase {
  id: string;
  prompt: string;
  /** Hints from gentle to explicit; hint() shows the next one. */
  hints: string[];
  /** A complete answer cell (using the lesson's `quiz` handle): shown by solution(), run by the release check. */
  solution: string;
  points?: number;
}

export interface ChoiceQuestion extends QuestionBase {
  kind: "choice";
  choices: Record<string, string>;
  answer: string;
  /** Why a tempting wrong choice is wrong, by its letter. */
  feedback?: Record<string, string>;
}

export interface NumericQuestion extends QuestionBase {
  kind: "numeric";
  /** The right value, computed (e.g. by the accountant) rather than typed in. */
  expected: () => number;
  tolerance: { relative?: number; absolute?: number };
  /** Tempting wrong values and what each reveals. */
  traps?: { value: () => number; relative: number; message: string }[];
}

export interface TestCase<A extends unknown[] = unknown[]> {
  name: string;
  args: () => A;
  /**
   * Other argument lists the check may run the learner's function on, for properties one result
   * cannot show (such as whether an output changes with a key). Declared up front so that the
   * grader's sandboxed run can collect those results too; deterministic in `args`.
   */
  variants?: (args: A) => A[];
  /**
   * Returns null when the learner's result is right, else what is wrong. `call` gives the
   * function's result on one of the declared `variants` (each run on its own copy).
   */
  verify(got: unknown, args: A, call: (...args: A) => unknown): string | null;
  /** Shown as "expected" when a case fails. */
  expected?: string;
}

export interface CodingQuestion extends QuestionBase {
  kind: "coding";
  /** Shown to the learner when they fail. */
  cases: TestCase<any>[];
  /** Run only when grading: a learner cannot tailor an answer to them. */
  hiddenCases: TestCase<any>[];
}

/** A value question: the learner gives a value (a σ, a table) checked by its properties. */
export interface ValueQuestion extends QuestionBase {
  kind: "value";
  verify: (answer: unknown) => string | null;
}

export type Question = ChoiceQuestion | NumericQuestion | CodingQuestion | ValueQuestion;

export interface FailingCase {
  name: string;
  input: string;
  expected: string;
  got: string;
}

export interface CheckResult {
  questionId: string;
  status: QuestionStatus;
  message: string;
  failingCase?: FailingCase;
  points: number;
  maxPoints: number;
  /** How many test cases ran, and whether hidden ones were among them. */
  casesRun: number;
  hidden: boolean;
}

export interface QuizDefinition {
  id: string;
  title: string;
  questions: Question[];
}
