/**
 * The grader's report files go through the course's one safe-write helper (runtime/safeWrite.ts:
 * temporary file, flushed, renamed; never through a symlink), with the grader's policy: its own
 * report files inside the validated --out are rewritten as each submission is graded, and a
 * symlink planted among them (a submission may have made one) is replaced, not followed, so the
 * batch goes on.
 */
import { writeFileSafely } from "../../runtime/safeWrite";

export function writeFileAtomic(file: string, content: string): void {
  writeFileSafely(file, content, { flag: "--out", force: true, symlink: "replace" });
}
