/**
 * A V8 code cache for the few huge CommonJS files the kernel loads (TypeScript's 8 MB compiler):
 * compiling them is a good part of a cold start. Node ≥ 22.1 has module.enableCompileCache and
 * we use it; Node 20 does not, so we compile those files through vm.Script with cachedData.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

export interface CompileCache {
  /** Writes caches that were missing or stale; call once the hot code has run (after warm-up). */
  flush(): void;
}

interface Pending {
  script: vm.Script;
  file: string;
}

type CompileFn = (this: NodeJS.Module, content: string, filename: string) => unknown;

let installed: CompileCache | undefined;

export function enableCompileCache(dir: string, minBytes = 1_000_000): CompileCache {
  if (installed) return installed;
  const native = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof native === "function") {
    native(dir);
    installed = { flush: () => undefined };
    return installed;
  }
  const pending: Pending[] = [];
  const proto = Module.prototype as unknown as { _compile: CompileFn };
  const original = proto._compile;
  proto._compile = function (this: NodeJS.Module, content: string, filename: string) {
    if (content.length < minBytes || !filename.includes(`${path.sep}node_modules${path.sep}`)) {
      return original.call(this, content, filename);
    }
    const file = path.join(dir, cacheName(filename));
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) pending.push({ script, file });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = Module.createRequire(filename);
    return fn.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  installed = {
    flush() {
      for (const { script, file } of pending.splice(0)) {
        try {
          mkdirSync(path.dirname(file), { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          writeFileSync(tmp, script.createCachedData());
          renameSync(tmp, file);
        } catch {
          // A read-only checkout only loses the speed-up.
        }
      }
    },
  };
  return installed;
}

/** Changes with the file, Node and V8, so a stale cache is never even offered to V8. */
function cacheName(filename: string): string {
  const stat = statSync(filename);
  const key = [filename, stat.size, stat.mtimeMs, process.version, process.versions.v8, process.arch].join("\0");
  return `${path.basename(filename, ".js")}-${createHash("sha256").update(key).digest("hex").slice(0, 16)}.v8cache`;
}
