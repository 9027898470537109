/** Checking one answer against one question. Pure: no display, no progress file. */
import { inspect, isDeepStrictEqual } from "node:util";
import type { CheckResult, CodingQuestion, FailingCase, Question, TestCase } from "./types";

export const NOT_ATTEMPTED_MESSAGE = "Not attempted: replace the placeholder with your answer and run the cell again.";

/** The placeholder a quiz cell starts with; also `undefined`. */
export const TODO = Symbol.for("privacy-course.todo");

const show = (value: unknown): string => inspect(value, { depth: 4, maxArrayLength: 12, breakLength: 100 });

export function isUnanswered(answer: unknown): boolean {
  return answer === undefined || answer === TODO || (typeof answer === "string" && answer.trim() === "");
}

function result(question: Question, fields: Omit<CheckResult, "questionId" | "points" | "maxPoints" | "casesRun" | "hidden"> & Partial<CheckResult>): CheckResult {
  const maxPoints = question.points ?? 1;
  return {
    questionId: question.id,
    points: fields.status === "correct" ? maxPoints : 0,
    maxPoints,
    casesRun: 0,
    hidden: false,
    ...fields,
  };
}

function close(got: number, expected: number, tolerance: { relative?: number; absolute?: number }): boolean {
  const difference = Math.abs(got - expected);
  return difference <= (tolerance.absolute ?? 0) || difference <= (tolerance.relative ?? 0) * Math.abs(expected);
}

/**
 * What a learner's function did on one test case: returned a value, threw, or returned
 * something that cannot leave its process as data (the grader checks answers collected from a
 * sandboxed run; see grading/).
 */
export type CaseOutcome = { returned: unknown } | { threw: string; notImplemented: boolean } | { unclonable: string };

/** Runs the learner's function on a copy of the arguments: mutating the input must not fool the check. */
export function runCase(answer: (...args: unknown[]) => unknown, args: unknown[]): CaseOutcome {
  try {
    return { returned: answer(...structuredClone(args)) };
  } catch (error) {
    const message = error instanceof Error ? error.message : show(error);
    return { threw: message, notImplemented: error instanceof Error && /not implemented/i.test(error.message) };
  }
}

/**
 * What the function did on the variants a case declares (see TestCase.variants), in their order:
 * the grader gets them from the sandboxed run, a live check runs them on the spot.
 */
export type VariantOutcomes = (caseIndex: number) => readonly CaseOutcome[];

/** The argument lists a case may call the function on again, after its own arguments. */
export function variantArguments(testCase: TestCase, args: unknown[]): unknown[][] {
  return testCase.variants ? testCase.variants(args as never) : [];
}

/** `call(...again)` inside a check: the recorded outcome of the declared variant with these arguments. */
function variantResult(testCase: TestCase, args: unknown[], again: unknown[], outcomes: readonly CaseOutcome[]): unknown {
  const declared = variantArguments(testCase, args);
  const index = declared.findIndex((v) => isDeepStrictEqual(v, again));
  if (index < 0 || index >= outcomes.length) throw new Error(`the check of "${testCase.name}" called the function on arguments it did not declare as a variant`);
  const outcome = outcomes[index];
  if ("threw" in outcome) throw new Error(outcome.threw);
  if ("unclonable" in outcome) throw new Error(`its result is not plain data (${outcome.unclonable})`);
  return outcome.returned;
}

