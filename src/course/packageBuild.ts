/**
 * The built package (dist/) that notebooks import as "privacy-course": `npm run build`, run by
 * `npm ci` (prepare). It is compiled by tslab's TypeScript 5.0, the compiler that reads its
 * declarations in the kernel, so they never use syntax that compiler does not know. Whatever runs notebooks calls ensurePackageBuilt() first, so a notebook
 * never runs against a build older than the sources it was built from.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { REPO_ROOT } from "./jupyter";

export const DIST_DIR = path.join(REPO_ROOT, "dist");
const BUILD_INFO = path.join(DIST_DIR, ".tsbuildinfo");
const INPUTS = ["src", "quizzes", "tsconfig.json", "tsconfig.build.json", "package.json"];
/** Next to dist/ (ignored): parallel builders wait on it. */
const LOCK = `${DIST_DIR}.lock`;
const LOCK_WAIT_MS = 180_000;

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

/** Whether a source, a tsconfig or package.json changed after the last build (or there is none). */
export function packageBuildIsStale(root = REPO_ROOT): boolean {
  const info = path.join(root, "dist", ".tsbuildinfo");
  if (!existsSync(info)) return true;
  const built = statSync(info).mtimeMs;
  return INPUTS.some((entry) => existsSync(path.join(root, entry)) && newestMtime(path.join(root, entry)) > built);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds the package when it is stale. Parallel callers (test workers) take turns through a lock
 * directory, so none reads a half-written build; a lock older than the wait is taken as abandoned.
 */
export function ensurePackageBuilt(): void {
  if (!packageBuildIsStale()) return;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() - started > LOCK_WAIT_MS) {
        rmdirSync(LOCK);
        continue;
      }
      sleep(200);
    }
  }
  try {
    if (!packageBuildIsStale()) return;
    const tsc = createRequire(require.resolve("tslab/package.json")).resolve("@tslab/typescript-for-tslab/bin/tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", path.join(REPO_ROOT, "tsconfig.build.json")], { cwd: REPO_ROOT, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`npm run build failed:\n${run.stdout}${run.stderr}`);
    // tsc leaves .tsbuildinfo untouched when nothing it tracks changed; the mark is for the check above.
    const now = new Date();
    utimesSync(BUILD_INFO, now, now);
  } finally {
    rmdirSync(LOCK);
  }
}
