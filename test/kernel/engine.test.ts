/** The TypeScript engine on tslab's compiler, in a throw-away project: notebooks/ next to lib/. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findProjectRoot, TypeScriptEngine } from "../../src/kernel/engine";

const strip = (s: string) => s.replace(/\u001b\[[\d;]*m/g, "");

let root: string;
let engine: TypeScriptEngine;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "privacy-course-engine-"));
  mkdirSync(path.join(root, "lib"));
  mkdirSync(path.join(root, "notebooks"));
  writeFileSync(path.join(root, "package.json"), '{ "name": "scratch", "private": true }\n');
  writeFileSync(path.join(root, "lib", "budget.ts"), 'export function spend(epsilon: number): number {\n  if (epsilon <= 0) throw new RangeError("ε must be > 0");\n  return epsilon / 2;\n}\n');
  // A chained diagnostic (overloads) in an imported file: tslab loses its file name.
  writeFileSync(path.join(root, "lib", "broken.ts"), 'export const n = 1;\nexport const index = new Map<string, number>([["a", "b"]]);\n');
  engine = new TypeScriptEngine(path.join(root, "notebooks"));
  engine.warm();
}, 60_000);

afterAll(() => {
  engine?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("TypeScriptEngine", () => {
  it("roots tslab's compiler at the nearest package.json", () => {
    expect(findProjectRoot(path.join(root, "notebooks"))).toBe(root);
    expect(engine.projectRoot).toBe(root);
  });

  it("returns the last expression's value instead of printing it", async () => {
    expect(await engine.execute("const x: number = 20;\nx + 1", "In[1]")).toEqual({ ok: true, value: { v: 21 } });
    expect(await engine.execute("let unused = 1;", "In[2]")).toEqual({ ok: true, value: undefined });
  });

  it("imports project files relative to the notebook", async () => {
    expect(await engine.execute('import { spend } from "../lib/budget";\nspend(2)', "In[3]")).toEqual({ ok: true, value: { v: 1 } });
  });

  it("traces a runtime error into the imported file's TypeScript line", async () => {
    const outcome = await engine.execute("spend(-1)", "In[4]");
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toMatchObject({ ename: "RangeError", evalue: "ε must be > 0" });
    const text = strip(outcome.error.traceback.join("\n"));
    expect(text).toContain(`at spend (${path.join("..", "lib", "budget.ts")}, line 2)`);
    // Cell frames ("at In[4], line 1") are checked in test/kernel.test.ts against the real kernel:
    // vitest's own Error.prepareStackTrace ignores the cells' sourceURL.
  });

  it("names the imported file of an error tslab reports without one", async () => {
    const outcome = await engine.execute('import { n } from "../lib/broken";\nn', "In[5]");
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.ename).toBe("TypeScriptError");
    expect(outcome.error.evalue).toMatch(/^No overload matches this call\. \(TS2769, \.\.\/lib\/broken\.ts:2:\d+\)$/);
  });

  it("maps cell diagnostics back through the rewritten imports", async () => {
    const outcome = await engine.execute('import { spend } from "../lib/budget";\nconst s: string = spend(1);', "In[6]");
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.evalue).toBe("Type 'number' is not assignable to type 'string'. (TS2322, In[6]:2:7)");
  });

  it("imports a `@module` cell from a notebook in notebooks/ as ./name", async () => {
    expect(await engine.execute('/** @module scaling */\nimport { spend } from "../lib/budget";\nexport function triple(x: number): number {\n  return 3 * spend(x);\n}', "In[7]")).toEqual({ ok: true });
    expect(await engine.execute('import * as scaling from "./scaling";\nscaling.triple(4)', "In[8]")).toEqual({ ok: true, value: { v: 6 } });
  });

  it("reports a compile error in a `@module` cell at its line", async () => {
    const outcome = await engine.execute("/** @module broken_cell */\nexport const n: number = 1;\nexport const s: string = n;", "In[9]");
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.evalue).toBe("Type 'number' is not assignable to type 'string'. (TS2322, In[9]:3:14)");
  });

  it("labels the error of a cell's `export type` with the cell, at the declaration", async () => {
    const outcome = await engine.execute("const origin = 0;\nexport type Pt = { x: number };", "In[10]");
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.evalue).toMatch(/^Export declaration conflicts with exported declaration of 'Pt'\. .*drop `export`\. \(TS2484, In\[10\]:2:13\)$/);
    expect(strip(outcome.error.traceback.join("\n"))).not.toContain("an imported file");
  });

  it("completes and inspects with positions in the cell as written", () => {
    const code = 'import { spend } from "../lib/budget";\nMath.ma';
    expect(engine.complete(code, code.length)).toEqual({ start: code.length - 2, end: code.length, matches: ["max"] });
    expect(engine.inspect('import { spend } from "../lib/budget";\nspend', 44, 0)).toContain("function spend(epsilon: number): number");
    expect(engine.inspect("notDefinedAnywhere", 18, 0)).toBeUndefined();
  });
});