/** The verdict on a coding question from what the function did on each case (visible cases first) and on their variants. */
export function checkCodingOutcomes(
  question: CodingQuestion,
  outcomeOf: (args: unknown[], index: number) => CaseOutcome,
  includeHidden: boolean,
  variantOf: VariantOutcomes = () => [],
): CheckResult {
  const cases = includeHidden ? [...question.cases, ...question.hiddenCases] : question.cases;
  for (const [index, testCase] of cases.entries()) {
    const args = testCase.args();
    const input = show(args.length === 1 ? args[0] : args);
    const outcome = outcomeOf(args, index);
    if ("threw" in outcome) {
      if (outcome.notImplemented) return result(question, { status: "not-attempted", message: NOT_ATTEMPTED_MESSAGE });
      const failingCase: FailingCase = { name: testCase.name, input, expected: testCase.expected ?? "no error", got: `threw ${show(outcome.threw)}` };
      return result(question, { status: "incorrect", message: `Your function threw on "${testCase.name}".`, failingCase, casesRun: cases.length, hidden: includeHidden });
    }
    if ("unclonable" in outcome) {
      const failingCase: FailingCase = { name: testCase.name, input, expected: testCase.expected ?? "plain data", got: outcome.unclonable };
      return result(question, { status: "incorrect", message: `Your function's result on "${testCase.name}" is not plain data (${outcome.unclonable}).`, failingCase, casesRun: cases.length, hidden: includeHidden });
    }
    let problem: string | null;
    try {
      problem = testCase.verify(outcome.returned, args as never, (...again: unknown[]) => variantResult(testCase, args, again, variantOf(index)));
    } catch (error) {
      // Only the learner's function, called again on a declared variant, can throw here.
      const failingCase: FailingCase = { name: testCase.name, input, expected: testCase.expected ?? "no error", got: `threw ${show(error instanceof Error ? error.message : error)}` };
      return result(question, { status: "incorrect", message: `Your function threw when called again on a variant of "${testCase.name}".`, failingCase, casesRun: cases.length, hidden: includeHidden });
    }
    if (problem !== null) {
      const failingCase: FailingCase = { name: testCase.name, input, expected: testCase.expected ?? problem, got: show(outcome.returned) };
      return result(question, { status: "incorrect", message: problem, failingCase, casesRun: cases.length, hidden: includeHidden });
    }
  }
  return result(question, { status: "correct", message: `Correct: all ${cases.length} test cases pass.`, casesRun: cases.length, hidden: includeHidden });
}

function checkCoding(question: CodingQuestion, answer: unknown, includeHidden: boolean): CheckResult {
  if (typeof answer !== "function") {
    return result(question, { status: "incorrect", message: `Expected a function; got ${show(answer)}.` });
  }
  const run = answer as (...args: unknown[]) => unknown;
  const cases = includeHidden ? [...question.cases, ...question.hiddenCases] : question.cases;
  const variantOf = (index: number) => variantArguments(cases[index], cases[index].args()).map((again) => runCase(run, again));
  return checkCodingOutcomes(question, (args) => runCase(run, args), includeHidden, variantOf);
}

export function checkAnswer(question: Question, answer: unknown, { includeHidden = false } = {}): CheckResult {
  if (isUnanswered(answer)) return result(question, { status: "not-attempted", message: NOT_ATTEMPTED_MESSAGE });
  switch (question.kind) {
    case "choice": {
      const letter = String(answer).trim().toUpperCase();
      if (!(letter in question.choices)) {
        return result(question, { status: "incorrect", message: `Answer with one of ${Object.keys(question.choices).join(", ")}; got ${show(answer)}.` });
      }
      if (letter === question.answer) return result(question, { status: "correct", message: `Correct: ${question.choices[letter]}.` });
      return result(question, { status: "incorrect", message: question.feedback?.[letter] ?? `Not ${letter}. Try again, or ask for a hint.` });
    }
    case "numeric": {
      const got = typeof answer === "string" ? Number(answer) : answer;
      if (typeof got !== "number" || !Number.isFinite(got)) {
        return result(question, { status: "incorrect", message: `Expected a finite number; got ${show(answer)}.` });
      }
      const expected = question.expected();
      if (close(got, expected, question.tolerance)) return result(question, { status: "correct", message: `Correct: ${got}.` });
      const trap = question.traps?.find((t) => Math.abs(got - t.value()) <= t.relative * Math.abs(t.value()));
      return result(question, { status: "incorrect", message: trap?.message ?? `${got} is not it. Try again, or ask for a hint.` });
    }
    case "coding":
      return checkCoding(question, answer, includeHidden);
    case "value": {
      const problem = question.verify(answer);
      return problem === null
        ? result(question, { status: "correct", message: "Correct." })
        : result(question, { status: "incorrect", message: problem });
    }
  }
}
