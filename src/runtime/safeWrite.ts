/**
 * Every file the course writes goes through here, so that a write can neither clobber nor
 * corrupt what is already there:
 *
 * - an output the user named explicitly that already exists is refused unless `force`
 *   (a command's own default output, such as `build/` or `datasets/`, may be refreshed);
 * - a symbolic link is never followed: the path is checked with lstat, the temporary file is
 *   created with O_EXCL | O_NOFOLLOW, and the final step replaces the path itself (rename, or a
 *   hard link that fails if something appeared there meanwhile), never the link's target; a link
 *   at the path is refused, or, when asked (`symlink: "replace"`), replaced by the new file;
 * - the bytes go to a temporary file in the same folder, flushed to disk, then renamed over
 *   the destination: a crash or a kill leaves the old file or the new one, never half of one.
 *   The CLI's SIGINT/SIGTERM handler removes temporary files in flight (removeTemporaryFiles);
 *   after a SIGKILL a stale temporary file (".NAME.tmp-PID-…") may remain beside an intact
 *   destination, and the next write to that destination removes it.
 *
 * `checkOutputPath` runs the same checks without writing: commands call it before any work
 * starts, so a bad output path costs nothing (not a whole training run).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../validation/errors";

export interface OutputOptions {
  /** How the path was given, for errors: "--out", "--json". */
  flag: string;
  /** Replace an existing file. Default false. */
  force?: boolean;
  /**
   * Whether the user named this path. A command's own default output (false) may be refreshed
   * without `force`; an explicitly named one (true, the default) may not.
   */
  explicit?: boolean;
  /**
   * A symbolic link at the path: "refuse" it (the default), or "replace" the link itself (with
   * `force`), never its target; the folder must then be a real folder, not a link. The grader
   * replaces: a submission may have planted a link among its report files, and the batch goes on.
   */
  symlink?: "refuse" | "replace";
}

const FORCE_HINT = "add --force to replace it";

/** Checks that `file` can be written safely; returns its absolute path. Throws an InputError naming the flag. */
export function checkOutputPath(file: string, options: OutputOptions): string {
  const { flag } = options;
  if (typeof file !== "string" || file.trim() === "") throw new InputError(flag, "a file path", file);
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  let dirStat: fs.Stats;
  try {
    dirStat = options.symlink === "replace" ? fs.lstatSync(dir) : fs.statSync(dir);
  } catch (error) {
    throw new InputError(flag, "a path in an existing directory", `${file} (${errorCode(error)} for ${dir})`);
  }
  if (!dirStat.isDirectory()) throw new InputError(flag, "a path in an existing directory", `${file} (${dir} is not a directory)`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new InputError(flag, "a path in a writable directory", `${file} (${errorCode(error)})`);
  }
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(absolute);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw new InputError(flag, "a path that can be checked", `${file} (${errorCode(error)})`);
  }
  const replacedLink = stat?.isSymbolicLink() === true && options.symlink === "replace" && options.force === true;
  if (stat && !replacedLink) {
    if (stat.isSymbolicLink()) {
      throw new InputError(flag, "a path that is not a symbolic link (writing would go through to its target)", file);
    }
    if (stat.isDirectory()) throw new InputError(flag, "a file path, not a directory", file);
    if (!stat.isFile()) throw new InputError(flag, "a regular file path (not a device, socket or pipe)", file);
    if (!options.force && options.explicit !== false) {
      throw new InputError(flag, `a path that does not exist yet (${FORCE_HINT})`, file);
    }
  }
  return absolute;
}

/** Checks an output folder (grade --out, notebooks build): an existing directory or a new one in an existing parent; never a symlink. */
export function checkOutputDirectory(dir: string, options: OutputOptions): string {
  const { flag } = options;
  if (typeof dir !== "string" || dir.trim() === "") throw new InputError(flag, "a folder path", dir);
  const absolute = path.resolve(dir);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(absolute);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw new InputError(flag, "a folder path that can be checked", `${dir} (${errorCode(error)})`);
  }
  if (stat?.isSymbolicLink()) throw new InputError(flag, "a folder that is not a symbolic link", dir);
  if (stat && !stat.isDirectory()) throw new InputError(flag, "a folder, not a file", dir);
  if (!stat) checkOutputPath(absolute, { ...options, force: false });
  return absolute;
}

/** Creates an output folder checked by checkOutputDirectory (its parent exists). */
export function makeOutputDirectory(dir: string, options: OutputOptions): string {
  const absolute = checkOutputDirectory(dir, options);
  try {
    fs.mkdirSync(absolute);
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
    checkOutputDirectory(dir, options);
  }
  return absolute;
}

// Temporary files in flight: a signal handler (the CLI's) removes them before the process exits.
const inFlight = new Set<string>();

/** Removes the temporary files of writes in progress; for a SIGINT/SIGTERM handler that then exits. */
export function removeTemporaryFiles(): void {
  for (const file of inFlight) removeQuietly(file);
  inFlight.clear();
}

const TEMP_MARK = ".tmp-";

/** Writes `data` to `file` atomically (see the file's comment). Returns the absolute path. */
export function writeFileSafely(file: string, data: string | Uint8Array, options: OutputOptions): string {
  const absolute = checkOutputPath(file, options);
  const dir = path.dirname(absolute);
  const base = path.basename(absolute);
  removeStaleTemporaries(dir, base);
  const temporary = path.join(dir, `.${base}${TEMP_MARK}${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  inFlight.add(temporary);
  try {
    const fd = fs.openSync(
      temporary,
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0),
      0o666,
    );
    try {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let offset = 0;
      while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (options.force || options.explicit === false) {
      // rename replaces the path itself: a symlink planted there meanwhile is replaced, not followed.
      fs.renameSync(temporary, absolute);
    } else {
      // link fails with EEXIST if the destination appeared since the check: never a silent overwrite.
      try {
        fs.linkSync(temporary, absolute);
      } catch (error) {
        if (errorCode(error) === "EEXIST") throw new InputError(options.flag, `a path that does not exist yet (${FORCE_HINT})`, file);
        throw error;
      }
      removeQuietly(temporary);
    }
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  } finally {
    inFlight.delete(temporary);
  }
  return absolute;
}

/** Temporaries of this destination left by a process that no longer runs (killed with SIGKILL). */
function removeStaleTemporaries(dir: string, base: string): void {
  const prefix = `.${base}${TEMP_MARK}`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split("-")[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processRuns(pid)) removeQuietly(path.join(dir, name));
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}
