/**
 * The learner's workspace: working copies of the shipped notebooks in an ignored folder, so that
 * running a lesson (outputs saved, checkpoints written) leaves the course's tracked files alone
 * and updates pull without conflicts. A copy is made only where there is none — a learner's
 * notebook is never overwritten — and one lesson can be reset to the shipped version, the
 * learner's copy kept aside.
 */
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import path from "node:path";
import { InputError } from "../validation/errors";
import { REPO_ROOT } from "./jupyter";
import { NOTEBOOKS_DIR } from "./lessons";

export const WORKSPACE_DIR = path.join(REPO_ROOT, "workspace");
/** Where reset puts the learner's copy it replaces (inside the workspace, so ignored too). */
export const RESET_BACKUP_DIR = ".replaced";

export interface WorkspaceOptions {
  dir?: string;
  shippedDir?: string;
}

function shippedNotebooks(shippedDir: string): string[] {
  return readdirSync(shippedDir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
}

/** Copies every shipped notebook the workspace does not have yet; existing copies are kept as they are. */
export function prepareWorkspace({ dir = WORKSPACE_DIR, shippedDir = NOTEBOOKS_DIR }: WorkspaceOptions = {}): { dir: string; created: string[]; kept: string[] } {
  mkdirSync(dir, { recursive: true });
  const created: string[] = [];
  const kept: string[] = [];
  for (const name of shippedNotebooks(shippedDir)) {
    const copy = path.join(dir, name);
    if (existsSync(copy)) {
      kept.push(name);
      continue;
    }
    // COPYFILE_EXCL: should a copy appear meanwhile, it is not overwritten.
    copyFileSync(path.join(shippedDir, name), copy, constants.COPYFILE_EXCL);
    created.push(name);
  }
  return { dir, created, kept };
}

/** The shipped notebook a learner means by "04", "04-dp-training" or "04-dp-training.ipynb". */
export function shippedLesson(lesson: string, shippedDir = NOTEBOOKS_DIR): string {
  const names = shippedNotebooks(shippedDir);
  const wanted = lesson.trim().replace(/\.ipynb$/, "");
  const matches = names.filter((n) => n.replace(/\.ipynb$/, "") === wanted || (wanted !== "" && n.startsWith(`${wanted}-`)));
  if (matches.length !== 1) {
    throw new InputError("lesson", `one of ${names.map((n) => n.replace(/\.ipynb$/, "")).join(", ")} (or its number)`, lesson);
  }
  return matches[0]!;
}

/**
 * Puts the shipped version of one lesson back into the workspace. The learner's copy, if any, is
 * moved to `.replaced/<name>.<time>.ipynb` first, never deleted.
 */
export function resetLesson(lesson: string, { dir = WORKSPACE_DIR, shippedDir = NOTEBOOKS_DIR }: WorkspaceOptions = {}): { restored: string; keptAs?: string } {
  const name = shippedLesson(lesson, shippedDir);
  const copy = path.join(dir, name);
  let keptAs: string | undefined;
  mkdirSync(dir, { recursive: true });
  if (existsSync(copy)) {
    mkdirSync(path.join(dir, RESET_BACKUP_DIR), { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    keptAs = path.join(dir, RESET_BACKUP_DIR, `${name.replace(/\.ipynb$/, "")}.${stamp}.ipynb`);
    if (existsSync(keptAs)) throw new Error(`${keptAs} exists; try again in a moment`);
    renameSync(copy, keptAs);
  }
  copyFileSync(path.join(shippedDir, name), copy, constants.COPYFILE_EXCL);
  return { restored: copy, keptAs };
}
