/**
 * The learner's progress, kept in a local JSON file: which questions were attempted, which
 * were answered correctly, how many hints were used. PRIVACY_COURSE_PROGRESS moves the file
 * (the grader points it at a scratch file so grading never touches a learner's progress).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { QuestionStatus } from "./types";
import { PACKAGE_ROOT } from "../runtime/packageRoot";

export interface QuestionProgress {
  attempts: number;
  correct: boolean;
  lastStatus: QuestionStatus;
  hintsUsed: number;
  solutionViewed: boolean;
}

export type ProgressData = Record<string, QuestionProgress>;

export const DEFAULT_PROGRESS_FILE = path.resolve(PACKAGE_ROOT, ".course-progress", "progress.json");

export function progressFile(): string {
  return process.env.PRIVACY_COURSE_PROGRESS || DEFAULT_PROGRESS_FILE;
}

export function readProgress(file = progressFile()): ProgressData {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text) as ProgressData;
  } catch {
    throw new Error(`The progress file ${file} is not valid JSON; move it away to start afresh.`);
  }
}

const blank = (): QuestionProgress => ({ attempts: 0, correct: false, lastStatus: "not-attempted", hintsUsed: 0, solutionViewed: false });

/** Applies a change to one question's progress and saves atomically (write, then rename). */
export function updateProgress(key: string, change: (p: QuestionProgress) => QuestionProgress, file = progressFile()): QuestionProgress {
  const data = readProgress(file);
  const next = change(data[key] ?? blank());
  data[key] = next;
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(data, null, 2) + "\n");
  renameSync(temporary, file);
  return next;
}
