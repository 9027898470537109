/**
 * Writing a report file so that a reader never sees half of it and nothing planted at its path is
 * followed: a new temporary file beside it (O_EXCL: never an existing file or symlink), then a
 * rename over the name (which replaces a symlink, never its target). Kept apart from
 * runtime/safeWrite.ts on purpose for now: that helper refuses a symlink at the path, while the
 * grader, rewriting its own report files inside a validated --out, replaces one (a submission may
 * have planted it) and goes on grading the batch.
 */
import { randomBytes } from "node:crypto";
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory (a symlink is not followed)`);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
