import { describe, expect, it } from "vitest";
import { formatDiagnostics, formatRuntimeError, isMachinery, mapJsLine, parseStack, trimStack, type CellDiagnostic, type SourceLookup } from "../../src/kernel/traceback";

const strip = (s: string) => s.replace(/\u001b\[[\d;]*m/g, "");

const cellTs = 'function f(a: number): number {\n  throw new Error("boom " + a);\n}\nconst z: number = 3;\nf(z);';
const cellJs = '(function(exports, require) { Object.defineProperty(exports, "__esModule", { value: true });\nexports.z = void 0;\nfunction f(a) {\n    throw new Error("boom " + a);\n}\nexports.z = 3;\nf(exports.z);';
const sources: SourceLookup = { get: (name) => (name === "In[4]" ? { display: "In[4]", ts: cellTs, js: cellJs } : undefined) };

const stack = `In[4]:4
    throw new Error("boom " + a);
    ^

Error: boom 3
    at f (In[4]:4:11)
    at In[4]:7:1
    at In[4]:9:3
    at Script.runInThisContext (node:vm:137:12)
    at Object.runInThisContext (node:vm:317:38)
    at Object.execute (/repo/node_modules/tslab/dist/executor.js:159:38)
    at TypeScriptEngine.execute (/repo/src/kernel/engine.ts:212:45)
    at Kernel.execute (/repo/src/kernel/kernel.ts:231:45)`;

describe("runtime tracebacks", () => {
  it("maps emitted JavaScript lines back to the cell's TypeScript lines", () => {
    expect(mapJsLine(cellJs, cellTs, 4, 11)).toBe(2);
    expect(mapJsLine(cellJs, cellTs, 7, 1)).toBe(5);
    expect(mapJsLine(cellJs, cellTs, 99, 1)).toBeUndefined();
  });

  it("gives no line rather than a wrong one when the match is ambiguous", () => {
    expect(mapJsLine("g();\ng();\ng();", "g();\ng();", 2, 1)).toBeUndefined();
    expect(mapJsLine("g();\ng();", "g();\n// note\ng();", 2, 1)).toBe(3);
  });

  it("trims the stack to the learner's cell and names cell lines", () => {
    const lines = trimStack(stack, sources).map(strip);
    expect(lines[0]).toBe("Error: boom 3");
    expect(lines).toContain("    at f (In[4], line 2)");
    expect(lines).toContain("    at In[4], line 5");
    expect(lines.join("\n")).not.toMatch(/node:vm|tslab|src\/kernel|In\[4\]:9/);
    expect(lines.some((l) => l.includes('----> 2 | throw new Error("boom " + a);'))).toBe(true);
  });

  it("builds Jupyter error content from an Error and from a thrown non-Error", () => {
    const error = new TypeError("x is not a function");
    error.stack = "TypeError: x is not a function\n    at In[4]:7:1\n    at Script.runInThisContext (node:vm:137:12)";
    const content = formatRuntimeError(error, sources);
    expect(content.ename).toBe("TypeError");
    expect(content.evalue).toBe("x is not a function");
    expect(content.traceback.map(strip)).toEqual(["TypeError: x is not a function", "    at In[4], line 5", "  ----> 5 | f(z);"]);
    expect(formatRuntimeError("boom", sources)).toMatchObject({ ename: "Uncaught", evalue: "'boom'" });
  });

  it("keeps frames outside the kernel when no cell frame exists (an async callback)", () => {
    const lines = trimStack("Error: late\n    at Timeout._onTimeout (/repo/lib/x.js:1:1)\n    at listOnTimeout (node:internal/timers:581:17)", sources);
    expect(lines).toEqual(["Error: late", "    at Timeout._onTimeout (/repo/lib/x.js:1:1)"]);
  });

  it("recognises machinery frames and parses frames", () => {
    expect(isMachinery("/repo/src/kernel/engine.ts")).toBe(true);
    expect(isMachinery("/repo/src/kernel/display.ts")).toBe(false);
    expect(isMachinery("/repo/src/privacy/dpsgd/step.ts")).toBe(false);
    expect(parseStack("E: m\n    at f (a.js:1:2)").frames[0]).toMatchObject({ fn: "f", file: "a.js", line: 1, column: 2 });
  });
});

describe("TypeScript diagnostics", () => {
  const at = (offset: number, line: number, character: number) => ({ offset, line, character });
  const diagnostics: CellDiagnostic[] = [
    { start: at(4, 0, 4), end: at(5, 0, 5), messageText: "Type 'number' is not assignable to type 'string'.", code: 2322, category: 1 },
    { start: at(22, 1, 3), end: at(23, 1, 4), messageText: "Expression expected.", code: 1109, category: 1 },
  ];

  it("gives ename TypeScriptError, the first message as evalue and line:col tracebacks", () => {
    const content = formatDiagnostics(diagnostics, "In[3]", "let y: string = 1;\n1 +* 2");
    expect(content.ename).toBe("TypeScriptError");
    expect(content.evalue).toBe("Type 'number' is not assignable to type 'string'. (TS2322, In[3]:1:5)");
    const text = content.traceback.map(strip);
    expect(text[0]).toBe("TypeScriptError: 2 errors in In[3]");
    expect(text[1]).toBe("In[3]:1:5 - error TS2322: Type 'number' is not assignable to type 'string'.\n1 | let y: string = 1;\n  |     ~");
    expect(text[2]).toContain("In[3]:2:4 - error TS1109: Expression expected.");
  });

  it("keeps a message chain together", () => {
    const chain: CellDiagnostic[] = [
      { ...diagnostics[0]!, messageText: "Type '{}' is not assignable to type 'T'." },
      { ...diagnostics[0]!, messageText: "Property 'a' is missing in type '{}'.", code: 2741 },
    ];
    const text = formatDiagnostics(chain, "In[1]", "let y: T = {};").traceback.map(strip);
    expect(text[0]).toBe("TypeScriptError: 1 error in In[1]");
    expect(text[1]).toContain("\n  Property 'a' is missing in type '{}'.");
  });
});
