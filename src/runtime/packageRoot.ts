/**
 * The package's root folder (the one with its package.json): where datasets/, lessons/ and the
 * learner's progress live. Found by walking up, because the same module runs from the sources
 * (src/data/x.ts) and from the build (dist/src/data/x.js), one level deeper.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";

export function packageRootOf(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = packageRootOf(__dirname);
