/** `privacy-course release --out DIR`: the student version of the course (quizzes without hidden cases and solutions). */
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../../course/jupyter";
import { validateOutDir, writeStudentRelease } from "../../quiz/grading";
import { InputError } from "../../validation/errors";

export function releaseCommand(args: string[]): string {
  const { values } = parseArgs({ args, options: { out: { type: "string" } } });
  if (!values.out) throw new InputError("--out", "the directory to write the student release to", values.out);
  const out = path.resolve(values.out);
  if (!path.relative(REPO_ROOT, out).startsWith("..")) throw new InputError("--out", "a directory outside the course's repository", values.out);
  validateOutDir(out);
  const written = writeStudentRelease(REPO_ROOT, out);
  return [
    `Wrote the student release to ${out}: ${written.join(", ")}.`,
    "Its quizzes keep their questions, visible cases and hints (self-checks work); hidden cases and solutions are left out.",
    "Grade the learners' notebooks from this checkout, which keeps the full quizzes: npm run grade -- SUBMISSIONS --lesson LESSON",
  ].join("\n");
}
