/** Checking one answer against one question. Pure: no display, no progress file. */
import { inspect } from "node:util";
import type { CheckResult, CodingQuestion, FailingCase, Question } from "./types";

export const NOT_ATTEMPTED_MESSAGE = "Not attempted: replace the placeholder with your answer and run the cell again.";

/** The placeholder a quiz cell starts with; also `undefined`. */
export const TODO = Symbol.for("privacy-course.todo");

const show = (value: unknown): string => inspect(value, { depth: 4, maxArrayLength: 12, breakLength: 100 });

function isUnanswered(answer: unknown): boolean {
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

function checkCoding(question: CodingQuestion, answer: unknown, includeHidden: boolean): CheckResult {
  if (typeof answer !== "function") {
    return result(question, { status: "incorrect", message: `Expected a function; got ${show(answer)}.` });
  }
  const cases = includeHidden ? [...question.cases, ...question.hiddenCases] : question.cases;
  for (const testCase of cases) {
    const args = testCase.args();
    const input = show(args.length === 1 ? args[0] : args);
    let got: unknown;
    try {
      // The learner's function gets its own copy: mutating the input must not fool the check.
      got = answer(...structuredClone(args));
    } catch (error) {
      if (error instanceof Error && /not implemented/i.test(error.message)) {
        return result(question, { status: "not-attempted", message: NOT_ATTEMPTED_MESSAGE });
      }
      const failingCase: FailingCase = { name: testCase.name, input, expected: testCase.expected ?? "no error", got: `threw ${show(error instanceof Error ? error.message : error)}` };
      return result(question, { status: "incorrect", message: `Your function threw on "${testCase.name}".`, failingCase, casesRun: cases.length, hidden: includeHidden });
    }
    let problem: string | null;
    try {
      problem = testCase.verify(got, args as never, (...again: unknown[]) => answer(...structuredClone(again)));
    } catch (error) {
      // Only a learner's function called again through `call` can throw here.
      const failingCase: FailingCase = { name: testCase.name, input, expected: testCase.expected ?? "no error", got: `threw ${show(error instanceof Error ? error.message : error)}` };
      return result(question, { status: "incorrect", message: `Your function threw when called again on a variant of "${testCase.name}".`, failingCase, casesRun: cases.length, hidden: includeHidden });
    }
    if (problem !== null) {
      const failingCase: FailingCase = { name: testCase.name, input, expected: testCase.expected ?? problem, got: show(got) };
      return result(question, { status: "incorrect", message: problem, failingCase, casesRun: cases.length, hidden: includeHidden });
    }
  }
  return result(question, { status: "correct", message: `Correct: all ${cases.length} test cases pass.`, casesRun: cases.length, hidden: includeHidden });
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
