/**
 * What leaves a submission's sandbox: one record per question, as data (V8's structured-clone
 * serialisation, the format worker threads use). A value answer travels as the value; a coding
 * answer as its source text and what the function did on each test case. Verdicts are made
 * outside, by the grader's own quiz definitions.
 */
import type { CaseOutcome } from "../check";

export type AnswerRecord =
  | { key: string; answered: false }
  /** The question's placeholder (TODO) was checked: not attempted. */
  | { key: string; answered: true; kind: "todo" }
  | { key: string; answered: true; kind: "value"; value: unknown }
  | { key: string; answered: true; kind: "function"; source: string; outcomes: CaseOutcome[] }
  /** The answer is not data (a symbol, a value holding functions): it cannot be checked outside. */
  | { key: string; answered: true; kind: "unclonable"; reason: string };

/** The record's file name in the answers directory: "quiz/question" → "quiz__question.v8". */
export function answerFileName(key: string): string {
  if (!/^[\w-]+\/[\w-]+$/.test(key)) throw new RangeError(`a question key must be "quiz/question"; got ${JSON.stringify(key)}`);
  return `${key.replace("/", "__")}.v8`;
}
