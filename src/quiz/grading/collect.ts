/**
 * Runs inside a submission's sandbox, in the cell the grader appends for each question: writes
 * the question's last answer as data (see answers.ts). Nothing here decides a grade: a learner's
 * code may have patched anything in this process, so what it writes is only ever their answer.
 * Kept free of the rest of the library so that the kernel compiles little for it.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { deserialize, serialize } from "node:v8";
import { runCase, TODO } from "../check";
import { lastAnswerTo } from "../quiz";
import { answerFileName, type AnswerRecord } from "./answers";

function recordOf(key: string, casesPayload: string): AnswerRecord {
  const last = lastAnswerTo(key);
  if (!last || !last.answered) return { key, answered: false };
  const answer = last.answer;
  if (answer === TODO) return { key, answered: true, kind: "todo" };
  if (typeof answer === "function") {
    // The grader's cases (visible and hidden) arrive as arguments only; their checks stay outside.
    const cases = casesPayload ? (deserialize(Buffer.from(casesPayload, "base64")) as unknown[][]) : [];
    const outcomes = cases.map((args) => {
      const outcome = runCase(answer as (...args: unknown[]) => unknown, args);
      if (!("returned" in outcome)) return outcome;
      try {
        serialize(outcome.returned);
        return outcome;
      } catch (error) {
        return { unclonable: error instanceof Error ? error.message : String(error) };
      }
    });
    return { key, answered: true, kind: "function", source: Function.prototype.toString.call(answer), outcomes };
  }
  return { key, answered: true, kind: "value", value: answer };
}

/** Writes the answer to `key` ("quiz/question") into `dir`; `casesPayload` is base64 of the serialised case arguments. */
export function collectAnswer(key: string, casesPayload: string, dir: string): void {
  let bytes: Buffer;
  try {
    bytes = serialize(recordOf(key, casesPayload));
  } catch (error) {
    bytes = serialize({ key, answered: true, kind: "unclonable", reason: error instanceof Error ? error.message : String(error) });
  }
  writeFileSync(path.join(dir, answerFileName(key)), bytes);
}
