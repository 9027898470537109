/** `npm run grade -- notebooks/<lesson>.ipynb [more notebooks or folders] [--out grades]`. */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gradePaths } from "../../quiz/grade";
import { textTable } from "../../render/text/textTable";
import { InputError } from "../../validation/errors";
import { checkOutputDirectory } from "../../runtime/safeWrite";
import { parseFlags, parseNumberFlag } from "../options";

const csvField = (value: string | number): string => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));

export function gradeCommand(args: string[]): string {
  const { values, positionals } = parseFlags("grade", args, { out: { type: "string" }, timeout: { type: "string" } }, "NOTEBOOK");
  if (positionals.length === 0) throw new InputError("notebooks", "one or more .ipynb files or folders", positionals);
  const cellTimeout = parseNumberFlag("timeout", values.timeout, 60);
  if (!(cellTimeout > 0 && Number.isFinite(cellTimeout))) throw new InputError("--timeout", "a number of seconds > 0", values.timeout);
  for (const target of positionals) requireNotebookJson(target);
  const out = values.out ?? "grades";
  // Checked before grading, so a bad --out (a file, a missing parent, a symlink) loses no work.
  checkOutputDirectory(out, { flag: "--out" });
  const grades = gradePaths(positionals, { cellTimeout });
  mkdirSync(out, { recursive: true });

  const rows = grades.flatMap((g) => g.questions.map((q) => [g.notebook, `${q.quizId}/${q.questionId}`, q.status, q.points, q.maxPoints, q.message]));
  const csv = [["notebook", "question", "status", "points", "max_points", "message"], ...rows].map((r) => r.map(csvField).join(",")).join("\n");
  writeFileSync(path.join(out, "grades.csv"), csv + "\n");
  writeFileSync(path.join(out, "grades.json"), JSON.stringify(grades, null, 2) + "\n");

  const totals = grades.map((g) => [g.notebook, g.points, g.maxPoints, g.maxPoints ? `${((100 * g.points) / g.maxPoints).toFixed(0)}%` : "n/a", g.cellErrors.length]);
  // A restart that lost answers is the grader's trouble, not the learner's: say which notebooks to grade again.
  const regrade = grades.filter((g) => g.failedReplays.length > 0).map((g) => g.notebook);
  return [
    textTable(["notebook", "question", "status", "points", "max", "message"], rows),
    textTable(["notebook", "score", "max", "%", "cells with errors"], totals),
    ...(regrade.length > 0 ? [`A kernel restart could not restore every cell in: ${regrade.join(", ")}. Grade these again.`] : []),
    `Wrote ${path.join(out, "grades.csv")} and ${path.join(out, "grades.json")}`,
  ].join("\n");
}

/** A notebook named on the command line must be JSON: checked before any notebook is graded. */
function requireNotebookJson(target: string): void {
  if (!target.endsWith(".ipynb") || !statSync(target, { throwIfNoEntry: false })?.isFile()) return;
  try {
    JSON.parse(readFileSync(target, "utf8"));
  } catch (error) {
    throw new InputError("NOTEBOOK", "a notebook (an .ipynb file holds JSON)", `${target} (${(error as Error).message})`);
  }
}
