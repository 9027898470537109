/**
 * `npm run grade -- SUBMISSIONS… [--lesson 02-anonymisation] [--out grades] [--overwrite]
 * [--timeout 60] [--memory 4096] [--jobs 1] [--unsandboxed]`: every submission in a sandbox of its
 * own, up to --jobs at once, its answers checked apart with the course's quizzes, each result
 * written as soon as it is graded.
 */
import path from "node:path";
import { QUIZZES } from "../../../quizzes";
import { lessonFiles, notebookFor } from "../../course/lessons";
import type { Notebook } from "../../course/notebookRunner";
import { notebookPaths, questionsIn } from "../../quiz/grade";
import { assignmentOf, DEFAULT_LIMITS, gradeBatch, gradeRows, type Assignment, type BatchEntry } from "../../quiz/grading";
import { textTable } from "../../render/text/textTable";
import { InputError } from "../../validation/errors";
import { numberFlag, parseFlags, parseNumberFlag } from "../options";

/** A lesson's assignment: the questions its shipped notebook asks, with points from the quiz definitions. */
export function lessonAssignment(lesson: string): Assignment {
  const file = lessonFiles().find((f) => path.basename(f, ".md") === lesson);
  if (!file) throw new InputError("--lesson", `one of ${lessonFiles().map((f) => path.basename(f, ".md")).join(", ")}`, lesson);
  const notebook = JSON.parse(notebookFor(file).text) as Notebook;
  return assignmentOf(lesson, questionsIn(notebook), QUIZZES);
}

/** The lesson a submission's file name names (e.g. alice/02-anonymisation.ipynb), if exactly one. */
function lessonNamedBy(file: string): string | undefined {
  const base = path.basename(file);
  const named = lessonFiles().map((f) => path.basename(f, ".md")).filter((lesson) => base.includes(lesson));
  return named.length === 1 ? named[0] : undefined;
}

export async function gradeCommand(args: string[]): Promise<string> {
  const { values, positionals } = parseFlags(
    "grade",
    args,
    {
      out: { type: "string" },
      timeout: { type: "string" },
      lesson: { type: "string" },
      memory: { type: "string" },
      jobs: { type: "string" },
      overwrite: { type: "boolean" },
      unsandboxed: { type: "boolean" },
    },
    "NOTEBOOK",
  );
  if (positionals.length === 0) throw new InputError("notebooks", "one or more .ipynb files or folders", positionals);
  const cellTimeout = parseNumberFlag("timeout", values.timeout, 60);
  if (!(cellTimeout > 0 && Number.isFinite(cellTimeout))) throw new InputError("--timeout", "a number of seconds > 0", values.timeout);
  const memoryMB = parseNumberFlag("memory", values.memory, DEFAULT_LIMITS.memoryMB);
  if (!(Number.isInteger(memoryMB) && memoryMB >= 256)) throw new InputError("--memory", "a whole number of megabytes ≥ 256", values.memory);
  const jobs = numberFlag("jobs", values.jobs, 1, { min: 1, integer: true });
  const files = positionals.flatMap(notebookPaths);
  // Every submission's assignment is settled before anything runs.
  const fixed = values.lesson === undefined ? undefined : lessonAssignment(values.lesson);
  const unnamed = fixed ? [] : files.filter((f) => !lessonNamedBy(f));
  if (unnamed.length > 0) throw new InputError("--lesson", "given, or named by each submission's file name (e.g. 02-anonymisation.ipynb)", unnamed.join(", "));
  const entries: BatchEntry[] = files.map((file) => ({ file, assignment: fixed ?? lessonAssignment(lessonNamedBy(file)!) }));
  const out = values.out ?? "grades";
  let done = 0;
  const report = await gradeBatch(entries, {
    out,
    overwrite: values.overwrite,
    cellTimeout,
    unsandboxed: values.unsandboxed,
    limits: { ...DEFAULT_LIMITS, memoryMB },
    jobs,
    // Counted as they finish: with --jobs they need not finish in order.
    onGraded: (g) => process.stderr.write(`graded ${++done}/${entries.length}: ${g.submission} ${g.points}/${g.maxPoints}\n`),
  });
  const grades = report.submissions;
  const totals = grades.map((g) => [g.submission, g.points, g.maxPoints, g.maxPoints ? `${((100 * g.points) / g.maxPoints).toFixed(0)}%` : "n/a", g.cellErrors.length]);
  const notes = grades.flatMap((g) => [
    ...(g.problem ? [`${g.submission}: ${g.problem}`] : []),
    ...g.foreignMarkers.map((m) => `${g.submission}: cell ${m.cell} is marked as an answer to ${m.key}, which is not part of ${g.assignment}: ignored.`),
    ...(g.isolated.length ? [`${g.submission}: graded again on their own after trouble elsewhere in the notebook: ${g.isolated.join(", ")}`] : []),
  ]);
  return [
    textTable(["submission", "question", "status", "points", "max", "message"], gradeRows(grades)),
    textTable(["submission", "score", "max", "%", "cells with errors"], totals),
    ...notes,
    `Sandbox: ${report.sandbox}`,
    `Wrote ${path.join(out, "grades.csv")}, ${path.join(out, "grades.json")} and one file per submission in ${path.join(out, "submissions")}`,
  ].join("\n");
}

