/**
 * Writes the kernelspec (share/jupyter/kernels/privacy-course/kernel.json). By default into the
 * project's own `.jupyter/` data dir, found through JUPYTER_PATH, so a learner's global Jupyter
 * setup is left alone; --user / --sys-prefix / --prefix as `jupyter kernelspec install` has them.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeFileSafely } from "../runtime/safeWrite";

export const KERNEL_NAME = "privacy-course";
export const DISPLAY_NAME = "TypeScript (privacy course)";
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Debian's Jupyter lives in the system Python, which is not always the first python3 on PATH. */
export const DEFAULT_PYTHON = "/usr/bin/python3";

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal" | "message";
  metadata: Record<string, unknown>;
}

export function kernelSpec(node = process.execPath, repoRoot = REPO_ROOT): KernelSpec {
  return {
    argv: [node, path.join(repoRoot, "bin", "privacy-course.js"), "kernel", "--connection-file", "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    // SIGINT stops synchronous code too (vm's breakOnSigint); a message could not reach a busy loop.
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
}

export type Target = { prefix: string } | { user: true } | { sysPrefix: true; python?: string } | { projectLocal: true };

/** Jupyter's per-user data dir (jupyter_core.paths.jupyter_data_dir). */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = os.homedir();
  if (platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (platform === "win32") return path.join(env.APPDATA ?? path.join(home, "AppData", "Roaming"), "jupyter");
  return path.join(env.XDG_DATA_HOME ?? path.join(home, ".local", "share"), "jupyter");
}

export function pythonSysPrefix(python = DEFAULT_PYTHON): string {
  const result = spawnSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`could not ask ${python} for sys.prefix: ${result.stderr || result.error}`);
  return result.stdout.trim();
}

/** The data dir that gets `kernels/privacy-course/` (what JUPYTER_PATH must name). */
export function dataDir(target: Target): string {
  if ("prefix" in target) return path.join(path.resolve(target.prefix), "share", "jupyter");
  if ("user" in target) return userDataDir();
  if ("sysPrefix" in target) return path.join(pythonSysPrefix(target.python), "share", "jupyter");
  return path.join(REPO_ROOT, ".jupyter", "share", "jupyter");
}

export interface Installed {
  kernelDir: string;
  dataDir: string;
  spec: KernelSpec;
}

export function installKernelSpec(target: Target = { projectLocal: true }, spec: KernelSpec = kernelSpec()): Installed {
  const data = dataDir(target);
  const kernelDir = path.join(data, "kernels", KERNEL_NAME);
  mkdirSync(kernelDir, { recursive: true });
  // The kernelspec is this command's own output: refreshed in place, atomically, never through a symlink.
  writeFileSafely(path.join(kernelDir, "kernel.json"), `${JSON.stringify(spec, null, 2)}\n`, { flag: "kernel install", explicit: false });
  return { kernelDir, dataDir: data, spec };
}
